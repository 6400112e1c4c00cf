"""Checks on changes.yaml and signals.yaml, run when the questionnaire loads.

Every problem names its file and line, as rule and questionnaire problems do, so an equality team
that edits the kinds of change or the signals finds out at once what to fix
(``idmf questionnaire validate``).
"""

from __future__ import annotations

from ..model.questionnaire import Option, QuestionType, Questionnaire
from .model import Signal, pattern_problems

# The choice offered beside the kinds of change, for a decision none of them describes.
NONE_OF_THESE = Option(value="none_of_these", label="None of these")


def check_judgement_data(questionnaire: Questionnaire) -> list[str]:
    problems: list[str] = []
    group_ids = {g.id for g in questionnaire.groups}
    seen: set[str] = set()
    for kind in questionnaire.changes:
        where = f"{kind.source}:{kind.line}"
        if kind.id in seen:
            problems.append(f"{where}: kind of change {kind.id!r} is listed twice")
        seen.add(kind.id)
        for entry in kind.groups:
            if entry.group not in group_ids:
                problems.append(f"{where}: {kind.id}: unknown group {entry.group!r} (groups are in groups.yaml)")
        for right in kind.rights:
            question = questionnaire.question(right.question)
            if question is None or question.type != QuestionType.yes_no:
                problems.append(f"{where}: {kind.id}: right {right.question!r} is not a yes/no question")
        if kind.risk_removed_by and questionnaire.question(kind.risk_removed_by.question) is None:
            problems.append(f"{where}: {kind.id}: risk_removed_by names {kind.risk_removed_by.question!r}, "
                            "which is not a question")
        for qid in kind.follow_ups:
            if questionnaire.question(qid) is None:
                problems.append(f"{where}: {kind.id}: follow-up question {qid!r} does not exist")
        if kind.targets_question:
            question = questionnaire.question(kind.targets_question)
            if question is None or question.type != QuestionType.multi_choice or not question.options_from:
                problems.append(f"{where}: {kind.id}: targets_question {kind.targets_question!r} must be a "
                                "multi-choice question whose options are the groups")
            if not kind.target_why:
                problems.append(f"{where}: {kind.id}: say in target_why why reducing it falls on the groups named")
        elif not kind.groups:
            problems.append(f"{where}: {kind.id}: name the groups at known risk (or a targets_question)")
    from .reasoning import mentions

    for group in questionnaire.groups:
        if group.words and not mentions(questionnaire, group.id, group.label):
            problems.append(f"groups.yaml: group {group.id!r}: none of its words finds its own label "
                            f"{group.label!r}; add one (end it with * to match the start of a word)")
    kinds_question = [q for q in questionnaire.questions() if q.options_from == "changes"]
    if kinds_question and not questionnaire.changes:
        problems.append(f"{kinds_question[0].source}:{kinds_question[0].line}: {kinds_question[0].id} takes its "
                        "options from changes.yaml, but the questionnaire includes no kinds of change")
    for question in kinds_question:
        question.options = [Option(value=k.id, label=k.label) for k in questionnaire.changes] + [NONE_OF_THESE]
        question.options_from = None
    seen = set()
    for signal in questionnaire.signals:
        if signal.id in seen:
            problems.append(f"{signal.source}:{signal.line}: signal {signal.id!r} is listed twice")
        seen.add(signal.id)
        problems.extend(signal_problems(signal))
    return problems


def signal_problems(signal: Signal) -> list[str]:
    """A signal's patterns compile and its examples come out as the file says they must."""
    where = f"{signal.source}:{signal.line}"
    problems = [f"{where}: {p}" for p in pattern_problems(signal)]
    if problems:
        return problems
    from .reading import signal_in

    for text in signal.examples.matches:
        if not signal_in(signal, text):
            problems.append(f"{where}: signal {signal.id!r} should match {text!r} (examples: matches) but does not")
    for text in signal.examples.does_not_match:
        if signal_in(signal, text):
            problems.append(f"{where}: signal {signal.id!r} should not match {text!r} (examples: does_not_match) but does")
    return problems
