# Two set-up commands for a new machine (see README):
#   make run   - create the virtual environment if absent, install, run the main job
#   make test  - install with the test extra and run every check
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# From Debian, only when missing: Pango for PDF reports (WeasyPrint), tmux
# for the test that drives the real wizard in a terminal, and poppler-utils
# (pdfinfo) for the test that reads the PDF report as a PDF reader does.
system-deps:
	@missing=""; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	command -v pdfinfo >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
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

clean:
	rm -rf $(VENV)
