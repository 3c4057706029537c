# SOP Aplikasi — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test install-demo migrate demo messages lint typecheck format clean serve load bench bench-readme e2e scale-test

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet . 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import django, django_fsm, weasyprint"
	touch $@

# Extras: `demo` (time-machine, for seed_demo), `redis` (a shared cache), `s3`, `test`.
$(DEMO_STAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet '.[demo]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import time_machine"
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet '.[test,s3,demo,redis]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import pytest, pytest_django, storages, moto, time_machine, redis"
	touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)
install-demo: $(DEMO_STAMP)

# Compiled catalogues are committed; recompile when GNU gettext is present.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate $(DEMO_STAMP)
	$(PY) manage.py seed_demo

# Documents render in the background as in production: the task worker runs beside
# runserver (the demo's ~500 documents appear within minutes, marked "sedang dibuat").
# Links in e-mails and QR codes point where this server runs (make run PORT=8080), unless
# SOPAPP_PUBLIC_URL is set; 0.0.0.0 (every interface) is reached as 127.0.0.1 on this machine.
RUN_PUBLIC_URL := $(or $(SOPAPP_PUBLIC_URL),http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT))
run: export SOPAPP_TASK_BACKEND = database
run: export SOPAPP_PUBLIC_URL := $(RUN_PUBLIC_URL)
run: demo messages
	@echo "Links in e-mails and QR codes: $(SOPAPP_PUBLIC_URL)"
	@$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode on this machine: gunicorn + document worker, PostgreSQL, DJANGO_DEBUG=False.
serve: $(STAMP) messages
	$(PY) -m sopapp.serve --host $(HOST) --port $(PORT)

# 50 simulated users for 60 s against gunicorn + PostgreSQL (own database sopapp_load).
load: $(TEST_STAMP) messages
	$(PY) -m tools.loadtest $(LOAD_ARGS)

# Two web nodes and two document workers sharing only PostgreSQL, S3-compatible storage
# (a moto server it starts) and Redis; kills a node and a worker midway (PostgreSQL, ~3 min).
scale-test: $(TEST_STAMP) messages
	$(PY) -m tools.scale_test $(SCALE_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Types: mypy with django-stubs (strict on the services and the transition registry).
typecheck: $(TEST_STAMP)
	$(VENV)/bin/mypy

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(TEST_STAMP) messages lint typecheck
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Only the browser tests (Chromium at /usr/bin/chromium: `apt-get install chromium`);
# screenshots land in test-artifacts/screenshots/.
e2e: $(TEST_STAMP) messages
	$(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

# Two scratch databases beside the one named: var/bench_small.sqlite3 and var/bench_large.sqlite3,
# or BENCH_DATABASE_URL naming a PostgreSQL database with "bench" in its name (+ _small, _large).
# Writes var/bench.json; `make bench-readme` puts its table into README.md.
# BENCH_ARGS="--reuse" keeps the data of the last run, "--quick" runs every row at a tiny size.
bench: $(STAMP) messages
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3} \
		$(PY) -m tools.bench $(BENCH_ARGS)

bench-readme: $(STAMP)
	$(PY) -m tools.bench.report

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache test-artifacts
