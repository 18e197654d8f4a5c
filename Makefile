# Two commands: `make demo` (set up and serve the demo district) and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
WUSHE := $(VENV)/bin/wushe
PROFILE ?= seed

.PHONY: demo test bench lint setup assets migrate clean browser-test

$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for front-end assets (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

migrate: setup
	$(WUSHE) migrate --no-input

demo: migrate
	$(WUSHE) demo --profile $(PROFILE)

test: setup
	$(VENV)/bin/pytest

browser-test: setup
	$(VENV)/bin/pytest -m browser

bench: migrate
	$(WUSHE) bench --json

lint: setup
	$(VENV)/bin/ruff check wushe config
	$(VENV)/bin/mypy wushe config
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) node_modules
