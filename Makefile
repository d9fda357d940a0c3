# xaso — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINTED := src tests $(wildcard bench)

.PHONY: demo test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## load the demo data into ./var (XASO_DATA_DIR) and serve http://127.0.0.1:8000
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

clean:
	rm -rf $(VENV) var .pytest_cache
