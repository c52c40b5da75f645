# Two commands: `make run` serves the demo, `make test` runs every test.
#
# `make run` serves the way production does: DEBUG off, hashed static files through WhiteNoise,
# gunicorn with config/gunicorn.conf.py, the background worker beside it. Over plain HTTP on
# 127.0.0.1, only the HTTPS-only settings (redirect, secure cookies, HSTS) are switched off, and
# DEMO_MODE lets the demo's own users sign in without a second factor (every page says "demo").
# `DEBUG=true make run` serves with Django's development server instead.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip install --quiet --disable-pip-version-check
PORT ?= 8000
export PORT

# A secret key and an audit key, each generated once into ./var/, serve the demo when SECRET_KEY and
# AUDIT_KEY are not set.
LOCAL_HTTP := SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	AUDIT_KEY="$${AUDIT_KEY:-$$(cat var/audit_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SERVICE_URL="$${SERVICE_URL:-http://127.0.0.1:$(PORT)}" \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 DEMO_MODE=true
MANAGE := $(LOCAL_HTTP) $(PY) manage.py
STATIC_SOURCES := $(shell find dsr/static -type f -not -path 'dsr/static/vendor/*' 2>/dev/null)

.PHONY: run test setup test-setup lint typecheck serve demo-data clean bench loadtest

run: setup demo-data serve

setup: $(VENV)/.installed dsr/static/vendor/.copied var/secret_key var/audit_key

# The service's packages only; the test and lint tools come with `make test`.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PIP) -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

dsr/static/vendor/.copied: node_modules/.installed scripts/copy_frontend.py | $(VENV)/.installed
	$(PY) scripts/copy_frontend.py
	touch $@

var/secret_key:
	mkdir -p var staticfiles
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Kept apart from the secret key: the audit trail is sealed with it (docs/operations.md).
var/audit_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

staticfiles/staticfiles.json: dsr/static/vendor/.copied $(STATIC_SOURCES) requirements.lock | setup
	$(MANAGE) collectstatic --noinput --clear --verbosity 0

demo-data: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty

ifeq ($(DEBUG),true)
WEB_SERVER := $(MANAGE) runserver 127.0.0.1:$(PORT)
SERVED_BY := Django's development server
else
WEB_SERVER := $(LOCAL_HTTP) $(VENV)/bin/gunicorn -c config/gunicorn.conf.py --bind 127.0.0.1:$(PORT)
SERVED_BY := gunicorn, production settings
serve: staticfiles/staticfiles.json
endif

serve:
	@echo ""
	@echo "Dynamic Support Register demo ($(SERVED_BY)): http://127.0.0.1:$(PORT)"
	@echo "Sign in as coordinator, keyworker, professional, referrer, ig, analyst or admin; password dsr-demo"
	@echo ""
	@# The background worker runs beside the web server and stops with it.
	@$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(WEB_SERVER)

# Debian's packages for the tests: Chromium drives the browser tests; the PostgreSQL client tools
# (pg_dump, pg_restore, psql) back up and restore a deployment's database.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(1) >/dev/null; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq $(1) >/dev/null; fi
/usr/bin/chromium:
	@$(call APT_INSTALL,chromium)
/usr/bin/pg_dump:
	@$(call APT_INSTALL,postgresql-client)

test-setup: setup $(VENV)/.installed-dev /usr/bin/chromium /usr/bin/pg_dump

lint: test-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/djlint --lint --profile=jinja --extension=jinja dsr/templates dsr/*/templates
	@# Apps import only the layers below them (.importlinter, docs/adr/0017-layers.md).
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache
	$(MAKE) --no-print-directory typecheck

# mypy with django-stubs over the services, selectors, rules, the access module and the page and form
# registries; every app's services.py, selectors.py and sections.py is picked up by the globs.
# DEBUG=true because the settings refuse to load without a SECRET_KEY when DEBUG is off.
TYPECHECK_FILES = dsr/access.py dsr/registers/policy.py dsr/form_pages.py dsr/person_page.py dsr/dates.py \
	$(wildcard dsr/*/services.py dsr/*/selectors.py dsr/*/sections.py) \
	dsr/rights/deadlines.py dsr/rights/requesters.py dsr/rights/redactions.py dsr/reports/disclosure.py \
	dsr/reviews/policy.py dsr/actions/policy.py dsr/referrals/targets.py dsr/referrals/eligibility.py \
	dsr/ratings/cadence.py
typecheck: $(VENV)/.installed-dev
	DEBUG=true $(VENV)/bin/mypy $(TYPECHECK_FILES)

# Most tests run with DEBUG=true settings (plain static storage, a development key); the tests in
# tests/production/ collect the static files and serve with the production settings, in process
# and through gunicorn.
test: test-setup lint
	DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# The benchmark on a synthetic national data set (docs/performance.md): PostgreSQL from DATABASE_URL, each
# size in a database of its own beside it, served as production serves (DEBUG off). BENCH_PEOPLE=2000 for
# one small size.
BENCH_PEOPLE ?= 1000,10000,100000
BENCH_DATABASE_URL = $${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
bench: setup staticfiles/staticfiles.json
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(MANAGE) bench --people "$(BENCH_PEOPLE)"

# The load test (loadtest/run.py): the bench data set of LOADTEST_PEOPLE people served by gunicorn as
# production serves it, Locust's coordinators, keyworkers, IG officers and public using it for
# LOADTEST_TIME; fails on any failed request, on a page that showed someone without its audit event, and
# on an audit trail `verify_audit` finds broken. The report goes to var/bench/loadtest-<time>.md.
# LOADTEST_THINK_SECONDS (default 1) is the longest pause between a user's pages; WEB_CONCURRENCY sets
# gunicorn's workers as in production.
LOADTEST_PEOPLE ?= 10000
LOADTEST_USERS ?= 30
LOADTEST_TIME ?= 60s
loadtest: setup staticfiles/staticfiles.json $(VENV)/.installed-dev
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(LOCAL_HTTP) $(PY) -m loadtest.run --people $(LOADTEST_PEOPLE) \
		--users $(LOADTEST_USERS) --run-time $(LOADTEST_TIME)

clean:
	rm -rf $(VENV) node_modules dsr/static/vendor staticfiles
