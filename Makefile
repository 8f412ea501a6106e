# Two commands on a fresh machine: `make serve` and `make test`. Each bootstraps the venv itself,
# from requirements.lock (every package pinned, with hashes; `scripts/lock` refreshes it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# PostgreSQL for the suite: the URL of a server that answers, or of one brought up for it
PG_URL = $$($(BIN)/python scripts/ensure_postgres.py)

.PHONY: serve test test-quick test-latest stop-postgres kube stop-kube openapi contract bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "astroplane needs Python >= 3.11 (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/astroplane serve

test: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/python scripts/ensure_terraform_provider.py >/dev/null
	$(BIN)/python scripts/ensure_kube.py >/dev/null
	url=$(PG_URL) && ASTROPLANE_TEST_PG_URL=$$url $(BIN)/pytest -n 2 --dist loadgroup tests

test-quick: $(STAMP)
	url=$(PG_URL) && ASTROPLANE_TEST_PG_URL=$$url $(BIN)/pytest -n 2 -m "not slow" tests

# The newest releases pyproject.toml allows, in a venv of their own, against the quick suite.
test-latest: $(STAMP)
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade --upgrade-strategy eager -e ".[dev]"
	url=$(PG_URL) && ASTROPLANE_TEST_PG_URL=$$url .venv-latest/bin/pytest -n 2 -m "not slow" tests

stop-postgres: $(STAMP)
	$(BIN)/python scripts/ensure_postgres.py --stop

# The Kubernetes runtime's test cluster (docs/kubernetes.md): built once from the Go module proxy into
# .astroplane/kube, started and left running; stop-kube stops it (clients, apiserver, then etcd).
kube: $(STAMP)
	$(BIN)/python scripts/ensure_kube.py

stop-kube:
	python3 scripts/ensure_kube.py --stop

openapi: $(STAMP)
	@$(BIN)/astroplane openapi

contract: $(STAMP)
	$(BIN)/astroplane openapi > $(VENV)/openapi.json
	../shared/tools/contract-diff $(VENV)/openapi.json

lock:
	scripts/lock

clean:
	rm -rf $(VENV) .venv-latest .astroplane

# Benchmarks (issue 8): astroplane on SQLite and PostgreSQL vs a trivial route and Prism; prints the table.
# BENCH_BASELINE: the revision the no-regression figures compare with (issue 21: main before its list work).
BENCH_BASELINE ?= b6eb7fc
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)
	url=$(PG_URL) && ASTROPLANE_TEST_PG_URL=$$url $(BIN)/python bench/run.py --baseline-rev $(BENCH_BASELINE) $(BENCH_ARGS)
