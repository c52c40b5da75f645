# Two commands: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test setup test-setup lint serve demo-data clean

run: setup demo-data serve

setup: $(VENV)/.installed dsr/static/vendor/.copied var/.dir

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

dsr/static/vendor/.copied: node_modules/.installed scripts/copy_frontend.py
	$(PY) scripts/copy_frontend.py
	touch $@

var/.dir:
	mkdir -p var staticfiles
	touch $@

demo-data: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo --if-empty

serve:
	@echo ""
	@echo "Dynamic Support Register demo: http://127.0.0.1:$(PORT)"
	@echo "Sign in as coordinator, keyworker, professional, referrer, ig, analyst or admin; password dsr-demo"
	@echo ""
	DEBUG=true $(PY) manage.py schedule_daily_tasks
	@# The background worker runs beside the web server and stops with it.
	DEBUG=true $(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium drives the browser tests.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi

test-setup: setup /usr/bin/chromium

lint: test-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/djlint --lint --profile=jinja --extension=jinja dsr/templates dsr/*/templates

test: test-setup lint
	DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules dsr/static/vendor staticfiles
