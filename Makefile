# earcheck: `make run` and `make test` each set up everything they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_DATA ?= ../shared/data
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install data run test lint typecheck unit bench bench-smoke screens clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Load the list and regulation snapshots: from ../shared/data when it is there, else from the
# official sources, else say what to do.
data: install
	@if [ -f "$(SHARED_DATA)/manifest.json" ]; then \
	  $(BIN)/earcheck data import "$(SHARED_DATA)"; \
	elif $(BIN)/earcheck data update; then :; \
	else \
	  echo "No data: put a snapshot folder (with manifest.json) at $(SHARED_DATA), or give SHARED_DATA=PATH," >&2; \
	  echo "or allow network access to trade.gov and treasury.gov for 'earcheck data update'." >&2; \
	  exit 1; \
	fi

# Load the data, print the flagship timeline and the local admin API key (made on the first run and
# kept, owner-readable only, in the state folder: keys are stored hashed), then serve the web UI and
# the API on PORT.
PORT ?= 8000
HOST ?= 127.0.0.1
run: data
	$(BIN)/earcheck data status
	$(BIN)/earcheck timeline examples/smic-huawei.yaml
	@echo "Sign in at http://$(HOST):$(PORT)/ with this admin API key:"
	@$(BIN)/earcheck keys local
	@echo "(To use the command line directly: export PATH=\"$(abspath $(BIN)):\$$PATH\")"
	$(BIN)/earcheck serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

# Unit, integration, PostgreSQL and browser tests. PostgreSQL is started for the run when its
# binaries are installed (Debian's postgresql package); tests that need it are skipped otherwise,
# unless EARCHECK_REQUIRE_SERVICES=1 (as in CI) makes that a failure.
unit: install
	scripts/with-postgres $(BIN)/pytest -n 2 -q

test: lint typecheck unit

bench: install
	$(BIN)/python -m benchmarks

bench-smoke: install
	$(BIN)/python -m benchmarks --smoke

screens: install  # rewrite the README's screenshots in docs/screens (Chromium)
	EARCHECK_SCREENS=1 $(BIN)/python -m pytest tests/web/test_guided_browser.py -q -n 0

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
