# Two commands on a fresh machine: `make serve` and `make test`. Each bootstraps the venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: serve test test-quick openapi contract bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/astroplane serve

test: $(STAMP)
	scripts/ensure-postgres
	$(BIN)/pytest -n 2 tests

test-quick: $(STAMP)
	$(BIN)/pytest -n 2 -m "not slow" tests

openapi: $(STAMP)
	@$(BIN)/astroplane openapi

contract: $(STAMP)
	$(BIN)/astroplane openapi > $(VENV)/openapi.json
	../shared/tools/contract-diff $(VENV)/openapi.json

clean:
	rm -rf $(VENV) .astroplane

# Benchmarks (issue 8): astroplane on SQLite and PostgreSQL vs a trivial route and Prism; prints the table.
bench: $(STAMP)
	scripts/ensure-postgres
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
