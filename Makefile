# Whole System: two commands. `make demo` runs the service with synthetic data on SQLite;
# `make test` runs every test. Both set up everything they need first.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
UV := .tools/bin/uv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DB := var/demo.sqlite3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install assets chromium demo test lint check-deploy policy-coverage messages clean

help:
	@echo "make demo   set up and start the service with synthetic demo data on SQLite"
	@echo "make test   set up and run every test (DATABASE_URL=postgres://… for PostgreSQL)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

whole_system/static/dist/.built: node_modules/.installed frontend/build.mjs frontend/app.css frontend/init.js
	npm run --silent build
	@touch $@

assets: whole_system/static/dist/.built

# Headless Chromium for the browser and accessibility tests, from Debian's packages.
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver)

demo: install assets
	@mkdir -p var/static
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	WS_DEMO=1 DATABASE_URL=sqlite:///$(DEMO_DB) $(MANAGE) migrate --no-input -v 0
	WS_DEMO=1 DATABASE_URL=sqlite:///$(DEMO_DB) $(MANAGE) load_demo
	@echo ""
	@echo "Whole System demo: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@echo ""
	@export WS_DEMO=1 DATABASE_URL=sqlite:///$(DEMO_DB); \
	  $(MANAGE) worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
	    --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(L)ss'

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint whole_system --lint --quiet
	DEBUG=1 $(VENV)/bin/mypy
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The production settings pass Django's deployment checklist with no warnings.
check-deploy: install
	DEBUG=0 WS_DEMO=0 ALLOWED_HOSTS=whole-system.example.org \
	  SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  $(MANAGE) check --deploy --fail-level WARNING

# Every branch of the one policy point is exercised by its own tests.
policy-coverage: install
	@mkdir -p var
	$(PY) -m coverage run --data-file=var/.coverage-policy --branch \
	  --include=whole_system/privacy/policy.py -m pytest -q whole_system/privacy/tests/test_policy.py
	$(PY) -m coverage report --data-file=var/.coverage-policy --show-missing --fail-under=100

messages: install
	DEBUG=1 $(MANAGE) makemessages -l cy --ignore=.venv --ignore=node_modules \
	  --ignore=browser_tests --ignore=bench
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

test: install assets chromium lint check-deploy policy-coverage
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .tools node_modules var whole_system/static/dist
