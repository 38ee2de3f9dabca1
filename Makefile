# The two set-up commands are `make run` and `make test`; everything else is for developers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 1
THREADS ?= 4
PYTEST_WORKERS ?= auto
MUTATION_CHILDREN ?= 2

.PHONY: install run test test-unit test-integration fuzz lint fmt typecheck imports check mutation bench bench-compare wrk clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# One process with threads: rate limits counted in memory stay per client (more workers need
# SHOP_RATELIMIT_STORAGE_URL=redis://..., or `shop serve` refuses to start).
run: install  ## serve the API on SQLite at http://$(HOST):$(PORT)
	$(BIN)/shop db upgrade
	HOST=$(HOST) PORT=$(PORT) $(BIN)/shop serve --workers $(WORKERS) --threads $(THREADS)

test: install imports  ## every test, unit then integration, with coverage
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup --cov --cov-report=term:skip-covered tests

test-unit: install
	$(BIN)/pytest -q tests/unit

test-integration: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup tests/integration

fuzz: install  ## schemathesis against /openapi.json as every role, on a temporary SQLite file
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m fuzz tests/fuzz

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

# A developer tool, not part of `make test`: mutmut 3 mutates shopcore.domain and
# shopcore.use_cases ([tool.mutmut] in pyproject.toml), runs the unit tests against each mutant,
# then prints the score (all mutants, and without the survivors that only reword a message) and
# every survivor that changes behaviour, with its diff. tools/mutation.py says how a message-only
# survivor is told apart. MUTANTS='shopcore.domain.values.*' re-runs only those mutants;
# results are kept in mutants/ (git-ignored) between runs.
mutation: install  ## mutation testing of the pure core (slow: minutes per module)
	nice -n 19 $(BIN)/python tools/mutation.py --children $(MUTATION_CHILDREN) \
		--survivors mutants/survivors.txt $(MUTANTS)

wrk:  ## the load generator of `make bench` (Debian package), installed when missing
	@command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk)

bench: install wrk  ## benchmark `shop serve` against the Flask floor (SIZE=100000 DATABASE_URL=..., see bench/run.py)
	$(BIN)/python -m bench.run $(if $(SIZE),--size $(SIZE)) $(if $(DATABASE_URL),--database-url '$(DATABASE_URL)')

bench-compare: install wrk  ## the benchmark at 10k then 100k products, p50 side by side
	$(BIN)/python -m bench.run --compare

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.* mutants
