# Signpost: `make run` serves the demo; `make test` runs every test. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: lock setup run test lint format translations compile-translations assets browser bench bench-ask load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every Python dependency, direct or not, at the version in the lock file; then the app itself.
$(VENV)/.installed: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Re-pin after changing pyproject.toml's dependencies (then commit requirements-dev.lock).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev \
	  --output-file requirements-dev.lock pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

signpost/static/manifest.json: node_modules/.package-lock.json $(wildcard assets/*.mjs assets/scss/*.scss assets/js/* assets/images/*)
	npm run --silent build

assets: signpost/static/manifest.json

# Extract every marked string, update each language's catalog, compile them all.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete; fi
	$(MAKE) compile-translations

# Compiled catalogs are built here, never committed.
compile-translations: $(VENV)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile -d translations; fi

setup: $(VENV)/.installed assets compile-translations

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it (and Noto fonts for Urdu, Arabic and Gurmukhi screenshots)
# when we can (as root), otherwise they skip.
browser:
	@{ command -v chromium && dpkg -s fonts-noto-core; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "Chromium is not installed and cannot be installed here: browser tests will skip."; fi; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup browser lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

# 60 s of mixed traffic at gunicorn (2 workers) on PostgreSQL from TEST_DATABASE_URL (its schema is reset).
load: setup
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) node_modules signpost/static instance/*.sqlite*

# "Ask us" on the held-out sets (measure only, never tune on them): risk recall, false urgent, needs, p50/p95.
bench-ask: $(VENV)/.installed
	$(BIN)/python -m bench.ask_heldout $(ARGS)
