# The APAP portal's commands. `make run` serves the portal, `make test` tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The links in the worker's emails name the port `make run` serves on (SITE_URL's default).
export PORT
MANAGE := $(BIN)/python manage.py

.PHONY: help install run test test-browser test-redis test-redis-cached test-replication lint audit audit-if-reachable check-db messages makemessages lock bench bench-digests bench-cluster clean backup restore

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The virtual environment, rebuilt when the lock file changes.
$(BIN)/.installed: requirements.lock pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		rm -rf $(VENV) && "$$python" -m venv $(VENV) || { echo "Could not create $(VENV) with $$python."; exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

# Front-end libraries (Leaflet) from the npm registry, served as our own static files.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the map library (Node.js 18 or newer)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed node_modules/.installed ## Create .venv and install everything

check-db: install
	@$(MANAGE) ensure_database

# gettext and PostgreSQL's client for `make run`; Chromium and Java too for `make test`:
# installed when missing and this user may (root or sudo), else named in one line.
system-packages-run:
	@scripts/install-system-packages run
system-packages-test:
	@scripts/install-system-packages test

# Each language's catalogue, compiled from locale/<code>/LC_MESSAGES/django.po (needs GNU gettext).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "GNU gettext is needed to compile the translations (apt-get install gettext)."; exit 1; }
	msgfmt --check-format -o $@ $<

messages: system-packages-run $(CATALOGUES) ## Compile the translations

makemessages: install ## Update every site language's catalogue (settings.LANGUAGES) from the code and templates
	$(MANAGE) makemessages --ignore ".venv/*" --ignore "node_modules/*" --no-obsolete

# The web server, the task worker (emails, digests, reminders) and the scheduler of
# periodic work, in one command; Ctrl-C stops all three.
run: install check-db messages ## Migrate, load the demo data, serve at http://127.0.0.1:$(PORT) with the task worker
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT; \
	$(MANAGE) db_worker --interval 1 & worker=$$!; \
	$(MANAGE) scheduler & scheduler=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Lint needs no database: makemigrations skips the system checks (some ask the server its
# version) and its warning that it could not compare with the database's history.
# The portal as production shows it (DJANGO_DEBUG=false: its error pages, hashed static
# files), over plain HTTP on this machine. Its cookies are HTTPS-only, so nobody can sign in.
PRODUCTION_PREVIEW := DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
	DJANGO_SECURE_SSL_REDIRECT=false
run-production: install check-db messages ## Serve as production does, to see its error pages (try /no-such-page/)
	@export DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	$(PRODUCTION_PREVIEW) $(MANAGE) collectstatic --no-input --verbosity 0 && \
	$(PRODUCTION_PREVIEW) $(MANAGE) migrate --no-input && \
	$(PRODUCTION_PREVIEW) $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install ## ruff check, ruff format --check, the layering (lint-imports), makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -W ignore::RuntimeWarning manage.py makemigrations --check --dry-run --no-input --skip-checks

test: ## The whole test suite against PostgreSQL (lint, browser tests and audit included); prints its wall time
	@start=$$(date +%s); $(MAKE) --no-print-directory test-steps; status=$$?; \
	elapsed=$$(( $$(date +%s) - start )); \
	echo "make test took $$(( elapsed / 60 )) min $$(( elapsed % 60 )) s ($$([ $$status -eq 0 ] && echo passed || echo FAILED))."; \
	exit $$status

test-steps: system-packages-test lint check-db messages
	$(MANAGE) check
	@$(MAKE) --no-print-directory test-main
	@$(MAKE) --no-print-directory test-redis-cached
	@$(MAKE) --no-print-directory test-replication
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory audit-if-reachable

# The main suite on every core: pytest-xdist gives each worker its own test database and
# whole files (module-scoped fixtures such as the demo data are then loaded once).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test-main: install check-db messages ## The suite without the browser tests, on TEST_WORKERS processes
	$(BIN)/pytest --create-db -m "not browser and not replication" -n $(TEST_WORKERS) --dist loadfile

# The cache backend comes from the environment (REDIS_URL): the suite above runs with each
# process's memory; the tests of what is cached run again with Redis, in a database of
# their own per worker (the tests empty it: gw0 uses TEST_REDIS_URL's database, gw1 the
# one below, tests/conftest.py). They are the tests marked `cache`.
# `make test-redis` runs the whole suite with Redis.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
REDIS_ANSWERS := $(BIN)/python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=5).ping()' '$(TEST_REDIS_URL)' 2>/dev/null
test-redis-cached: install check-db messages
	@$(REDIS_ANSWERS) || { echo "Redis does not answer at $(TEST_REDIS_URL): start it, or set TEST_REDIS_URL."; exit 1; }
	REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest -m "cache and not browser" -n $(TEST_WORKERS) --dist loadfile

test-redis: install check-db messages ## The whole suite with the Redis cache (REDIS_URL) instead of memory
	@$(REDIS_ANSWERS) || { echo "Redis does not answer at $(TEST_REDIS_URL): start it, or set TEST_REDIS_URL."; exit 1; }
	REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db -m "not browser and not replication" -n $(TEST_WORKERS) --dist loadfile

# Read replicas on real streaming replication (apap_portal/replicas): the tests start their
# own primary and hot standby (initdb, pg_basebackup) in a temporary folder on free ports of
# 127.0.0.1, never the server above, and migrate it once. Where initdb is missing (or root
# has no `postgres` user to run it) they are skipped, and -rs prints the one-line reason.
test-replication: install messages ## Read replicas, on a primary and hot standby the tests start (needs initdb)
	$(BIN)/pytest -m replication -n0 -rs tests/replication

# A browser test that fails is run once more (pytest-rerunfailures), so that a slow moment
# on a busy machine is told apart from a broken page, which fails twice. A test that needed
# the second run is reported as flaky: "R" in the progress line and a RERUN line at the end.
test-browser: install system-packages-test check-db messages ## Browser tests: journeys, axe-core, HTML checker, screenshots (Chromium, Java)
	$(BIN)/pytest tests/e2e --reruns 1 -rfER

# pip-audit asks the PyPI vulnerability service about each pinned version. Where the
# service is unreachable the audit would pass having checked nothing, so `make audit`
# fails there; `make test` says so loudly and goes on (CI machines here have no such
# service), and fails on any known vulnerability wherever the service answers.
PYPI_PROBE := https://pypi.org/pypi/django/$(shell sed -n 's/^Django==//p' requirements.lock)/json
VULNERABILITY_DATA := $(BIN)/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=20)' '$(PYPI_PROBE)' 2>/dev/null
audit: install ## Known vulnerabilities of the locked dependencies (pip-audit; needs pypi.org)
	@$(VULNERABILITY_DATA) \
		|| { echo "make audit: pip-audit needs PyPI's vulnerability data and $(PYPI_PROBE) does not answer (no network, or a mirror without it): the dependencies are NOT checked."; exit 1; }
	$(BIN)/pip-audit --requirement requirements.lock --no-deps --strict --progress-spinner off

audit-if-reachable: install
	@if $(VULNERABILITY_DATA); then $(MAKE) --no-print-directory audit; \
	else echo "WARNING: dependency audit SKIPPED: PyPI's vulnerability data is unreachable from this machine ($(PYPI_PROBE))."; fi

# The benchmark's own database, so the demo data stays clean (docs/performance.md).
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/apap_portal_scale
bench: install ## Measure the key pages at 100x today's size (fills the scale database on first run)
	@scripts/install-system-packages bench
	DATABASE_URL=$(SCALE_DATABASE_URL) $(MANAGE) ensure_database
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python -m bench.run $(BENCH_OPTIONS)

# The digests (issue 19, point 7) in a database of their own: no scale data needed.
DIGESTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/apap_portal_digests
bench-digests: install ## Queue and send 10,000 digests to a local SMTP sink, pages meanwhile
	DATABASE_URL=$(DIGESTS_DATABASE_URL) $(BIN)/python -m bench.digests $(BENCH_DIGESTS_OPTIONS)

# Two app servers behind HAProxy, sharing one Redis and one task queue (issue 20, point 3):
# its data in a primary and hot standby of its own when this machine can run them (in a
# temporary folder), else in the database below. Empties the Redis database it is given.
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/apap_portal_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/12
bench-cluster: install ## Two gunicorns behind HAProxy on one Redis: req/s, p95, an edit seen on both, one killed
	@scripts/install-system-packages bench
	DATABASE_URL=$(CLUSTER_DATABASE_URL) $(BIN)/python -m bench.cluster --redis-url $(CLUSTER_REDIS_URL) $(BENCH_CLUSTER_OPTIONS)

backup: install ## Back up the database and the media files into backups/
	$(MANAGE) backup

restore: install ## Restore a backup: make restore BACKUP=backups/apap-backup-… [FORCE=1]
	@[ -n "$(BACKUP)" ] || { echo "Name the backup folder: make restore BACKUP=backups/apap-backup-…"; exit 1; }
	$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

lock: ## Re-resolve the dependencies of pyproject.toml into requirements.lock
	@python=$$(scripts/find-python) || exit 1; \
	tmp=$$(mktemp -d) && "$$python" -m venv $$tmp && \
	$$tmp/bin/python -m pip install --quiet --upgrade pip && \
	$$tmp/bin/python -m pip install --quiet ".[dev]" && \
	{ echo "# Exact versions the tests passed with. Regenerate with: make lock"; \
	  $$tmp/bin/python -m pip freeze --exclude apap-portal; } > requirements.lock && \
	rm -rf $$tmp
	npm install --package-lock-only --no-audit --no-fund --loglevel=error

clean: ## Remove the virtual environment and installed front-end libraries
	rm -rf $(VENV) node_modules staticfiles
