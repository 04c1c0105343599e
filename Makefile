# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Building needs requirements.txt; tests and the bench add requirements-dev.txt. Each stamp
# names the files' checksum, so editing a pin reinstalls.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site docs serve test browser lint check clean golden bench

# The browser tests drive the machine's Chromium (Debian's package, see `browser`); pip's
# playwright brings only its driver and must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-[0-9]*
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*
	touch $@

# The engine that turns docs/ into site/: mkdocs (Material for MkDocs) or zensical.
ENGINE ?= mkdocs

## site: read seeds/ into docs/, then build the site into site/ (with its search index)
##   published elsewhere than http://127.0.0.1:8000/? make site SITE_URL=https://user.github.io/repo/
##   with Zensical instead of MkDocs: make site ENGINE=zensical
##   the generator and the engine's build run as one, under the project's lock, so two
##   runs at once take turns (see GUIDE.md, "How rebuilds keep your data")
site: $(STAMP)
	$(BIN)/python -m generator site --engine "$(ENGINE)"

## docs: generate the Markdown pages under docs/ from seeds/ and taxonomy.yml
docs: $(STAMP)
	$(BIN)/python -m generator build

## check: report every problem in the dumps without writing anything
check: $(STAMP)
	$(BIN)/python -m generator check

## serve: preview on http://127.0.0.1:8000, regenerating when a dump or the taxonomy changes
##   (the engine's own serve and search; make serve ENGINE=zensical for Zensical)
serve: docs
	$(BIN)/python -m generator.serve --engine "$(ENGINE)"

## browser: install Debian's chromium for the browser tests when it is missing (root or sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then as_root=; else as_root=sudo; fi; \
		$$as_root apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$as_root apt-get install -y chromium; }

## test: run every test (unit, integration with mkdocs --strict, browser, link crawl, lint),
##   on two processes (pytest-xdist), a test file to each at a time
test: lint browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

## lint: ruff over the code, the tests and the bench (make test runs it first)
lint: $(DEV_STAMP)
	$(BIN)/ruff check generator tests bench

## bench: 1,000 and 10,000 synthetic papers against a bare Material baseline, then search
##   relevance per engine at 200, 1,000 and 10,000 (bench/queries.py; minutes; see BENCHMARKS.md)
bench: $(DEV_STAMP) browser
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench.queries

## clean: remove what builds wrote (generated pages, site/, caches); your files in docs/ stay
##   (without .venv no build has run, so there is nothing to remove)
clean:
	test ! -x $(BIN)/python || $(BIN)/python -m generator clean

## golden: refresh the golden files after an intended change to page templates (or to the
##   list of published URLs, tests/golden/urls.txt: only ever by adding pages)
golden: $(DEV_STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py \
		tests/test_engines.py::test_both_engines_publish_every_page_at_the_same_url
