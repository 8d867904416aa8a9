# Two entry points, both work on a fresh machine with Python 3.11+ and make:
#   make run   - set up, load the example article into demo.db, open the app
#   make test  - set up with test dependencies, run ruff, the import contracts
#                (lint-imports), mypy and pytest
# and, for PostgreSQL (needs Debian's postgresql-15; installed when run as root):
#   make test-pg - the services, db, CLI and TUI tests on a throwaway PostgreSQL cluster
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: run test test-pg lint typecheck pytest demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

$(VENV)/.installed-postgres: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/tracker --db $(DEMO_DB) demo

run: demo
	$(BIN)/tracker --db $(DEMO_DB)

lint: $(VENV)/.installed
	$(BIN)/ruff check tracker tests bench migrations/env.py
	$(BIN)/ruff format --check tracker tests bench migrations/env.py
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/python -m pytest

test: lint typecheck pytest

# The PostgreSQL variants (marked pg) of the services, db, CLI and TUI tests, on a
# cluster of its own (.ci/pg.sh) that is stopped and removed however pytest
# ends. PYTEST_ARGS adds options, e.g. PYTEST_ARGS='-x -k undo'.
test-pg: $(VENV)/.installed-postgres
	@state=$$(mktemp /tmp/tracker-pg-state.XXXXXX) && \
	trap 'TRACKER_PG_STATE=$$state .ci/pg.sh stop' EXIT && \
	url=$$(TRACKER_PG_STATE=$$state .ci/pg.sh start) && \
	echo "PostgreSQL for the tests: $$url" && \
	TRACKER_TEST_PG_URL=$$url $(BIN)/python -m pytest -m pg tests/services tests/db tests/cli tests/tui $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/matching_quality.py
	$(BIN)/python bench/matching_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
