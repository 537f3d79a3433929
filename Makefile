# CX portal — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench demo clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo data, start web + Celery worker + beat (embedded defaults).
run: install
	@bash scripts/run.sh

## make test: install and run the whole test suite.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: the benchmarks; each prints its rates and the ratio to a reference measured in the same run.
bench: install
	$(BIN)/python bench/distribution.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_demo

clean:
	rm -rf var/broker var/test .pytest_cache
