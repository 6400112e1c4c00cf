"""Whatever a file holds, importing it gives an assessment or one clear refusal (InputError):
never a crash. Generated damaged forms: shuffled, cut and garbled lines of real forms, and
Word and PDF files with bytes changed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idmf.errors import InputError
from idmf.importing import read_form

from .import_corpus import FORMS, LAYOUTS, to_docx, to_pdf, to_text
from .conftest import examples

LINES = sorted({line for form in FORMS for layout in LAYOUTS.values()
                for line in to_text(layout(form)).splitlines() if line.strip()})


def _read(name: str, data: bytes, questionnaire) -> None:
    try:
        read_form(Path(name), data, questionnaire)
    except InputError as exc:
        assert str(exc).startswith(name)


line = st.one_of(st.sampled_from(LINES), st.text(max_size=80),
                 st.sampled_from(LINES).map(lambda s: s[: len(s) // 2]),
                 st.sampled_from(["Yes", "No", "☒", "☐ Yes ☒ No", "| x | y |", "|---|", "**", "1.", "28", "•",
                                  "Name:", "Date: 31/02/2024", "Page 3 of 4", "Stage 1 approval", "?"]))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(line, max_size=120))
def test_any_text_gives_a_form_or_a_clear_refusal(questionnaire, lines):
    _read("form.md", "\n".join(lines).encode("utf-8"), questionnaire)


@pytest.fixture(scope="module")
def originals():
    doc = LAYOUTS["tickboxes"](FORMS[1])
    return {"form.docx": to_docx(doc), "form.pdf": to_pdf(doc)}


@pytest.mark.parametrize("name", ["form.docx", "form.pdf"])
@pytest.mark.parametrize("seed", range(12))
def test_a_damaged_word_or_pdf_file_gives_a_form_or_a_clear_refusal(questionnaire, originals, name, seed):
    rng = random.Random(seed)
    data = bytearray(originals[name])
    for _ in range(rng.choice([1, 5, 50])):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if seed % 3 == 0:
        data = data[: rng.randrange(len(data))]
    _read(name, bytes(data), questionnaire)
