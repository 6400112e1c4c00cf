"""Nothing from the working folder unless asked: shipped sets by default, an organisation's own set
only by option, environment or idmf.toml, named wherever it is used; templates sandboxed."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import EXAMPLES, ROOT, run_idmf

RED = next(EXAMPLES.glob("red-*.yaml"))


def _quiet_rules(folder):
    """A rule set that never fires: what an attacker would drop in to turn red green."""
    folder.mkdir(parents=True)
    (folder / "nothing.yaml").write_text(
        "rules:\n"
        "  - id: ZZ-001\n    title: Never\n    severity: info\n    category: equality\n"
        "    when: {equals: {meta.title: 'no such title ever'}}\n"
        "    message: m\n    guidance: g\n    references: [x]\n"
        "    examples:\n      fires:\n        - name: f\n          answers: {meta.title: 'no such title ever'}\n"
        "      quiet:\n        - name: q\n          answers: {}\n")
    return folder


def test_rules_and_templates_in_the_working_folder_are_ignored(tmp_path):
    _quiet_rules(tmp_path / "rules")
    (tmp_path / "templates").mkdir()
    marker = tmp_path / "ran"
    for name in ("report.html.j2", "report.md.j2"):
        (tmp_path / "templates" / name).write_text(
            "{{ cycler.__init__.__globals__.os.system('touch %s') }}PLANTED" % marker)
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "questionnaires" / "questionnaire.yaml").write_text("id: planted\n")
    red = tmp_path / RED.name
    shutil.copy(RED, red)
    checked = run_idmf("check", str(red), "--format", "json", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr  # still red: the shipped rules were used
    data = json.loads(checked.stdout)
    assert data["assessments"][0]["rag"] == "red"
    assert data["sources"]["rules"]["origin"] == "shipped with idmf"
    assert data["sources"]["questionnaires"]["origin"] == "shipped with idmf"
    report = run_idmf("report", str(red), "--format", "md", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    text = red.with_name(red.stem + ".report.md").read_text()
    assert "PLANTED" not in text and not marker.exists()
    assert "set by" not in text  # the report names no set of its own: the shipped ones were used


HOSTILE_TEMPLATES = {
    "os.system through globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "subclasses walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "builtins import": "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARKER') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "format string escape": "{{ '{0.__class__.__init__.__globals__}'.format(c) }}",
    "mutate the context": "{% do c.footer.append(('x', 'y')) %}{{ c.footer.clear() }}",
    "read a file through the loader": "{% include '/etc/passwd' %}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEMPLATES))
def test_a_hostile_template_cannot_run_code(tmp_path, name):
    templates = tmp_path / "org-templates"
    shutil.copytree(ROOT / "templates", templates)
    marker = tmp_path / "MARKER"
    (templates / "report.md.j2").write_text(HOSTILE_TEMPLATES[name].replace("MARKER", str(marker)))
    red = tmp_path / RED.name
    shutil.copy(RED, red)
    result = run_idmf("--templates", str(templates), "report", str(red), "--format", "md", cwd=tmp_path)
    assert not marker.exists()
    assert "Traceback" not in result.stderr and result.returncode in (0, 2), result.stderr
    if result.returncode == 2:
        assert "report.md.j2" in result.stderr and "error:" in result.stderr
    else:  # rendered: then nothing unsafe reached the output
        text = red.with_name(red.stem + ".report.md").read_text()
        assert "root:" not in text and "<built-in" not in text and "subprocess" not in text


def _sources(*args, cwd=None, env=None):
    result = run_idmf(*args, "check", str(RED), "--format", "json", cwd=cwd, env=env)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_an_organisation_set_comes_by_option_environment_or_idmf_toml_and_is_named(tmp_path):
    by_option = _quiet_rules(tmp_path / "option-rules")
    by_env = _quiet_rules(tmp_path / "env-rules")
    _quiet_rules(tmp_path / "project" / "policy" / "rules")
    (tmp_path / "project" / "idmf.toml").write_text('name = "Example ICB"\nrules = "policy/rules"\n')
    work = tmp_path / "project" / "sub"
    work.mkdir()

    toml = _sources(cwd=work)["sources"]["rules"]  # found in a parent folder
    assert toml["name"] == "Example ICB rules" and toml["origin"].startswith("idmf.toml at ")
    assert toml["path"] == str(tmp_path / "project" / "policy" / "rules")
    env = _sources(cwd=work, env={"IDMF_RULES": str(by_env)})["sources"]["rules"]
    assert env["origin"] == "IDMF_RULES" and env["path"] == str(by_env)
    option = _sources("--rules", str(by_option), cwd=work, env={"IDMF_RULES": str(by_env)})["sources"]["rules"]
    assert option["origin"] == "--rules" and option["path"] == str(by_option)

    # Named in the table, the CI formats and the report, with path and origin.
    table = run_idmf("--rules", str(by_option), "check", str(RED), cwd=work)
    assert table.returncode == 0  # the quiet rules found nothing: exactly why they must be named
    assert "rules: own rules version" in table.stdout and str(by_option) in table.stdout.replace("\n", "")
    for fmt in ("github", "junit", "sarif"):
        out = run_idmf("--rules", str(by_option), "check", str(RED), "--format", fmt, cwd=work).stdout
        assert str(by_option) in out and "--rules" in out, fmt
    red = tmp_path / RED.name
    shutil.copy(RED, red)
    run_idmf("report", str(red), "--format", "md", cwd=work)
    report = red.with_name(red.stem + ".report.md").read_text()
    assert "Example ICB rules version" in report and "set by idmf.toml at" in report


@pytest.mark.parametrize("content,expected", [
    ("rules = [unclosed\n", "not valid TOML"),
    ("rulez = 'x'\n", "unknown setting(s): rulez"),
    ("rules = 'missing-folder'\n", "rules folder not found"),
    ("rules = 3\n", "rules must be a non-empty string"),
])
def test_a_bad_idmf_toml_is_a_clear_exit_2(tmp_path, content, expected):
    (tmp_path / "idmf.toml").write_text(content)
    result = run_idmf("check", str(RED), cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr and "idmf.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_example_base_files_resolve_against_the_rule_file(tmp_path):
    shutil.copytree(ROOT / "rules", tmp_path / "set" / "rules")
    alone = run_idmf("rules", "test", str(tmp_path / "set" / "rules"), cwd=tmp_path)
    assert alone.returncode == 1 and "base file not found" in alone.stderr and "completeness.yaml:" in alone.stderr
    shutil.copytree(ROOT / "examples", tmp_path / "set" / "examples")
    whole = run_idmf("rules", "test", str(tmp_path / "set" / "rules"), cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr


def test_a_pdf_fetches_only_from_its_templates_folder(tmp_path):
    from idmf.report.render import _local_fetcher

    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetch = _local_fetcher(tmp_path)
    call = getattr(fetch, "fetch", fetch)
    call((tmp_path / "logo.svg").as_uri())  # allowed
    for url in ("file:///etc/passwd", (tmp_path / ".." / "elsewhere").resolve().as_uri(),
                "http://127.0.0.1:9/x.png", "https://example.org/track.png"):
        with pytest.raises(ValueError):
            call(url)
