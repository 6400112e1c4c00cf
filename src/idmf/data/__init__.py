"""The shipped questionnaires, rules, report templates and example assessments.

They are mapped here from the repository's top-level folders when the
package is built (see setup.py), and read through importlib.resources
(``idmf.paths.shipped_dir``), never from the working folder.
"""
