# CX portal — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format bench bench-scale load demo clean messages

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

## make install also compiles the translation catalogues (locale/*/LC_MESSAGES/*.mo are built, not in git).
install: $(STAMP)
	@bash scripts/pdf_prereqs.sh
	@$(BIN)/python -m cxportal.catalogues

## make messages: extract the marked strings into locale/de (django + djangojs, no obsolete entries), compile.
messages: install
	$(BIN)/python -m cxportal.catalogues messages

## make run: install, migrate, load the demo data, start web + Celery worker + beat (embedded defaults).
run: install
	@bash scripts/run.sh

## make test: install and run the whole test suite, browser tests included (Chromium and axe-core are
## installed when missing; screenshots of each step go to var/e2e/screenshots/).
test: install
	@bash scripts/e2e_prereqs.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make test-fast: the edit-run loop — no browser, no real worker processes, no PostgreSQL/Redis-only tests.
## `make test` (and CI) still run everything.
test-fast: install
	$(BIN)/python -m pytest --ignore=tests/e2e --ignore=tests/reliability --ignore=tests/integration \
		-m "not integration" $(PYTEST_ARGS)

## make bench: the benchmarks; each prints its rates and the ratio to a reference measured in the same run.
## Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cx_bench); see BENCHMARKS.md.
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

## make bench-scale: the 10 M-answer goals of issue 17 (P6 incremental recompute, P8 memory, P9 dashboards)
## against the 1 M store of make bench; generates the 10 M store once (~15 min), bench/results_scale.json.
bench-scale: install
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

## make load: 200 simulated respondents + CX managers on dashboards for 60 s against gunicorn + PostgreSQL
## (127.0.0.1); reports throughput and p50/p95/p99, fails on any 5xx or an accepted answer not stored once.
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_demo --language "$${DEMO_LANGUAGE:-en}"

clean:
	rm -rf var/broker var/test .pytest_cache
