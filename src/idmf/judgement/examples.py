"""Examples generated from changes.yaml: each kind of change exercised both ways.

``idmf rules test`` runs them on the engine checks use, so a kind of change an equality team adds is
tested the moment it is added: ticked with nothing in stage 2, the groups at known risk must be
asked for (a blocking finding naming them); rated, evidenced and engaged group by group, no finding
about those groups may remain.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import conditions as C
from ..model.questionnaire import Questionnaire
from .model import ChangeKind
from .reasoning import groups_at_risk

# The judgements about a group at known risk: quiet once each group is handled.
GROUP_FACTS = ("judgement.not_assessed", "judgement.rated_without_evidence",
               "judgement.at_risk_not_engaged", "judgement.negative_not_engaged")
HANDLED_EVIDENCE = "Service audit 2025: 212 users, broken down by this group (register data)"


def kind_answers(kind: ChangeKind, questionnaire: Questionnaire, *, handled: bool) -> dict:
    """Answers making this kind of change; with ``handled``, every group at risk rated well."""
    answers: dict = {"purpose.change_kinds": [kind.id]}
    if kind.targets_question:
        answers[kind.targets_question] = [g.id for g in questionnaire.groups_in("inclusion_groups")[:2]]
    if kind.risk_removed_by:  # the answer that keeps the known risk in place
        other = "no" if kind.risk_removed_by.answer == "yes" else "yes"
        answers[kind.risk_removed_by.question] = {"answer": other, "rationale": "As the change requires."}
    if handled:
        protected = {g.id for g in questionnaire.groups_in("protected_characteristics")}
        for group in sorted(groups_at_risk(answers, questionnaire)):
            question = "stage2.protected_characteristics" if group in protected else "stage2.inclusion_groups"
            label = questionnaire.group(group).label if questionnaire.group(group) else group
            answers.setdefault(question, []).append(
                {"group": group, "impact": "neutral", "evidence": f"{label}: {HANDLED_EVIDENCE}", "engaged": "held"})
    return answers


@dataclass
class KindResult:
    kind: ChangeKind
    handled: bool
    problem: str = ""  # empty when the kind behaved as it should

    def describe(self) -> str:
        way = "handled group by group" if self.handled else "ticked with nothing in stage 2"
        return f"{self.kind.source}:{self.kind.line}: kind of change {self.kind.id!r} {way}: {self.problem}"


def rules_reading(ruleset, facts: tuple[str, ...]) -> set[str]:
    return {rule.id for rule in ruleset.rules if set(C.references(rule.condition())) & set(facts)}


def run_kind_examples(ruleset, questionnaire: Questionnaire, engine) -> list[KindResult]:
    from ..rules.testing import assessment_from_answers

    about_groups = rules_reading(ruleset, GROUP_FACTS)
    stage2 = rules_reading(ruleset, ("judgement.not_assessed",))
    results = []
    for kind in questionnaire.changes:
        answers = kind_answers(kind, questionnaire, handled=False)
        result = engine.check(assessment_from_answers(answers, questionnaire))
        asked = [f for f in result for f in (f, *f.consequences) if f.rule_id in stage2 and f.blocking]
        named = " ".join(t.question for f in asked for t in f.triggered_by)
        missing = [g for g in groups_at_risk(answers, questionnaire)
                   if (questionnaire.group(g).label if questionnaire.group(g) else g) not in named]
        problem = ("no blocking finding asks for stage 2" if not asked
                   else f"the finding does not name {', '.join(missing)}" if missing else "")
        results.append(KindResult(kind, False, problem))
        answers = kind_answers(kind, questionnaire, handled=True)
        left = sorted(set(engine.check(assessment_from_answers(answers, questionnaire)).ids()) & about_groups)
        results.append(KindResult(kind, True, f"still raises {', '.join(left)}" if left else ""))
    return results
