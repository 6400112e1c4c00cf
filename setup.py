"""Package layout only (metadata is in pyproject.toml).

The questionnaires, rules, report templates and the example assessments that
rule examples build on live at the top of the repository, where their
maintainers edit them. They are mapped into the package as ``idmf.data.*`` at
build time, so a wheel carries them without a second copy in git.
"""

from setuptools import find_packages, setup

DATA = {  # package under idmf.data -> top-level folder, and the files it ships
    "questionnaires": ["*.yaml"],
    "rules": ["*.yaml", "*.yml", "**/*.yaml", "**/*.yml"],
    # Not make_docx_template.py: it makes the Word template, the report does not need it.
    "templates": ["*.j2", "*.docx", "*.css", "*.html", "*.png", "*.svg", "*.ttf", "*.otf", "*.woff", "*.woff2"],
    "examples": ["*.yaml"],
}

setup(
    packages=find_packages("src") + [f"idmf.data.{name}" for name in DATA],
    package_dir={"": "src", **{f"idmf.data.{name}": name for name in DATA}},
    package_data={"idmf": ["py.typed", "wizard/*.tcss"], **{f"idmf.data.{name}": globs for name, globs in DATA.items()}},
)
