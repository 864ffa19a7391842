# Samspill. `make run` sets up everything and serves the demo; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/samspill

.PHONY: run test test-postgres test-browser lint format typecheck messages bench bench-signups load drill assets deps setup clean

$(VENV)/.deps: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements/base.txt -r requirements/dev.txt
	touch $@

deps: $(VENV)/.deps

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

static/dist/samspill.css: frontend/node_modules/.package-lock.json frontend/build.mjs frontend/samspill.css frontend/samspill.js
	cd frontend && node build.mjs

assets: static/dist/samspill.css

# Compiles the committed .po files; the .mo files are build output.
compilemessages: deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=frontend -v 0

setup: deps assets compilemessages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_reference_data
	$(MANAGE) load_demo_data

run: setup
	$(MANAGE) print_demo_logins
	$(PY) -m samspill.core.devserver $(HOST):$(PORT)

test: deps assets compilemessages
	$(BIN)/pytest -m "not browser" -n 2

test-postgres: deps assets compilemessages
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not browser" -n 2

# Two processes, each with its own live server, database, Chromium and HTML checker: 5 min
# instead of 8.5 on two cores (docs/benchmarks.md, "Accessibility sweep").
test-browser: deps assets compilemessages
	$(BIN)/pytest -m browser -n 2

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: deps
	$(BIN)/mypy

messages: deps
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=frontend --ignore=static --ignore=staticfiles --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv --ignore=frontend -v 0

bench: deps assets compilemessages
	$(PY) -m bench.run $(BENCH_ARGS)

# Sign-up burst: many volunteers sign up for the same shifts at once against gunicorn on PostgreSQL
# (bench/signups.py; options with SIGNUPS_ARGS="--clients 100"); docs/benchmarks.md "Sign-up burst".
bench-signups: deps assets compilemessages
	$(PY) -m bench.signups $(SIGNUPS_ARGS)

# Load at a call's deadline: gunicorn (4 workers) on PostgreSQL (database samspill_load), a step
# ramp of locust users until p95 > 500 ms or errors > 1 %. About 5 minutes; docs/benchmarks.md.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/samspill_load
load: deps assets compilemessages
	$(PY) -m bench.load.run --database-url $(LOAD_DATABASE_URL) $(LOAD_ARGS)

# Fault drill under load: kill -9 a gunicorn worker, the task worker and the gunicorn master, restart
# PostgreSQL (needs root and pg_ctlcluster; LOAD_ARGS=--no-postgres-restart skips it), then check
# every acknowledged submission against the database and the receipts. About 4 minutes.
drill: deps assets compilemessages
	$(PY) -m bench.load.drill --database-url $(LOAD_DATABASE_URL) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) frontend/node_modules static/dist staticfiles var

# The current two-step login code of a demo person: make demo-code EMAIL=koordinator@demo.samspill.no
demo-code: deps
	$(MANAGE) demo_totp_code $(EMAIL)
