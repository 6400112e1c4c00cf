"""Load the questionnaire (manifest + included files) and validate it.

Every problem is reported as ``file:line: message`` so a rule maintainer can
go straight to it. Loading is all-or-nothing: a questionnaire with any
problem raises ``ValidationProblems`` (exit 1 from ``idmf questionnaire
validate``); one that cannot be read at all raises ``InputError`` (exit 2).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import conditions as C
from ..errors import ValidationProblems
from ..model.assessment import META_FIELDS, META_PREFIX
from ..model.questionnaire import (
    FieldBinding, Group, Question, QuestionType, Questionnaire, ReportBindings, RightBinding, Section, Step,
)
from ..paths import questionnaires_dir
from ..yamlio import LocatedDict, LocatedList, load_located
from ..judgement.model import ChangeKind, Signal
from ..judgement.validate import check_judgement_data
from .refs import check_condition

MANIFEST = "questionnaire.yaml"


def default_questionnaire_path() -> Path:
    return questionnaires_dir() / MANIFEST


def _manifest_path(path: Path | str | None) -> Path:
    path = Path(path) if path else default_questionnaire_path()
    return path / MANIFEST if path.is_dir() else path


def _pydantic_problems(exc: ValidationError, node: Any, source: Path) -> list[str]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        target, line = node, getattr(node, "line", 0)
        for part in loc:
            if isinstance(target, LocatedDict) and part in target:
                line = target.line_of(part)
                target = target[part]
            elif isinstance(target, LocatedList) and isinstance(part, int) and part < len(target):
                line = target.line_of(part)
                target = target[part]
            else:
                break
        field = ".".join(str(p) for p in loc) or "(top)"
        message = err["msg"]
        if err["type"] == "extra_forbidden" and loc and loc[-1] == "concern_answer":
            message = "'concern_answer' is now called 'concern_if'"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        elif err["type"] == "missing":
            message = "this field is required"
        out.append(f"{source}:{line}: {field}: {message}")
    return out


def load_questionnaire(path: Path | str | None = None) -> Questionnaire:
    """Load and fully validate a questionnaire; raise on any problem."""
    manifest_path = _manifest_path(path)
    return _load_cached(manifest_path.resolve(), _fingerprint(manifest_path))


def _fingerprint(manifest_path: Path) -> tuple:
    # Reload when any file in the folder changes (maintainers edit and re-run).
    folder = manifest_path.parent
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.yaml")))
    except OSError:
        return ()


@functools.lru_cache(maxsize=8)
def _load_cached(manifest_path: Path, _fingerprint: tuple) -> Questionnaire:
    problems: list[str] = []
    manifest = load_located(manifest_path)
    if not isinstance(manifest, LocatedDict):
        raise ValidationProblems([f"{manifest_path}:1: the manifest must be a mapping with id, version, title, steps, include"])
    for key in ("id", "version", "title", "steps", "include", "report"):
        if key not in manifest:
            problems.append(f"{manifest_path}:{manifest.line}: missing '{key}'"
                            + (" (which answers fill the report; see the shipped questionnaire.yaml)" if key == "report" else ""))
    unknown = set(manifest) - {"id", "version", "title", "steps", "include", "report"}
    for key in sorted(map(str, unknown)):
        problems.append(f"{manifest_path}:{manifest.line_of(key)}: unknown field {key!r}")
    if problems:
        raise ValidationProblems(problems)

    steps: list[Step] = []
    step_lines: dict[str, int] = {}
    for i, raw in enumerate(manifest["steps"] or []):
        try:
            step = Step.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, raw, manifest_path))
            continue
        if step.id in step_lines:
            problems.append(f"{manifest_path}:{manifest['steps'].line_of(i)}: step id {step.id!r} used twice")
        step_lines[step.id] = manifest["steps"].line_of(i)
        steps.append(step)
    by_id = {s.id: s for s in steps}

    groups: list[Group] = []
    changes: list[ChangeKind] = []
    signals: list[Signal] = []
    raw_conditions: list[tuple[Any, Any, Path, str]] = []  # (owner, raw, file, label)
    twin_lines: dict[str, tuple[Path, int]] = {}  # question id -> where its same_as / derived_from is
    for i, name in enumerate(manifest["include"] or []):
        file = manifest_path.parent / str(name)
        if not file.is_file():
            problems.append(f"{manifest_path}:{manifest['include'].line_of(i)}: included file {name!r} not found")
            continue
        content = load_located(file)
        if not isinstance(content, LocatedDict):
            problems.append(f"{file}:1: expected a mapping with 'groups' or 'step' and 'sections'")
            continue
        if "groups" in content:
            for j, raw in enumerate(content["groups"] or []):
                try:
                    groups.append(Group.model_validate(raw))
                except ValidationError as exc:
                    problems.extend(_pydantic_problems(exc, raw, file))
        if "step" in content:
            step = by_id.get(content["step"])
            if step is None:
                problems.append(f"{file}:{content.line_of('step')}: unknown step {content['step']!r}; steps are: {', '.join(by_id)}")
                continue
            for j, raw_section in enumerate(content.get("sections") or []):
                if not isinstance(raw_section, LocatedDict):
                    problems.append(f"{file}:{content['sections'].line_of(j)}: a section must be a mapping")
                    continue
                questions = []
                for k, raw_q in enumerate(raw_section.get("questions") or []):
                    if not isinstance(raw_q, LocatedDict):
                        problems.append(f"{file}:{raw_section['questions'].line_of(k)}: a question must be a mapping")
                        continue
                    data = {key: value for key, value in raw_q.items() if key != "show_if"}
                    data.update(line=raw_q.line, source=str(file))
                    try:
                        question = Question.model_validate(data)
                    except ValidationError as exc:
                        problems.extend(_pydantic_problems(exc, raw_q, file))
                        continue
                    if "show_if" in raw_q:
                        raw_conditions.append((question, raw_q["show_if"], file, raw_q.line_of("show_if")))
                    for key in ("same_as", "derived_from"):
                        if key in raw_q:
                            twin_lines[question.id] = (file, raw_q.line_of(key))
                    questions.append(question)
                data = {key: value for key, value in raw_section.items() if key not in ("questions", "show_if")}
                data.update(questions=[], line=raw_section.line, source=str(file))
                try:
                    section = Section.model_validate(data)
                except ValidationError as exc:
                    problems.extend(_pydantic_problems(exc, raw_section, file))
                    continue
                for question in questions:
                    if question.scopes is None:
                        question.scopes = list(section.scopes)
                section.questions = questions
                if "show_if" in raw_section:
                    raw_conditions.append((section, raw_section["show_if"], file, raw_section.line_of("show_if")))
                step.sections.append(section)
        for key, model, into in (("changes", ChangeKind, changes), ("signals", Signal, signals)):
            for j, raw in enumerate(content.get(key) or []):
                try:
                    into.append(model.model_validate({**raw, "line": content[key].line_of(j), "source": str(file)}))
                except (ValidationError, TypeError) as exc:
                    if isinstance(exc, ValidationError):
                        problems.extend(_pydantic_problems(exc, raw, file))
                    else:
                        problems.append(f"{file}:{content[key].line_of(j)}: each of {key} must be a mapping")
        if not {"groups", "step", "changes", "signals"} & set(content):
            problems.append(f"{file}:{content.line}: expected 'groups', 'changes', 'signals' or 'step' and 'sections'")

    questionnaire = Questionnaire(
        id=str(manifest["id"]), version=str(manifest["version"]), title=str(manifest["title"]),
        steps=steps, groups=groups, changes=changes, signals=signals,
    )
    problems.extend(check_judgement_data(questionnaire))
    problems.extend(_check_structure(questionnaire))
    problems.extend(check_twins(questionnaire, twin_lines))
    bindings, binding_problems = _report_bindings(manifest.get("report"), manifest_path)
    problems.extend(binding_problems)
    if bindings is not None:
        questionnaire.report = bindings
        problems.extend(check_report_bindings(bindings, questionnaire))
    for owner, raw, file, line in raw_conditions:
        try:
            cond = C.parse(raw, str(file), line=line)
        except C.ConditionError as exc:
            problems.append(f"{exc.where}: {exc.message}")
            continue
        owner.show_if = cond
        problems.extend(check_condition(cond, questionnaire, str(file)))
    if problems:
        raise ValidationProblems(problems)
    return questionnaire


def _check_structure(questionnaire: Questionnaire) -> list[str]:
    problems: list[str] = []
    seen_questions: dict[str, str] = {}
    seen_sections: dict[str, str] = {}
    seen_groups: set[str] = set()
    for group in questionnaire.groups:
        if group.id in seen_groups:
            problems.append(f"group id {group.id!r} is used twice")
        seen_groups.add(group.id)
    numbers: dict[int, str] = {}
    for step in questionnaire.steps:
        for section in step.sections:
            where = f"{section.source}:{section.line}"
            if section.id in seen_sections:
                problems.append(f"{where}: section id {section.id!r} already used at {seen_sections[section.id]}")
            seen_sections[section.id] = where
            if not section.questions:
                problems.append(f"{where}: section {section.id!r} has no questions")
            for q in section.questions:
                qwhere = f"{q.source}:{q.line}"
                if q.id in seen_questions:
                    problems.append(f"{qwhere}: question id {q.id!r} already used at {seen_questions[q.id]}")
                seen_questions[q.id] = qwhere
                if q.id.startswith(META_PREFIX) and q.id[len(META_PREFIX):] not in META_FIELDS:
                    problems.append(f"{qwhere}: {q.id!r} is not a header field; header fields are "
                                    + ", ".join(META_PREFIX + f for f in META_FIELDS))
                choice = q.type in (QuestionType.single_choice, QuestionType.multi_choice)
                if choice and not (q.options or q.options_from):
                    problems.append(f"{qwhere}: {q.id!r} is a {q.type.value} question but has no options or options_from")
                if not choice and (q.options or q.options_from):
                    problems.append(f"{qwhere}: {q.id!r} has options but is a {q.type.value} question")
                if q.options:
                    values = [o.value for o in q.options]
                    dupes = sorted({v for v in values if values.count(v) > 1})
                    if dupes:
                        problems.append(f"{qwhere}: {q.id!r} repeats option value(s) {', '.join(dupes)}")
                if q.type == QuestionType.group_impacts and not q.groups:
                    problems.append(f"{qwhere}: {q.id!r} is a group_impacts question and needs 'groups'")
                if q.type == QuestionType.group_impacts and q.groups and not questionnaire.groups_in(q.groups):
                    problems.append(f"{qwhere}: {q.id!r} asks about {q.groups} but no such groups are defined")
                if q.type != QuestionType.yes_no and q.concern_if:
                    problems.append(f"{qwhere}: 'concern_if' only applies to yes_no questions")
                if q.bare_answer_accepted and (q.type != QuestionType.yes_no or not q.rationale_required):
                    problems.append(f"{qwhere}: 'bare_answer_accepted' only applies to yes_no questions "
                                    "whose rationale is required")
                elif q.bare_answer_accepted and q.bare_answer_accepted == q.concern_if:
                    problems.append(f"{qwhere}: 'bare_answer_accepted' cannot be the answer that points to a "
                                    f"concern ({q.concern_if!r}); a concern always needs its reason")
                if q.number is not None:
                    if q.number in numbers:
                        problems.append(f"{qwhere}: form number {q.number} already used by {numbers[q.number]!r}")
                    numbers[q.number] = q.id
    return problems


def check_twins(questionnaire: Questionnaire, lines: dict[str, tuple[Path, int]]) -> list[str]:
    """Each ``same_as`` / ``derived_from`` names a question that exists and can carry the answer over.

    Pairs are one to one: a question asking the same as two others would leave idmf to
    guess which answer to take when they differ."""
    problems: list[str] = []
    paired: dict[str, str] = {}  # question id -> the question it is paired with
    for question in questionnaire.questions():
        if not (question.same_as or question.derived_from):
            continue
        file, line = lines.get(question.id, (Path(question.source), question.line))
        where = f"{file}:{line}: {question.id}"
        if question.same_as and question.derived_from:
            problems.append(f"{where}: give 'same_as' or 'derived_from', not both")
            continue
        key = "same_as" if question.same_as else "derived_from"
        other_id = question.same_as or question.derived_from.question  # type: ignore[union-attr]
        other = questionnaire.question(other_id)
        if other is None:
            problems.append(f"{where}: {key} names question {other_id!r}, which the questionnaire does not define")
            continue
        if other.id == question.id:
            problems.append(f"{where}: {key} names the question itself")
            continue
        if question.type != QuestionType.yes_no:
            problems.append(f"{where}: {key} only applies to yes_no questions, but {question.id!r} is {question.type.value}")
            continue
        if key == "same_as" and other.type != QuestionType.yes_no:
            hint = " (for a list of choices use derived_from: {question: ..., no_if: [...]})" \
                if other.type == QuestionType.multi_choice else ""
            problems.append(f"{where}: same_as needs a yes_no question, but {other_id!r} is {other.type.value}{hint}")
            continue
        if key == "derived_from":
            rule = question.derived_from
            if other.type != QuestionType.multi_choice:
                problems.append(f"{where}: derived_from needs a multi_choice question, but {other_id!r} is "
                                f"{other.type.value}" + (" (use same_as)" if other.type == QuestionType.yes_no else ""))
                continue
            allowed = other.choice_values(questionnaire)
            unknown = [value for value in rule.no_if if value not in allowed]  # type: ignore[union-attr]
            if unknown:
                problems.append(f"{where}: derived_from no_if has {', '.join(map(repr, unknown))}, which "
                                f"{other_id!r} does not offer; its choices are {', '.join(allowed)}")
                continue
            if not rule.yes_if_any and not rule.no_if:  # type: ignore[union-attr]
                problems.append(f"{where}: derived_from with yes_if_any false and no no_if derives nothing")
                continue
        for end in (question.id, other.id):
            if end in paired:
                partner = paired[end]
                problems.append(f"{where}: {end!r} is already paired with {partner!r}; a question can ask the "
                                "same as one other question only")
                break
        else:
            paired[question.id], paired[other.id] = other.id, question.id
    return problems


def _report_bindings(raw: Any, manifest_path: Path) -> tuple[ReportBindings | None, list[str]]:
    """Read the ``report:`` block, keeping each binding's line for messages."""
    if raw is None:
        return None, []
    if not isinstance(raw, LocatedDict):
        return None, [f"{manifest_path}:{getattr(raw, 'line', 1)}: 'report' must be a mapping of report parts to question ids"]
    data = dict(raw)
    for key, model in (("header", FieldBinding), ("monitoring", FieldBinding), ("story", FieldBinding),
                       ("human_rights", RightBinding)):
        items = raw.get(key)
        if isinstance(items, LocatedList):
            data[key] = [dict(item, line=items.line_of(i)) if isinstance(item, dict) else item
                         for i, item in enumerate(items)]
    lines = {str(k): raw.line_of(k) for k in raw}
    for key in ("stage1", "stage2", "impacts"):
        if isinstance(raw.get(key), LocatedList):
            lines.update({f"{key}.{i}": raw[key].line_of(i) for i in range(len(raw[key]))})
    data.update(source=str(manifest_path), lines=lines)
    try:
        return ReportBindings.model_validate(data), []
    except ValidationError as exc:
        return None, _pydantic_problems(exc, raw, manifest_path)


# What each kind of binding must point at; a header or monitoring line may show any answer.
_TEXT = (QuestionType.text, QuestionType.long_text)
_BINDING_TYPES: dict[str, tuple[QuestionType, ...]] = {
    "overview": _TEXT,
    "impacts": (QuestionType.group_impacts,),
    "outcome": (QuestionType.single_choice,),
    "justification": _TEXT,
    "actions": (QuestionType.actions,),
    "review_date": (QuestionType.date,),
    "late_review_reason": _TEXT,
    "drafted_by": (QuestionType.person,),
    "approval": (QuestionType.person,),
    "concern": (QuestionType.yes_no,),
    "analysis": _TEXT,
}


def check_report_bindings(bindings: ReportBindings, questionnaire: Questionnaire) -> list[str]:
    """Every question and section the report names exists and is of a kind the report can show."""
    problems: list[str] = []

    def check(kind: str, qid: str | None, line: int) -> None:
        if qid is None:
            return
        where = f"{bindings.source}:{line}"
        question = questionnaire.question(qid)
        if question is None:
            problems.append(f"{where}: report {kind} names question {qid!r}, which the questionnaire does not define")
            return
        allowed = _BINDING_TYPES.get(kind)
        if allowed and question.type not in allowed:
            problems.append(f"{where}: report {kind} needs a {' or '.join(t.value for t in allowed)} question, "
                            f"but {qid!r} is {question.type.value}")

    line = bindings.lines.get
    for item in bindings.header:
        check("header", item.question, item.line)
    for item in bindings.monitoring:
        check("monitoring", item.question, item.line)
    for item in bindings.story:
        check("story", item.question, item.line)
    for right in bindings.human_rights:
        check("concern", right.concern, right.line)
        check("analysis", right.analysis, right.line)
    for key in ("overview", "outcome", "justification", "actions", "review_date", "late_review_reason",
                "drafted_by", "approval"):
        check(key, getattr(bindings, key), line(key, 0))
    for i, qid in enumerate(bindings.impacts):
        check("impacts", qid, line(f"impacts.{i}", line("impacts", 0)))
    for key in ("stage1", "stage2"):
        for i, section_id in enumerate(getattr(bindings, key)):
            if questionnaire.section(section_id) is None:
                problems.append(f"{bindings.source}:{line(f'{key}.{i}', line(key, 0))}: report {key} names section {section_id!r}, "
                                "which the questionnaire does not define")
    if not bindings.stage1:
        problems.append(f"{bindings.source}:{line('stage1', 0)}: report stage1 must name the sections of the stage 1 form")
    return problems
