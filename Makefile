# The two set-up commands are `make run` and `make test`; everything else is for developers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
PYTEST_WORKERS ?= auto

.PHONY: install run test test-unit test-integration lint fmt typecheck imports check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install  ## serve the API on SQLite at http://$(HOST):$(PORT)
	$(BIN)/shop db upgrade
	HOST=$(HOST) PORT=$(PORT) $(BIN)/shop serve --workers $(WORKERS)

test: install imports  ## every test, unit then integration, with coverage
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --cov --cov-report=term:skip-covered tests

test-unit: install
	$(BIN)/pytest -q tests/unit

test-integration: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) tests/integration

imports: install
	$(BIN)/lint-imports

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

fmt: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

typecheck: install
	$(BIN)/mypy

check: lint typecheck imports test-unit

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.*
