# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site docs serve test lint check clean bench browser

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

## test: run every test (unit, integration with mkdocs --strict, browser, lint)
test: $(STAMP) browser
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest

## browser: Debian's chromium for the search tests and the benchmark (never a browser download)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

## bench: 1,000 and 10,000 synthetic papers against a bare Material baseline (minutes; see BENCHMARKS.md)
bench: $(STAMP) browser
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench

clean:
	rm -rf site docs/papers docs/tags docs/dates docs/code docs/index.md docs/papers.json \
		docs/.generated.json docs/.generated-inputs.json
