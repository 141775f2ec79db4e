# Ontwikkelscan. Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run    the app with an embedded SQLite database and a demo region, on 127.0.0.1:$(PORT)
#   make test   ruff and the whole test suite (also on PostgreSQL when TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
PIP    := $(BIN)/python -m pip

export FLASK_APP := wsgi

.PHONY: run test install install-dev translations translations-update constraints benchmark journey tour clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: | $(BIN)/python
	$(BIN)/pybabel compile -d translations -D messages 2>&1 | grep -v '^compiling' || true
	@test -f translations/nl/LC_MESSAGES/messages.mo && test -f translations/en/LC_MESSAGES/messages.mo

# The `flask` commands the README gives read SCAN_ENV=development from here in a demo checkout.
.flaskenv:
	printf '# Written by `make run`: this checkout runs the demo (development settings for `flask`).\nSCAN_ENV=development\n' > $@

run: install translations .flaskenv
	SCAN_ENV=development $(BIN)/flask db upgrade
	SCAN_ENV=development $(BIN)/flask demo seed --if-empty
	SCAN_ENV=development $(BIN)/flask demo accounts
	@echo ""
	@echo "Ontwikkelscan: open http://127.0.0.1:$(PORT)/ and log in with one of the accounts above (Ctrl+C stops)."
	SCAN_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tests/vnu_jar.py
	env -u TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(BIN)/pytest -p no:cacheprovider; \
	fi

# The README's tour: screenshots of each role's main pages at 375 and 1280 px from a fresh demo region
# (docs/tour/), and the README section that shows them. Run after changing a page.
tour: install-dev translations
	$(BIN)/python tests/tour.py

# Maintainers: extract messages and update both catalogs after changing UI text.
translations-update: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --ignore-dirs '.* __pycache__ .venv' --project Ontwikkelscan .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

constraints: install-dev
	$(PIP) freeze --exclude-editable > constraints.txt

benchmark: install-dev
	$(BIN)/python benchmarks/run.py

# The load-and-fault journey (benchmarks/journey.py): its own PostgreSQL cluster, gunicorn with 4 workers,
# 50 professionals at once; checks the database afterwards. CI runs JOURNEY_ARGS="--short --faults".
JOURNEY_ARGS ?=
journey: install-dev translations
	$(BIN)/python benchmarks/journey.py $(JOURNEY_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
