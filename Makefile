# Prioritering — `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The phase the demo's round 2027 is loaded in: analys, namnd, forum or beslut
# (`make run DEMO_PHASE=namnd`); empty: load_demo's own default, forum.
DEMO_PHASE ?=
DEMO_ARGS = $(if $(DEMO_PHASE),--phase $(DEMO_PHASE))

.PHONY: run install test lint format bench messages migrate demo clean

run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo $(DEMO_ARGS)
	@echo "Prioritering körs på http://$(HOST):$(PORT)/ (avsluta med Ctrl-C)"
	@# The worker that makes documents runs beside the web server and stops with it
	@# (db_worker that waits out a database restart: prioritering/management/commands/worker.py).
	@$(PY) manage.py worker --queue-name '*' --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The background worker alone (documents), e.g. beside `manage.py runserver`.
.PHONY: worker
worker: $(STAMP)
	$(PY) manage.py worker --queue-name '*' --interval 1

install: $(STAMP)

$(STAMP): requirements.txt
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Skapar $(VENV) med $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The suite over TEST_WORKERS processes (pytest-xdist). worksteal hands each
# worker a contiguous half of the suite, so a module's shared fixtures are
# mostly built once, and an idle worker takes over half of what another has
# left: the slow modules (the crawls, the fuzzing) no longer leave one worker
# finishing alone. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(PY) -m bench.run
	$(PY) -m bench.documents
	$(PY) -m bench.followup  # follow-up overview (issue 6)
	$(PY) -m bench.robustness  # how sure the budget line is (issue 18)

# gunicorn (2 workers) on PostgreSQL under 40 ranking members and 3 meeting screens;
# LOAD_SECONDS (60) long. Needs PostgreSQL at 127.0.0.1:5432 (or LOAD_DATABASE_URL).
.PHONY: bench-load
bench-load: $(STAMP)
	$(PY) -m bench.load

# Conflicting requests released together from several sessions, on gunicorn
# (4 workers × 2 threads) and PostgreSQL, RACE_SECONDS (60) long: reports per
# kind of request the status codes, errors, duplicates and writes after a door
# closed; exits 1 on any. Needs PostgreSQL at 127.0.0.1:5432 (or RACE_DATABASE_URL).
.PHONY: bench-race
bench-race: $(STAMP)
	$(PY) -m bench.race

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --no-obsolete --no-location -i ".venv/*" -i "bench/*" -i "tests/*"
	$(PY) manage.py compilemessages -l en --ignore ".venv/*"

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
