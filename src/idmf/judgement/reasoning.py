"""What a reviewer reads off the answers: whom the change falls on and what the evidence says.

``groups_at_risk`` is worked out from step 1 alone (so stage 2 can be shown when a kind of change is
known to fall on someone); ``judge`` reads stage 2, the engagement and the author's words against it.
Both return facts (``judgement.*``, ``signal.*``) for ordinary rules to test, and ``judge`` also
says, for each fact, why, in a reviewer's words, so every finding it feeds can say so in its
"Because" lines (``judgement.because``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model.questionnaire import Questionnaire
from .model import ChangeKind
from .reading import Quote, read_signals

KINDS_QUESTION = "purpose.change_kinds"
IMPACT_QUESTIONS = ("stage2.protected_characteristics", "stage2.inclusion_groups")
HELD = "held"

# Disproportion (decided for idmf, and documented in the README): a group's share of the people
# affected is "markedly higher" than its share of the population when it is at least 1.25 times
# as large (the inverse of the four-fifths rule used to read selection rates) AND at least 3
# percentage points higher, so that tiny groups are not flagged on rounding noise.
DISPROPORTION_RATIO = 1.25
DISPROPORTION_POINTS = 3.0

# Facts that judge() adds, each a list (present only when not empty), for rules to test with
# ``answered``. idmf.questionnaire.refs registers them for validation.
JUDGEMENT_FACTS = {
    "judgement.groups_at_risk": "groups at known risk for the kinds of change ticked",
    "judgement.not_assessed": "groups at known risk that stage 2 does not rate",
    "judgement.rated_without_evidence": "groups at known risk rated neutral or positive with no evidence about them",
    "judgement.general_mitigation_only": "groups rated negative whose only mitigation applies to everyone",
    "judgement.negative_not_engaged": "groups rated negative that were not engaged, or whose engagement is only planned",
    "judgement.at_risk_not_engaged": "groups at known risk (not rated negative) that were not engaged, or only planned",
    "judgement.disproportionate": "groups whose share of those affected is markedly above their share of the population, rated neutral or positive",
    "judgement.rights_bare_no": "Convention rights this kind of change typically engages, answered with a bare No",
    "judgement.same_for_everyone": "'the same for everyone' given as the reason, for a change known to fall on particular groups",
    "judgement.car_only_journeys": "journeys to a new site measured by car only",
    "judgement.screened_out_at_risk": "the screening rules out a negative impact on groups at known risk",
    "judgement.managed": "groups whose risk is managed: rated, evidenced about them, engaged, and if harmed given a targeted mitigation",
    "judgement.unmanaged_negative": "groups rated negative whose risk is not managed",
    "judgement.unmanaged_negative_inclusion": "inclusion groups rated negative whose risk is not managed",
}
# {fact: [(question id, place, reason)]}: not tested by rules; read by the Because lines, whose
# question id is the question to open to act on it (a group's stage 2 table, the right's question).
BECAUSE = "judgement.because"


@dataclass(frozen=True)
class AtRisk:
    group: str
    kind: ChangeKind
    why: str


def groups_at_risk(facts: dict[str, Any], questionnaire: Questionnaire) -> dict[str, list[AtRisk]]:
    """Group id -> the kinds of change ticked that are known to fall on it, and why."""
    ticked = facts.get(KINDS_QUESTION) or ()
    at_risk: dict[str, list[AtRisk]] = {}
    for kind in questionnaire.changes:
        if kind.id not in ticked:
            continue
        removed = kind.risk_removed_by
        if removed is not None and facts.get(removed.question) == removed.answer:
            continue
        for entry in kind.groups:
            at_risk.setdefault(entry.group, []).append(AtRisk(entry.group, kind, entry.why))
        if kind.targets_question:
            for group in facts.get(kind.targets_question) or ():
                at_risk.setdefault(str(group), []).append(AtRisk(str(group), kind, kind.target_why))
    return at_risk


def profile_facts(facts: dict[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    """The facts step 1 alone gives (used before show_if, so stage 2 can depend on them)."""
    at_risk = groups_at_risk(facts, questionnaire)
    return {"judgement.groups_at_risk": sorted(at_risk)} if at_risk else {}


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def mentions(questionnaire: Questionnaire, group_id: str, text: str) -> bool | None:
    """Whether ``text`` speaks of the group in one of its words (None: the group declares no words)."""
    group = questionnaire.group(group_id)
    pattern = _words_pattern(tuple(group.words)) if group else None
    return None if pattern is None else pattern.search(text) is not None


def _percent(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _number(value: float) -> str:
    return f"{value:g}%"


class _Judgement:
    def __init__(self, facts: dict[str, Any], questionnaire: Questionnaire):
        self.facts = facts
        self.questionnaire = questionnaire
        self.out: dict[str, list[str]] = {}
        self.because: dict[str, list[tuple[str, str, str]]] = {}
        protected = {g.id for g in questionnaire.groups_in("protected_characteristics")}
        # Where a group is rated: the stage 2 question a finding about it opens.
        self.table_of = {g.id: IMPACT_QUESTIONS[0] if g.id in protected else IMPACT_QUESTIONS[1]
                         for g in questionnaire.groups}
        self.signals = read_signals(facts, questionnaire)
        self.at_risk = groups_at_risk(facts, questionnaire)
        self.rows: dict[str, dict] = {}
        for qid in IMPACT_QUESTIONS:
            for row in facts.get(qid) or ():
                self.rows.setdefault(str(row.get("group", "")), row)

    def label(self, group_id: str) -> str:
        group = self.questionnaire.group(group_id)
        return group.label if group else group_id

    def add(self, fact: str, item: str, place: str, reason: str) -> None:
        """``item`` is a group id or a question id; a finding about it opens that group's stage 2
        table or that question."""
        items = self.out.setdefault(fact, [])
        if item not in items:
            items.append(item)
        question = self.table_of.get(item, item)
        self.because.setdefault(fact, []).append((question, place, reason))

    def quote(self, signal_id: str, question_id: str | None = None, place: str | None = None) -> Quote | None:
        for quote in self.signals.get(signal_id, ()):
            if (question_id is None or quote.question_id == question_id) and (place is None or quote.where == place):
                return quote
        return None

    def row_quote(self, signal_id: str, group_id: str, column: str) -> Quote | None:
        return self.quote(signal_id, place=f"Stage 2, {self.label(group_id)}: {column}")

    # --- the reasoning ------------------------------------------------------------------------

    def run(self) -> None:
        at_risk = self.at_risk
        full = self.facts.get("derived.scope") == "full"
        for group_id, reasons in at_risk.items():
            self.group_at_risk(group_id, reasons, full)
        for group_id, row in self.rows.items():
            if group_id not in at_risk:
                self.negative_row_engagement(group_id, row)
                if row.get("impact") == "negative":
                    self.negative_mitigation(group_id, row, [])
            self.disproportion(group_id, row)
            self.managed(group_id, row)
            if row.get("impact") == "negative" and group_id not in self.out.get("judgement.managed", ()):
                why = ("Rated negative, and not yet a managed risk (evidence about the group, engagement held, "
                       "and a change or support aimed at it).")
                self.add("judgement.unmanaged_negative", group_id, self.label(group_id), why)
                if self.table_of.get(group_id) == IMPACT_QUESTIONS[1]:
                    self.add("judgement.unmanaged_negative_inclusion", group_id, self.label(group_id), why)
        if at_risk:
            self.same_for_everyone(at_risk)
            if not full:
                self.screened_out(at_risk)
        self.rights()
        self.journeys()
        for signal_id, quotes in self.signals.items():
            self.out[f"signal.{signal_id}"] = sorted({q.question_id for q in quotes})
            self.because[f"signal.{signal_id}"] = [(q.question_id, q.where, f"“{q.sentence}”") for q in quotes]

    def group_at_risk(self, group_id: str, reasons: list[AtRisk], full: bool) -> None:
        label = self.label(group_id)
        kinds = "; ".join(f"{r.kind.label.lower()}: {r.why}" for r in reasons)
        evidence = reasons[0].kind.evidence[0]
        row = self.rows.get(group_id)
        if full and (row is None or "impact" not in row):
            self.add("judgement.not_assessed", group_id, label,
                     f"Not rated in stage 2. Known risk from {kinds} To settle it, rate {label} in stage 2 "
                     f"with evidence such as: {evidence}")
            return
        if row is None:
            return
        impact = row.get("impact")
        if impact in ("neutral", "positive"):
            text = row.get("evidence")
            weak = self.row_quote("same_for_everyone", group_id, "evidence") or \
                self.row_quote("claim_without_evidence", group_id, "evidence")
            elsewhere = isinstance(text, str) and bool(text) and mentions(self.questionnaire, group_id, text) is False
            if not text or weak or elsewhere:
                said = (f"the evidence given is “{weak.sentence}”" if weak
                        else f"the evidence given (“{text}”) does not speak of {label}" if elsewhere
                        else "no evidence is given")
                self.add("judgement.rated_without_evidence", group_id, label,
                         f"Rated {impact} in stage 2, but {said}. Known risk from {kinds} To settle it, give "
                         f"evidence about {label} such as: {evidence}")
        if impact == "negative":
            self.negative_mitigation(group_id, row, reasons)
            self.negative_row_engagement(group_id, row)
        elif row.get("engaged") != HELD:
            self.add("judgement.at_risk_not_engaged", group_id, label,
                     f"{self.engagement_words(row, group_id)} Known risk from {kinds} To settle it, engage "
                     f"{'; '.join(reasons[0].kind.engage[:2])} before the decision and record engaged: held.")

    def engagement_words(self, row: dict, group_id: str) -> str:
        engaged = row.get("engaged")
        planned = self.row_quote("engagement_planned", group_id, "evidence") or \
            self.row_quote("engagement_planned", group_id, "mitigation")
        if engaged == "planned" or planned:
            return "Engagement with this group is only planned" + (f" (“{planned.sentence}”)." if planned else ".")
        if engaged == "not_engaged":
            return "Stage 2 says this group was not engaged."
        return "Stage 2 does not say this group was engaged."

    def negative_row_engagement(self, group_id: str, row: dict) -> None:
        if row.get("impact") != "negative" or row.get("engaged") == HELD:
            return
        words = self.engagement_words(row, group_id)
        if row.get("engaged") is None and not words.startswith("Engagement with this group is only planned") \
                and group_id not in self.at_risk:
            return  # a group not at known risk, with engagement not recorded either way: not a finding
        self.add("judgement.negative_not_engaged", group_id, self.label(group_id),
                 f"Rated negative in stage 2. {words} The people a decision harms must be heard before it is "
                 f"taken. To settle it, hold the engagement and record what they said and what changed.")

    def negative_mitigation(self, group_id: str, row: dict, reasons: list[AtRisk]) -> None:
        mitigation = row.get("mitigation")
        if not mitigation:
            return  # no mitigation at all is EQ-002's finding
        kind = row.get("mitigation_type")
        general = self.row_quote("same_for_everyone", group_id, "mitigation")
        if kind == "general_measure" or (kind in (None, "none") and general):
            said = f"“{general.sentence}”" if general else f"“{mitigation}” (marked as a general measure)"
            self.add("judgement.general_mitigation_only", group_id, self.label(group_id),
                     f"Rated negative; the only mitigation applies to everyone: {said}. A measure for everyone "
                     f"leaves the gap for this group. To settle it, add support aimed at this group"
                     + (f", such as: {reasons[0].kind.mitigations[0]}" if reasons else "."))

    def managed(self, group_id: str, row: dict) -> None:
        """A risk identified and handled is a managed risk, not a gap: rated, with evidence that speaks
        of the group, engaged, and, if harmed, a mitigation that is a change or support aimed at it."""
        text = row.get("evidence")
        if row.get("impact") not in ("neutral", "positive", "negative") or not text or row.get("engaged") != HELD:
            return
        if mentions(self.questionnaire, group_id, text) is False or \
                self.row_quote("same_for_everyone", group_id, "evidence") or \
                self.row_quote("claim_without_evidence", group_id, "evidence"):
            return
        if row["impact"] == "negative" and not (
                row.get("mitigation") and row.get("mitigation_type") in ("change_proposal", "targeted_support")):
            return
        self.add("judgement.managed", group_id, self.label(group_id),
                 f"Rated {row['impact']} with evidence (“{text}”), engaged"
                 + (f", mitigated: “{row['mitigation']}”." if row["impact"] == "negative" else "."))

    def disproportion(self, group_id: str, row: dict) -> None:
        affected, population = _percent(row.get("share_affected")), _percent(row.get("share_population"))
        # Being affected more often is a burden to explain when the rating is neutral, and when it is
        # positive for a change that selects, charges, restricts or withdraws (changes.yaml:
        # burdens_those_affected); a group that uses a service more benefits more from improving it.
        burdening = any(k.burdens_those_affected for k in self.questionnaire.changes
                        if k.id in (self.facts.get(KINDS_QUESTION) or ()))
        if affected is None or population is None or not (
                row.get("impact") == "neutral" or (row.get("impact") == "positive" and burdening)):
            return
        if affected >= population * DISPROPORTION_RATIO and affected - population >= DISPROPORTION_POINTS:
            self.add("judgement.disproportionate", group_id, self.label(group_id),
                     f"Rated {row['impact']}, yet by the assessment's own figures this group is {_number(affected)} "
                     f"of the people affected against {_number(population)} of the population. To settle it, "
                     f"rate the impact on this group as negative and mitigate it, or explain with evidence why "
                     f"being affected more often does not disadvantage it (Equality Act 2010, s19).")

    def same_for_everyone(self, at_risk: dict[str, list[AtRisk]]) -> None:
        names = ", ".join(self.label(g) for g in list(at_risk)[:4]) + (" and others" if len(at_risk) > 4 else "")
        for quote in self.signals.get("same_for_everyone", ()):
            self.add("judgement.same_for_everyone", quote.question_id, quote.where,
                     f"“{quote.sentence}” This kind of change is known to fall on {names}; treating everyone the "
                     f"same is not the test: the effect on each group is.")

    def screened_out(self, at_risk: dict[str, list[AtRisk]]) -> None:
        """A screening may rule out harm to the groups at known risk, but only by speaking of them:
        a rationale that names none of them, or only says everyone is treated the same, or claims
        no impact with nothing behind it, has not looked."""
        if self.facts.get("ehiira.q07") != "no":
            return
        said = self.facts.get("ehiira.q07.rationale", "")
        weak = self.quote("same_for_everyone", "ehiira.q07") or self.quote("claim_without_evidence", "ehiira.q07")
        spoken_of = [g for g in at_risk if said and mentions(self.questionnaire, g, said)]
        if spoken_of and not weak:
            return
        names = ", ".join(self.label(g) for g in at_risk)
        quoted = f"“{said}”" if said else "no rationale"
        self.add("judgement.screened_out_at_risk", "ehiira.q07", "Q7",
                 f"Says no negative impact ({quoted}), {'naming none of' if not spoken_of else 'without evidence about'} "
                 f"the groups this kind of change is known to fall on: {names}. To settle it, complete stage 2 for "
                 f"them, or give evidence about each in Q7's rationale.")

    def rights(self) -> None:
        ticked = self.facts.get(KINDS_QUESTION) or ()
        for kind in self.questionnaire.changes:
            if kind.id not in ticked:
                continue
            for right in kind.rights:
                if self.facts.get(right.question) != "no":
                    continue
                rationale = self.facts.get(f"{right.question}.rationale")
                bare = rationale is None or self.quote("bare_denial", right.question) is not None
                if bare:
                    question = self.questionnaire.question(right.question)
                    place = f"Q{question.number}" if question and question.number else right.question
                    said = f"No, “{rationale}”" if rationale else "a bare No"
                    self.add("judgement.rights_bare_no", right.question, place,
                             f"Answered {said}, but {kind.label.lower()} typically engages it: {right.why} To settle "
                             f"it, say why the right is not engaged here, or answer Yes and analyse it in stage 2.")

    def journeys(self) -> None:
        ticked = self.facts.get(KINDS_QUESTION) or ()
        moves = [k for k in self.questionnaire.changes if k.id in ticked and "change.travel_measured" in k.follow_ups]
        if not moves:
            return
        measured = self.facts.get("change.travel_measured") or ()
        if measured and "public_transport" not in measured:
            question = self.questionnaire.question("change.travel_measured")
            how = ", ".join(question.choice_label(m, self.questionnaire) if question else m for m in measured)
            self.add("judgement.car_only_journeys", "change.travel_measured", "How journeys were measured",
                     f"Journeys were measured as: {how}; not by public transport. Older, disabled and deprived "
                     f"people are the least likely to drive. To settle it, measure journey times by bus (and on "
                     f"foot) from where users live.")
        for quote in self.signals.get("car_only_journeys", ()):
            if "public_transport" in measured:
                continue
            self.add("judgement.car_only_journeys", quote.question_id, quote.where,
                     f"“{quote.sentence}” measures the journey by car only. To settle it, give journey times by "
                     f"public transport from where users live.")


def judge(facts: dict[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    """The judgement facts for an assessment's facts (which are not changed)."""
    judgement = _Judgement(facts, questionnaire)
    judgement.run()
    out: dict[str, Any] = {fact: items for fact, items in judgement.out.items() if items}
    if judgement.because:
        out[BECAUSE] = judgement.because
    return out
