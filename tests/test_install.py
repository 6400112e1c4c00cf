"""Installing idmf where NHS staff work: what the packages hold, what the docs tell people
to type, and what a machine without a system library is told."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, run_idmf_process


def test_pdf_without_pango_names_the_missing_library_not_the_folder(tmp_path):
    # What WeasyPrint raises on import where Pango is not installed.
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file\")\n")
    red = tmp_path / "red.yaml"
    red.write_bytes(next(EXAMPLES.glob("red-*.yaml")).read_bytes())
    path = os.pathsep.join([str(tmp_path / "fake"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # A process of its own: PYTHONPATH is read at start-up, and this process has WeasyPrint loaded.
    result = run_idmf_process("report", str(red), "--format", "pdf", env={"PYTHONPATH": path})
    assert result.returncode == 2, result.stderr
    assert "Pango" in result.stderr and "libpango-1.0-0" in result.stderr
    assert "folder you can write to" not in result.stderr
    assert "html, docx and md reports work without it" in result.stderr
    assert not red.with_suffix(".report.pdf").exists()


def test_the_docs_never_tell_anyone_to_install_an_unregistered_name():
    # "idmf" is not a name on the public package index: `pip install idmf` would fail, or worse,
    # install someone else's package. The wheel, the [durable] extra or pipx from git instead.
    for doc in [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "docs").rglob("*.*"))]:
        text = doc.read_text(encoding="utf-8")
        bare = re.findall(r"pip(?:x)? install (?:-[-\w]+ )*['\"]?idmf(?:\[[\w,]+\])?['\"]?(?!\s*@)(?=[\s`)]|$)", text)
        assert not bare, f"{doc.relative_to(ROOT)} says {bare[0]!r}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx install git+" in readme and "idmf-0.1.0-py3-none-any.whl" in readme
    assert "[durable]" in readme


def _build(what: str, source: Path, out: Path) -> Path:
    if subprocess.run([sys.executable, "-c", "import build"], capture_output=True).returncode:
        pytest.skip("the 'build' package is not installed (it is in the test extra: pip install -e '.[test]')")
    done = subprocess.run([sys.executable, "-m", "build", f"--{what}", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return next(out.glob("*.tar.gz" if what == "sdist" else "*.whl"))


@pytest.mark.slow
def test_the_sdist_holds_no_tests_and_builds_a_complete_wheel(tmp_path):
    sdist = _build("sdist", ROOT, tmp_path / "sdist")
    with tarfile.open(sdist) as tar:
        names = [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]
        tar.extractall(tmp_path / "unpacked", filter="data")
    tests = [name for name in names if name.startswith(("tests/", "features/"))]
    assert not tests, f"the sdist ships {len(tests)} test files without the suite around them: {tests[:3]}"
    source = next((tmp_path / "unpacked").iterdir())
    wheel = _build("wheel", source, tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as zipped:
        held = set(zipped.namelist())
    for needed in ("idmf/data/templates/report.html.j2", "idmf/data/templates/audit.html.j2",
                   "idmf/data/questionnaires/questionnaire.yaml", "idmf/data/rules/access.yaml",
                   "idmf/data/examples/green-pharmacy-extended-hours.yaml", "idmf/store/portable.py"):
        assert needed in held, needed
    metadata = next(name for name in held if name.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as zipped:
        requires = [line for line in zipped.read(metadata).decode().splitlines() if line.startswith("Requires-Dist")]
    durable = [line for line in requires if "durable-rules" in line]
    assert durable and all("extra == \"durable\"" in line for line in durable), durable
