"""A wizard session: which question comes next, saving each answer, progress by step, findings.

Domain-side and free of Textual, so it is tested without a terminal. It is the
one service the wizard's screens ask about the open assessment: what the
answers imply (facts, shown questions, progress) and what the rules find
(``findings``) are worked out here, once per answer. The
session holds the edit lock for as long as it is open, and saves every
answer atomically the moment it is given, through one path: ``give`` validates and
stores it and saves it on the session's one writer thread, in the order given,
so the two fsyncs of a durable save are not paid by the screen (tests and the
benchmark use it too, then ``flush``). ``saving``
says whether any given answer is not on disk yet, ``flush`` waits for them,
and a save that fails keeps its answer as a draft (``failure`` says why).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import queue
import re
import stat
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..answer_text import answer_text
from ..errors import IdmfError
from ..facts import build_facts, derived_answers, is_answered, visible_questions
from ..lifecycle import submit
from ..model.assessment import Assessment, QuestionnaireRef
from ..model.questionnaire import Question, Questionnaire, Step
from ..questionnaire.answers import parse_answer
from ..rules import default_engine
from ..rules.engine import RulesEngine
from ..rules.model import Findings
from ..store import edit_lock, load_assessment, new_assessment_path, save_assessment, save_checked
from ..facts import follow_confirmed
from ..twins import DerivedAnswer, list_hint, mark_if_confirmed, twin_of, where_asked
from .flow import FindingsInFlow

DRAFT_LIMIT = 5_000_000  # bytes: what the wizard could have typed, with room to spare
# The longest a save waits for the screen to have drawn the answer it holds (see Session.drawn).
SAVE_WAITS_FOR_SCREEN_AT_MOST = 0.1  # seconds
_NONE = object()


@dataclass
class _Save:
    """One answer given, to be written: the whole assessment as it was then."""

    snapshot: Assessment
    question_id: str
    raw: Any  # what was in the editor: kept as a draft if the save fails
    before: Any  # the answer saved before: what reload() compares the file with


_OPEN: "weakref.WeakSet[Session]" = weakref.WeakSet()


@atexit.register
def _flush_open_sessions() -> None:
    # A given answer still being written when Python exits (its writer thread is a daemon)
    # reaches the disk before the process ends.
    for session in list(_OPEN):
        with contextlib.suppress(Exception):
            session.flush(timeout=10)


class Rules:
    """The rules engine the answers are checked with.

    Reading and compiling the rule files takes a moment, so the wizard builds it once off
    the screen's thread (``build``) while the start screen is up; until then ``ready`` is
    False and nothing on the screen's thread waits for it. Asked for afresh at each check,
    so a rule file changed on disk is picked up (looked for at most every few seconds: walking
    the rules folder on every answer cost more than checking the answers). Tests pass an
    engine with fixed findings.
    """

    RULE_FILES_LOOKED_AT_EVERY = 2.0  # seconds

    def __init__(self, questionnaire: Questionnaire, engine: Optional[RulesEngine] = None):
        self.questionnaire = questionnaire
        self._fixed = engine
        self._engine: Optional[RulesEngine] = None
        self._looked_at = 0.0
        self._built = threading.Event()

    @property
    def ready(self) -> bool:
        return self._fixed is not None or self._built.is_set()

    def engine(self) -> RulesEngine:
        if self._fixed is not None:
            return self._fixed
        now = time.monotonic()
        engine = self._engine
        if engine is None or now - self._looked_at >= self.RULE_FILES_LOOKED_AT_EVERY:
            engine = self._engine = default_engine(self.questionnaire)
            self._looked_at = now
        self._built.set()
        return engine

    def build(self) -> None:
        """Build the engine now (on a worker thread); an error shows where the engine is next used."""
        with contextlib.suppress(Exception):
            self.engine()


@dataclass
class StepProgress:
    step: Step
    answered: int  # required questions asked now and answered
    required: int  # required questions asked now (answers can add or take away some)
    shown: int
    # The total a person can trust: the step's required questions asked whatever the answers, which
    # never moves; ``more`` when answers may add others ("at least": shown as 8+).
    certain: int = 0
    certain_answered: int = 0
    more: bool = False


class Session(FindingsInFlow):
    """One open assessment in the wizard: its answers (given, validated, saved on the writer
    thread, kept as drafts when not), what they imply (facts, questions shown, progress), and the
    questions to ask. What the rules find, and which findings are the user's now, is worked out by
    FindingsInFlow (wizard/flow.py), which reads the same answers."""

    def __init__(self, path: Path, assessment: Assessment, questionnaire: Questionnaire,
                 rules: Optional[Rules] = None):
        self.path = path
        self.assessment = assessment
        self.questionnaire = questionnaire
        self.rules = rules or Rules(questionnaire)
        self._locks = contextlib.ExitStack()
        self.skipped: set[str] = set()  # questions passed over in this sitting
        self.saved_at: Optional[dt.datetime] = None
        self.reopened = ""  # why it became a draft again on opening, if it did
        # What the file held when read or last saved: a save refuses (AssessmentChangedOnDisk)
        # rather than overwrite a change made meanwhile outside this session.
        self.fingerprint: Optional[str] = None
        # Replies typed but not saved (question id -> what was in the editor), kept in
        # draft_path so that quitting, a crash or a kill -9 does not lose them.
        self.drafts: dict[str, Any] = {}
        # Answers a refused save held: question id -> the answer saved before (reload compares with it).
        self._refused: dict[str, Any] = {}
        # Saving on the writer thread: what is given and not yet written, why a save failed (every
        # later save is then refused too until reload(): the file is not what this session thinks),
        # and the questions whose answers failed to save, kept as drafts, for the screen to reopen.
        self._lock = threading.RLock()  # drafts, pending saves, failure: shared with the writer
        self._idle = threading.Condition(self._lock)
        self._jobs: "queue.Queue[Optional[_Save]]" = queue.Queue()
        self._writer: Optional[threading.Thread] = None
        self._pending: list[_Save] = []
        self.failure: Optional[BaseException] = None
        self._unsaved: list[str] = []
        # Writing an answer takes a few milliseconds of Python (the whole file is written out),
        # which, run at once, held up drawing that answer on the screen by as much (the two threads
        # take turns). A screen that says when it has drawn the answer (waits_for_screen, drawn)
        # has the save start then, or SAVE_WAITS_FOR_SCREEN_AT_MOST later; the draft file holds the
        # answer meanwhile, so a kill -9 loses nothing. Anyone else's saves start at once.
        self.waits_for_screen = False
        self._screen_done = threading.Event()
        self._screen_done.set()
        # How far the user has gone: the furthest question asked (its place in the questionnaire).
        # A finding about a question beyond it is "to come", not yet the user's to act on.
        self._order = {q.id: i for i, q in enumerate(questionnaire.questions())}
        self.furthest = -1
        self.all_findings = False  # True once at check-your-answers, or asked for (Ctrl+F)
        # What the answers imply (facts, shown questions, progress) is worked out once per
        # change, not once per question each caller asks: the revision counts the changes.
        self.revision = 0
        self._derived: dict[str, Any] = {}
        self._derived_at = -1

    # --- opening and closing ------------------------------------------

    @classmethod
    def open(cls, path: Path, questionnaire: Questionnaire, rules: Optional[Rules] = None) -> "Session":
        """Open an existing assessment for editing (refused if open elsewhere)."""
        lock = edit_lock(path)
        lock.__enter__()
        try:
            file = load_assessment(path, questionnaire)
            fingerprint = file.fingerprint
            if file.reopened:
                # Edited by hand after submission or approval: opening it to edit is
                # where that is written down, so the history says so from now on.
                fingerprint = save_checked(file.assessment, path, expected=file.fingerprint)
        except BaseException:
            lock.__exit__(None, None, None)
            raise
        session = cls(path, file.assessment, questionnaire, rules)
        session.fingerprint = fingerprint
        session.reopened = file.assessment.history[-1].detail if file.reopened else ""
        session.drafts = session._read_drafts()
        session._locks.push(lambda *exc: lock.__exit__(*exc))
        return session

    @classmethod
    def create(cls, folder: Path, title: str, questionnaire: Questionnaire, by: str = "",
               rules: Optional[Rules] = None) -> "Session":
        assessment = Assessment(title=title.strip(), questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version))
        assessment.record("created", by=by)
        path = new_assessment_path(folder, assessment)
        with edit_lock(path):
            save_assessment(assessment, path)
        return cls.open(path, questionnaire, rules)

    def close(self) -> None:
        """Wait for every given answer to be written, then let go of the file."""
        self.flush()
        writer, self._writer = self._writer, None
        if writer is not None:
            self._jobs.put(None)
            writer.join(timeout=10)
        _OPEN.discard(self)
        self._locks.close()

    # --- drafts: what is typed in the wizard but not yet saved ------------------

    @property
    def draft_path(self) -> Path:
        """``.<file>.draft`` beside the assessment: hidden, and never read as an assessment."""
        return self.path.with_name(f".{self.path.name}.draft")

    def keep_draft(self, question_id: str, value: Any) -> None:
        """Keep an unsaved reply (what is in an open editor) until it is saved or given up.

        Written atomically beside the assessment, so a quit, a crash or a kill -9
        leaves either the previous draft or this one, never half of one.
        """
        with self._lock:
            self.drafts[question_id] = value
            self._write_drafts()

    def drop_draft(self, question_id: str) -> None:
        with self._lock:
            if self.drafts.pop(question_id, _NONE) is not _NONE:
                with contextlib.suppress(OSError):  # the answer is saved; a stale draft is only offered again
                    self._write_drafts()

    def _write_drafts(self, durable: bool = True) -> None:
        """Write the draft file: the replies typed and not saved, and the answers given whose save
        has not landed yet (so that a kill -9 in those few milliseconds loses nothing either).
        ``durable=False`` skips the fsync: the file then survives the process being killed,
        which is what the screen's thread needs in the moment an answer is given."""
        path = self.draft_path
        replies = {job.question_id: job.raw for job in self._pending}
        replies.update(self.drafts)  # typed into again since it was given: the newer text
        if not replies:
            path.unlink(missing_ok=True)
            return
        data = {"assessment": str(self.assessment.id), "kept": dt.datetime.now().isoformat(timespec="seconds"),
                "replies": replies}
        from ..safe_write import atomic_write, current_umask

        # Never more readable than the assessment it belongs to (it holds the same kind of text):
        # its mode is the assessment's, less execute bits; 0600 when that cannot be read.
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode) & 0o666 & ~current_umask()
        except OSError:
            mode = 0o600
        # Exclusively created under an unguessable name: a link planted as the temporary file
        # can never make the draft overwrite another file.
        atomic_write(path, json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"),
                     mode=mode, durable=durable)

    def _read_drafts(self) -> dict[str, Any]:
        """The unsaved replies kept last time, for questions this questionnaire still asks."""
        path = self.draft_path
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > DRAFT_LIMIT:
                return {}  # a link, a pipe or something huge is not a draft idmf wrote
            data = json.loads(path.read_text(encoding="utf-8"))
            replies = data.get("replies") if data.get("assessment") == str(self.assessment.id) else None
        except (OSError, ValueError, AttributeError):
            return {}
        if not isinstance(replies, dict):
            return {}
        return {qid: value for qid, value in replies.items()
                if (question := self.questionnaire.question(qid)) is not None and not self._is_saved(question, value)}

    def _is_saved(self, question: Question, reply: Any) -> bool:
        """Is this kept reply the answer the file already holds? (Its save landed just before the
        wizard was killed, ahead of the draft file being tidied: not news to offer back.)"""
        try:
            return parse_answer(question, reply, self.questionnaire) == self.assessment.get_answer(question.id)
        except Exception:  # a reply that does not fit yet is the user's unfinished work: offered back
            return False

    # --- what the answers imply, once per change ----------------------------------

    def changed(self) -> None:
        """The answers changed (given, read again from the file, submitted): derive afresh."""
        self.revision += 1

    def _derive(self, key: str, compute):
        if self._derived_at != self.revision:
            self._derived, self._derived_at = {}, self.revision
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def facts(self) -> dict[str, Any]:
        """The facts the rules and the flow read, for the answers as they are now (do not modify)."""
        return self._derive("facts", lambda: build_facts(self.assessment, self.questionnaire))

    # --- questions -----------------------------------------------------

    def visible(self) -> list[Question]:
        return list(self._derive("visible", lambda: visible_questions(self.assessment, self.questionnaire)))

    def is_answered(self, question: Question) -> bool:
        return is_answered(question, self.facts())

    def derived_answer(self, question: Question) -> Optional[DerivedAnswer]:
        """The answer taken from the question's twin (it asks what another question asked),
        while the user has not given one here: offered in the editor to confirm or change."""
        return self._taken().get(question.id)

    def list_hint(self, question: Question) -> Optional[str]:
        """What the user said at a list's yes/no twin (question 11 or 13), to tick from."""
        answers = {qid: self.assessment.get_answer(qid) for qid in (question.id, *self._twin_ids(question))}
        return list_hint(question, answers, self.questionnaire)

    def _twin_ids(self, question: Question) -> list[str]:
        twin = twin_of(question, self.questionnaire)
        return [twin.id] if twin else []

    def answer_shown(self, question: Question) -> str:
        """The answer as check-your-answers and the question lists show it: the user's own, else
        the one taken from its twin, saying where from and that it waits to be confirmed."""
        own = self.assessment.get_answer(question.id)
        taken = self._taken().get(question.id) if own is None else None
        if taken is None:
            return answer_text(question, own, self.questionnaire)
        return (f"{answer_text(question, taken.answer, self.questionnaire)} "
                f"(from {where_asked(taken.source, self.questionnaire)}; Enter to confirm)")

    def _taken(self) -> dict[str, DerivedAnswer]:
        return self._derive("taken", lambda: derived_answers(self.assessment, self.questionnaire))

    def _to_confirm(self) -> set[str]:
        """Questions answered only from a twin: still put to the user, who confirms the answer
        taken from the other question (saving it as their own) or changes it."""
        return set(self._taken())

    def next_question(self, after: Optional[str] = None) -> Optional[Question]:
        """The first shown question with no answer of the user's own (not skipped this sitting),
        after ``after`` if given. One answered only from its twin is asked, to confirm."""
        facts = self.facts()
        to_confirm = self._to_confirm()
        questions = self.visible()
        start = 0
        if after is not None:
            ids = [q.id for q in questions]
            start = ids.index(after) + 1 if after in ids else 0
        for place, question in enumerate(questions[start:] + questions[:start]):
            if question.id in self.skipped or not (question.id in to_confirm or not is_answered(question, facts)):
                continue
            # An optional question is asked once, on the way: never again once passed over (going
            # round again, or already behind the furthest question asked), only if picked.
            if not question.required and (place >= len(questions) - start or self._passed(question, facts)):
                continue
            return question
        return None

    def _passed(self, question: Question, facts: dict) -> bool:
        """Behind the user: before the furthest question asked in this sitting, or before a question
        answered (in an earlier sitting too), so an optional one left blank is not asked again."""
        place = self._order.get(question.id, -1)
        if place < self.furthest:
            return True
        # The user's own answers only: one taken from a twin asked later (question 4 from "does it
        # reduce a service" in step 1) is not a question the user has got to.
        last = self._derive("last_answered", lambda: max(
            (self._order.get(q.id, -1) for q in self.visible()
             if q.id != "meta.title" and self.assessment.get_answer(q.id) is not None), default=-1))
        return place < last

    def first_in_step(self, step_id: str) -> Optional[Question]:
        questions = [q for q in self.visible() if self.questionnaire.locate(q.id)[0].id == step_id]
        facts = self.facts()
        to_confirm = self._to_confirm()
        for question in questions:
            if question.id in to_confirm or not is_answered(question, facts):
                return question
        return questions[0] if questions else None

    def questions_in_step(self, step_id: str) -> list[Question]:
        """The step's questions as asked now (shown, in order): what Enter on a step offers."""
        return [q for q in self.visible() if self.questionnaire.locate(q.id)[0].id == step_id]

    def find_questions(self, text: str) -> list[Question]:
        """The shown questions ``text`` names: by number ("7", "Q7", "q 7") or by words (every word
        appears in the question, its section or its step), in questionnaire order, those whose
        own words hold them all first (not the rest of a section that matched by its title)."""
        text = text.strip().lower()
        if not text:
            return self.visible()
        number = re.fullmatch(r"q?\s*0*(\d+)\.?", text)
        if number:
            return [q for q in self.visible() if q.number == int(number.group(1))]
        words = re.findall(r"\w+", text)
        found = []
        for question in self.visible():
            step, section, _ = self.questionnaire.locate(question.id)
            haystack = f"{question.text} {section.title} {step.title} {question.id}".lower()
            if all(word in haystack for word in words):
                found.append(question)
        return sorted(found, key=lambda q: not all(word in q.text.lower() for word in words))

    # --- saving on the writer thread (the wizard) --------------------------------------------

    def give(self, question: Question, raw: Any) -> Any:
        """Validate and store an answer, and save it on the writer thread; returns the stored value.

        Raises AnswerError (nothing stored) when it does not fit. The save itself is confirmed
        later: ``saving`` is False and ``saved_at`` set once it is on disk. If it fails (the file
        changed on disk, a full disk), the reply is kept as a draft, ``failure`` says why and
        ``take_unsaved`` names its question; nothing more is written until ``reload``.
        """
        value = mark_if_confirmed(parse_answer(question, raw, self.questionnaire), self._taken().get(question.id))
        with self._lock:
            before = self.assessment.get_answer(question.id)
            self.assessment.set_answer(question.id, value)
            follow_confirmed(self.assessment, self.questionnaire)  # answers confirmed from this one follow it
            self.changed()
            self.skipped.discard(question.id)
            # Not offered back in the box from now on; the draft file keeps it until this
            # save lands, so a kill -9 meanwhile loses nothing.
            self.drafts.pop(question.id, None)
            job = _Save(self.assessment.model_copy(deep=True), question.id, raw, before)
            self._pending.append(job)
            with contextlib.suppress(OSError):  # the save itself follows at once and says if it fails
                self._write_drafts(durable=False)
            if self.waits_for_screen:
                self._screen_done.clear()
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_loop, name="idmf-save", daemon=True)
                self._writer.start()
                _OPEN.add(self)
        self._jobs.put(job)
        return value

    @property
    def saving(self) -> bool:
        """Is an answer given but not yet on disk?"""
        return bool(self._pending)

    def drawn(self) -> None:
        """The screen has drawn the answers given so far: their saves may start (waits_for_screen)."""
        self._screen_done.set()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Wait until every answer given is written (or refused); False if ``timeout`` ran out first."""
        if self._writer is threading.current_thread():
            return not self._pending
        self.drawn()  # whoever waits for the saves is not drawing: no reason for them to wait on the screen
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def take_unsaved(self) -> list[str]:
        """The questions whose answers a failed save held (kept as drafts), once each, in order given."""
        with self._lock:
            unsaved, self._unsaved = self._unsaved, []
        return unsaved

    def _write_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._screen_done.wait(SAVE_WAITS_FOR_SCREEN_AT_MOST)
            try:
                self._write(job)
            finally:
                with self._idle:
                    self._pending.remove(job)
                    # The answer is on disk (or kept as a draft): the draft file no longer needs it.
                    with contextlib.suppress(OSError):  # a stale draft is only offered again
                        self._write_drafts()
                    self._idle.notify_all()

    def _write(self, job: _Save) -> None:
        with self._lock:
            failure, expected = self.failure, self.fingerprint
        if failure is None:
            try:
                if expected is None:
                    fingerprint = save_checked(job.snapshot, self.path)
                else:
                    fingerprint = save_checked(job.snapshot, self.path, expected=expected)
            except Exception as exc:  # changed on disk, a full disk, a bug: the reply must not be lost
                failure = exc
            else:
                with self._lock:
                    self.fingerprint = fingerprint if expected is not None else None
                    self.saved_at = dt.datetime.now()
                return
        with self._lock:
            self.failure = self.failure or failure
            if job.question_id not in self.drafts:  # a newer draft typed since is the one to keep
                self.drafts[job.question_id] = job.raw
            self._refused.setdefault(job.question_id, job.before)
            if job.question_id not in self._unsaved:
                self._unsaved.append(job.question_id)

    def reload(self) -> list[Question]:
        """Read the file again after it was changed outside this session (a save was refused
        with AssessmentChangedOnDisk); the questions whose answers now differ, in order.

        Raises IdmfError (the session unchanged) if the file can no longer be read.
        """
        self.flush()
        file = load_assessment(self.path, self.questionnaire)
        with self._lock:
            before, refused = self.assessment, self._refused
            self.assessment, self.fingerprint, self._refused = file.assessment, file.fingerprint, {}
            self.failure = None
            self.changed()
        changed = []
        for question in self.questionnaire.questions():
            old = refused[question.id] if question.id in refused else before.get_answer(question.id)
            if old != file.assessment.get_answer(question.id):
                changed.append(question)
        return changed

    def skip(self, question: Question) -> None:
        self.skipped.add(question.id)

    def save(self) -> None:
        """Save now (after any answer still being written); raises AssessmentChangedOnDisk
        (nothing written) if the file was changed outside this session since it was read or
        last saved, or the failure of an earlier save not yet dealt with by ``reload``."""
        self.flush()
        if self.failure is not None:
            raise self.failure
        if self.fingerprint is None:
            save_assessment(self.assessment, self.path)
        else:
            self.fingerprint = save_checked(self.assessment, self.path, expected=self.fingerprint)
        self.saved_at = dt.datetime.now()

    def progress(self) -> list[StepProgress]:
        return list(self._derive("progress", self._progress))

    def _progress(self) -> list[StepProgress]:
        facts = self.facts()
        shown = {q.id for q in self.visible()}
        out = []
        scope = self.assessment.scope
        for step in self.questionnaire.steps:
            questions = [q for s in step.sections for q in s.questions if q.id in shown]
            required = [q for q in questions if q.required]
            # Asked whatever the answers: no condition on the question or its section.
            in_scope = [q for s in step.sections for q in s.questions if q.required and q.in_scope(scope)]
            fixed = {q.id for s in step.sections if s.show_if is None for q in s.questions if q.show_if is None}
            certain = [q for q in in_scope if q.id in fixed]
            out.append(StepProgress(step, sum(1 for q in required if is_answered(q, facts)), len(required), len(questions),
                                    len(certain), sum(1 for q in certain if is_answered(q, facts)),
                                    len(certain) < len(in_scope)))
        return out

    def unanswered_required(self) -> list[Question]:
        facts = self.facts()
        return [q for q in self.visible() if q.required and not is_answered(q, facts)]

    def submit(self, by: str = "") -> Findings:
        """Submit for review, checked against findings worked out now from the answers as saved
        (never a panel's, which may be from before the last answer); the findings it was checked by."""
        self.flush()
        if self.failure is not None:  # an answer not saved: the submission must not go ahead of it
            failure = self.failure
            if isinstance(failure, IdmfError):
                raise failure
            reason = getattr(failure, "strerror", None) or str(failure)
            raise IdmfError(f"an answer could not be saved ({reason})",
                            hint="go back to the answer kept as a draft, save it again, then submit")
        findings = self.rules.engine().check(self.assessment)
        submit(self.assessment, by=by or self.assessment.metadata.person_responsible, findings=findings)
        self.changed()
        self.save()
        return findings
