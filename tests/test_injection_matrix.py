"""Every payload class into every field of every output: nothing is live (issue 30).

One assessment per payload class (ESC sequences, BEL, OSC window title and hyperlink, Rich markup,
bidirectional controls, control characters, astral and combining characters, huge values), with the
payload in every field and in its file name, through every output: the terminal (show, check,
verify, list, audit, import, submit), CSV, JSON, GitHub, JUnit, SARIF, the audit's CSV and HTML, and
the reports as HTML, Markdown, Word and PDF. An output is live if it carries a raw escape, bell, C1
or bidi control, is not valid in its format, or the command exits 70 or hangs.
"""

from __future__ import annotations

import pytest

from . import injection
from .hostile import run_commands

# PDF is the slow format (about 1.5 s a report): make test renders it for one payload class, the
# reliability script for all of them.
WITH_PDF = {"control characters"}


@pytest.mark.parametrize("kind", sorted(injection.PAYLOADS))
def test_no_payload_is_live_in_any_output(tmp_path, kind):
    payload = injection.PAYLOADS[kind]
    path = injection.build(tmp_path / "in")[kind]
    out = tmp_path / "out"
    jobs = injection.jobs(kind, path, out, pdf=kind in WITH_PDF)
    form = injection.form_named(tmp_path / "forms", payload)
    jobs["terminal: import"] = ["import", str(form), "--dir", str(tmp_path / "imported")]
    copy = injection.copy_for_writes(path, tmp_path / "writes")
    jobs["terminal: submit"] = ["submit", str(copy), "--by", payload]
    jobs["terminal: review return"] = ["review", "return", str(copy), "--reviewer", payload, "--comment", payload]
    results = dict(zip(jobs, run_commands(list(jobs.values()), cwd=tmp_path, timeout=600)))
    assert results["terminal: import"]["code"] == 0, results["terminal: import"]["stderr"]
    assert results["reports: board"]["code"] == 0, results["reports: board"]["stderr"]
    assert any(out.rglob("*.docx")) and any(out.rglob("*.html"))
    assert injection.live(results, out) == []
