# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site docs serve test lint check clean golden

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

## site: read seeds/ into docs/, then build the site into site/
site: docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## docs: generate the Markdown pages under docs/ from seeds/ and taxonomy.yml
docs: $(STAMP)
	$(BIN)/python -m generator build

## check: report every problem in the dumps without writing anything
check: $(STAMP)
	$(BIN)/python -m generator check

## serve: preview on http://127.0.0.1:8000, regenerating when a dump or the taxonomy changes
serve: docs
	READING_LIST_REGENERATE=1 NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve \
		--watch seeds --watch taxonomy.yml --watch generator

## test: run every test (unit, integration with mkdocs --strict, lint)
test: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

clean:
	rm -rf site docs/papers docs/tags docs/dates docs/code docs/index.md docs/papers.json \
		docs/.generated.json

## golden: refresh the golden files after an intended change to page templates
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
