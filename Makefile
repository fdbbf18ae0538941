# I-Prof — every command a newcomer needs. `make run` and `make test` set everything up.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# A PostgreSQL private to this checkout, unless DATABASE_URL points elsewhere.
export DATABASE_URL ?= $(shell ./scripts/postgres.sh url)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: lock help install db migrate demo communes-refresh run stop test test-fast lint format bench bench-tools browser sshd clean

help:
	@echo "make run    — installe, démarre PostgreSQL, charge la démo et sert le portail sur http://$(HOST):$(PORT)"
	@echo "make test   — installe, démarre PostgreSQL et lance toute la suite de tests"
	@echo "make lint   — ruff, mypy, migrations à jour"
	@echo "make bench  — mesures de performance (ratios contre une référence du même run)"
	@echo "make stop   — arrête ce que make run a démarré"

# Development machines get the runtime and the tools (requirements-dev.txt includes requirements.txt's pins);
# production installs requirements.txt alone (DEPLOY.md). Both are locked with hashes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 requis"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt 2>&1 | { grep -v "^WARNING: Location" || true; }
	touch $@

install: $(VENV)/.installed

db:
	@if [ "$$DATABASE_URL" = "$$(./scripts/postgres.sh url)" ]; then ./scripts/postgres.sh start >/dev/null; fi

migrate: install db
	IPROF_ENV=dev $(MANAGE) migrate --noinput

demo: migrate
	IPROF_ENV=dev $(MANAGE) load_demo
	IPROF_ENV=dev $(MANAGE) load_communes

# Rewrites fixtures/cog/ from the pinned version of Etalab's découpage administratif (the COG):
# the only target that needs the npm registry. Change COG_VERSION in dossier/cog.py to move on.
COG_VERSION = $(shell $(PYTHON) -c 'import dossier.cog as c; print(c.COG_VERSION)')
communes-refresh: install
	@mkdir -p var
	cd var && npm pack --silent @etalab/decoupage-administratif@$(COG_VERSION) >/dev/null
	$(PY) -m dossier.cog var/etalab-decoupage-administratif-$(COG_VERSION).tgz

run: demo
	IPROF_ENV=dev IPROF_PLAIN_STATIC=0 $(MANAGE) collectstatic --noinput -v 0
	@mkdir -p var
	@if [ -f var/worker.pid ] && kill -0 $$(cat var/worker.pid) 2>/dev/null; then kill $$(cat var/worker.pid); fi
	IPROF_ENV=dev nohup $(MANAGE) db_worker >var/worker.log 2>&1 & echo $$! > var/worker.pid
	@IPROF_ENV=dev $(MANAGE) demo_logins
	@echo "Portail : http://$(HOST):$(PORT)/  (arrêt : Ctrl-C puis make stop)"
	IPROF_ENV=dev DEBUG=1 IPROF_PLAIN_STATIC=0 $(VENV)/bin/gunicorn iprof.wsgi --bind $(HOST):$(PORT) --workers 3 \
		--pid var/gunicorn.pid --access-logfile - --error-logfile -

stop:
	-@if [ -f var/gunicorn.pid ]; then kill $$(cat var/gunicorn.pid) 2>/dev/null; rm -f var/gunicorn.pid; fi
	-@if [ -f var/worker.pid ]; then kill $$(cat var/worker.pid) 2>/dev/null; rm -f var/worker.pid; fi
	./scripts/postgres.sh stop

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

# The SFTP path of the private files (tests/siam/test_pieces_sftp.py, bench_storage) runs against a throwaway
# sshd of Debian's OpenSSH started on a loopback port by the run itself; the machine's own sshd is never started.
sshd:
	@if [ ! -x /usr/sbin/sshd ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null; fi; \
	fi

# Two workers (pytest-xdist), each with its own test database (test_…_gw0, _gw1) and live server port;
# a module marked xdist_group stays on one worker. `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist loadgroup

test: install db browser sshd
	IPROF_ENV=test $(PY) -m pytest -q $(PYTEST_XDIST) $(PYTEST_ARGS)

test-fast: install db sshd
	IPROF_ENV=test $(PY) -m pytest -q -m "not e2e" $(PYTEST_XDIST) $(PYTEST_ARGS)

# django-upgrade: the Django 5.2 idioms; admin_decorators skipped (the site's delete action takes a lazy label
# object that @admin.action's signature refuses). djhtml: the templates' indentation.
DJANGO_UPGRADE = --target-version 5.2 --skip admin_decorators

lint: install db
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	git ls-files -z '*.py' ':!:*/migrations/*' | xargs -0 $(VENV)/bin/django-upgrade --check $(DJANGO_UPGRADE)
	git ls-files -z 'templates/*.html' '*/templates/*.html' | xargs -0 $(VENV)/bin/djhtml --check
	IPROF_ENV=test $(VENV)/bin/mypy .
	IPROF_ENV=test $(MANAGE) makemigrations --check --dry-run

format: install
	git ls-files -z '*.py' ':!:*/migrations/*' | xargs -0 $(VENV)/bin/django-upgrade --exit-zero-even-if-changed $(DJANGO_UPGRADE)
	git ls-files -z 'templates/*.html' '*/templates/*.html' | xargs -0 $(VENV)/bin/djhtml
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# bench_scaleout runs Debian's haproxy and redis-server as throwaways on loopback ports; bench_lighthouse
# drives Debian's Chromium with Lighthouse from npm (installed under var/lighthouse on first use).
bench-tools:
	@if ! command -v haproxy >/dev/null || ! command -v redis-server >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server >/dev/null; fi; \
	fi

bench: install db browser bench-tools sshd
	IPROF_ENV=test $(PY) bench/run.py

# After changing the dependency lists of pyproject.toml: recompile both locks (keeps existing pins).
lock: install
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --extra dev -c requirements.txt \
		-o requirements-dev.txt pyproject.toml

clean: stop
	rm -rf $(VENV) var
