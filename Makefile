# xaso — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINTED := src tests $(wildcard bench) $(wildcard tools)

.PHONY: demo test lint format bench clean mutants

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## serve http://127.0.0.1:8000, the demo loaded into ./var (XASO_DATA_DIR) if empty
	$(BIN)/xaso demo

test: $(STAMP)  ## the whole suite (SQLite; set DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

bench: $(STAMP)  ## benchmarks; they write docs/benchmarks.md
	$(BIN)/python -m bench

# Mutation testing of the core (mutmut; slow, so not part of `make test` nor .ci/run). Results
# are kept in mutants/ between runs; MUTANTS='xaso.figures.partials*' runs some modules only.
MUTANTS ?=
mutants: $(STAMP)  ## mutation testing; writes the "Mutation testing" section of docs/testing.md
	PYTHONPATH=tools $(BIN)/mutmut run --max-children 2 $(MUTANTS); \
	status=$$?; $(BIN)/python tools/mutants_report.py; exit $$status

clean:
	rm -rf $(VENV) var .pytest_cache
