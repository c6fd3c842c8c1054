# The README's commands. Everything installs into .venv and node_modules inside the clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/policykg/api/static/vendor

.PHONY: demo test test-fast test-neo4j install install-dev web lint score score-real bench clean

demo: install  ## install, ingest the bundled samples into the embedded store, serve the API and page
	$(BIN)/policykg demo

test: install-dev  ## the whole test suite, as CI runs it: -m "" selects the browser, store and slow tests too
	$(BIN)/python -m pytest -m ""

test-fast: install-dev  ## the tests that need no Chromium and no store server and take seconds (plain `pytest`)
	$(BIN)/python -m pytest

test-neo4j: install-dev  ## the tests on a real Neo4j 5 (built with Maven, started by the session); a skip fails
	$(BIN)/python -m pytest -m neo4j --fail-on-skip

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python web
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python web
	$(BIN)/pip install -q -e '.[dev]'

# The page's JavaScript from the npm registry, copied where the app serves it (build_backend/vendor_js.py says what):
# Cytoscape and fcose, Swagger UI and Redoc for /docs and /redoc, and the map's province outlines. No package's
# install script runs (swagger-ui-dist's would report to an analytics service).
web:  ## the page's JavaScript and map data from the npm registry, copied where the app serves it
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(PYTHON) build_backend/vendor_js.py

lint: install-dev  ## style, formatting and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

score: install  ## extraction quality on the five samples against ../shared/eval
	$(BIN)/policykg extract src/policykg/samples/*.txt -o /tmp/policykg-samples.jsonl
	$(BIN)/python ../shared/eval/score.py ../shared/eval/gold /tmp/policykg-samples.jsonl

# The documents ../shared/eval/gold-real annotates, each gold file naming its document under realcorpus/docs.
GOLD_REAL_DOCS = $(shell $(PYTHON) -c 'import glob, json; print(" ".join("../shared/realcorpus/docs/" + json.load(open(p))["file"] for p in sorted(glob.glob("../shared/eval/gold-real/*.json"))))')

score-real: install  ## extraction quality on the 25 annotated real documents of ../shared/eval/gold-real
	$(BIN)/policykg extract $(GOLD_REAL_DOCS) -o /tmp/policykg-real.jsonl
	$(BIN)/python ../shared/eval/score.py ../shared/eval/gold-real /tmp/policykg-real.jsonl

bench: install  ## extraction and end-to-end ingest benchmarks (1k, 10k documents); tables in bench/README.md
	$(BIN)/python bench/report.py --run 1000 10000

clean:
	rm -rf $(VENV) node_modules $(VENDOR) policykg-data
