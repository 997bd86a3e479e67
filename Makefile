# The two commands: `make run` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint format check-deploy bench-library bench-reports backup restore

$(STAMP): requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'sudo apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## make run — migrate, load demo data once, start web + Celery worker + beat (SQLite, no servers).
run: install
	@scripts/run.sh

## make test — the whole suite (unit, URL × role probe, query budgets, browser + axe).
test: install
	@scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: install
	PORTAL_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=portal.example.org \
	  REDIS_URL=redis://127.0.0.1:6379/0 $(BIN)/python manage.py check --deploy --fail-level WARNING

## make audit — pip-audit over requirements.txt (PyPI's per-version JSON API, or AUDIT_SERVICE=osv).
## --strict: a package that could not be looked up fails the run instead of being skipped.
.PHONY: audit
AUDIT_VENV    := .venv-audit
AUDIT_SERVICE ?= pypi
audit:
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/python -m pip install --quiet pip-audit==2.10.1; }
	$(AUDIT_VENV)/bin/pip-audit -r requirements.txt --require-hashes --disable-pip --strict \
	  --vulnerability-service $(AUDIT_SERVICE) --progress-spinner off

## make bench-library — library search timings at 20,000 resources (needs DATABASE_URL to PostgreSQL).
bench-library: install
	$(BIN)/python bench/library_search.py

## make bench-reports — CSV, PDF and XLSX export timings (needs DATABASE_URL to PostgreSQL).
bench-reports: install
	$(BIN)/python bench/reports.py

## make bench — the portal under load: gunicorn (production settings) + PostgreSQL + Redis on this
## machine, locust signing in as every role; prints each page's latency and its req/s against a
## bare Django view (needs DATABASE_URL to PostgreSQL and REDIS_URL; see README, "Load benchmark").
.PHONY: bench
BENCH_VENV  := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): bench/requirements.txt
	@$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes -r bench/requirements.txt
	@touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(BIN)/python bench/load.py

## make backup — database (pg_dump, or SQLite's backup) + uploaded files into backups/<time>/.
BACKUP_DIR ?= backups
backup: install
	$(BIN)/python manage.py backup --dir $(BACKUP_DIR)

## make restore BACKUP=backups/<time> — replace the database and files, then check the counts.
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<time>"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)
