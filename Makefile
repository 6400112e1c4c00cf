# Two set-up commands for a new machine (see README):
#   make run   - create the virtual environment if absent, install, run the main job
#   make test  - install with the test extra and run every check
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test install install-test system-deps windows-mimic lowest-versions clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# From Debian, only when missing: Pango for PDF reports (WeasyPrint), tmux
# for the test that drives the real wizard in a terminal, poppler-utils
# (pdfinfo) for the test that reads the PDF report as a PDF reader does,
# chromium and npm for the test that runs axe-core over the audit page
# (tests/accessibility.py fetches axe-core with npm pack into .cache/), and
# LibreOffice (soffice) to convert import test forms to PDF when a cached one is stale.
system-deps:
	@missing=""; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	command -v pdfinfo >/dev/null || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[durable]'
	touch $@

$(TSTAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,durable]'
	touch $@ $(STAMP)

install: system-deps $(STAMP)
install-test: system-deps $(TSTAMP)

run: install
	$(BIN)/idmf

test: install-test
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/idmf questionnaire validate
	$(BIN)/idmf rules validate
	$(BIN)/idmf rules test
	IDMF_ENGINE=oracle $(BIN)/idmf rules test
	@# One session: the engine-sensitive tests run with each engine as a parameter (tests/conftest.py).
	$(BIN)/python -m pytest -n 2 --dist worksteal -q

# The command line and the store as on Windows: this Python is made to lack
# fcntl, os.fchmod and the other POSIX-only calls (tests/windows_mimic/sitecustomize.py)
# before idmf is imported, in the tests and in every idmf they run.
WINDOWS_MIMIC_TESTS = tests/test_portable.py tests/test_store.py tests/test_lost_updates.py \
	tests/test_signing.py tests/test_cli.py tests/test_cli_conventions.py tests/test_register_subfolders.py \
	tests/test_engine_choice.py tests/test_audit.py tests/test_import_cli.py
windows-mimic: install-test
	@! PYTHONPATH=tests/windows_mimic $(BIN)/python -c "import fcntl" 2>/dev/null || { echo "the Windows mimic did not take effect" >&2; exit 1; }
	PYTHONPATH=tests/windows_mimic $(BIN)/python -m pytest -n 2 -q -p no:cacheprovider $(WINDOWS_MIMIC_TESTS)

# The lower bounds in pyproject.toml are true: a throwaway environment gets the
# lowest version of each direct dependency they allow (uv's lowest-direct
# resolution) and the fast part of the suite runs there. Raise a bound when it fails.
LOWEST ?= .venv-lowest
LOWEST_TESTS = tests/test_cli.py tests/test_cli_conventions.py tests/test_store.py tests/test_engine_choice.py \
	tests/test_report.py tests/test_ci_outputs.py tests/test_signing.py tests/test_import_cli.py \
	tests/test_audit.py tests/test_portable.py
lowest-versions: system-deps
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install --quiet uv
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct -e '.[test,durable]'
	$(LOWEST)/bin/uv pip list --python $(LOWEST)/bin/python 2>/dev/null | grep -iE '^(typer|click|rich|textual|pydantic|jinja2|pyyaml|weasyprint|python-docx|pypdf|pdfplumber|cryptography|platformdirs) ' || true
	$(LOWEST)/bin/python -m pytest -n 2 -q -p no:cacheprovider $(LOWEST_TESTS)
	rm -rf $(LOWEST)

clean:
	rm -rf $(VENV) $(LOWEST)
