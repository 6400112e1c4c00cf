"""The reviewer's reasoning, as data and one function.

What the change does (the kinds of change ticked in step 1, from ``questionnaires/changes.yaml``),
whom it falls on (the groups at known risk for those kinds), and what the author's own evidence says
(stage 2 ratings, evidence, mitigations, engagement and shares, and the signals read in their words,
from ``questionnaires/signals.yaml``) become facts that ordinary rules test (``rules/judgement.yaml``).
The rules stay declarative; this package only works out what a reviewer would read off the answers.
"""
