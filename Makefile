# The commands a person types. `make site` and `make test` set everything up
# on a fresh machine (Python 3.11 with venv, npm); see README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.requirements.stamp
NODE_STAMP := node_modules/.package-lock.stamp
DIST := dist
NAME := cervical-insufficiency

export NO_MKDOCS_2_WARNING := 1

.PHONY: site hosted offline pdf serve test check bench discover setup clean render properdocs zensical builders

# The PDFs come after the hosted site (they are made from it), the offline zip after the PDFs (it
# holds them); each step adds its files to the site's Print and offline page (website/downloads.py).
site: hosted pdf offline

setup: $(VENV_STAMP) $(NODE_STAMP)

# (Re)install the pinned packages when .venv is missing or a requirements file is newer (requirements-meaning.txt:
# the assistant's sentence encoder, without the packages it asks for and does not use). The project's
# own packages (scripts/reconcile, scripts/website, scripts/bench) are put on the venv's path by a
# .pth file, as an editable install does, so nothing imports them through sys.path edits.
$(VENV_STAMP): requirements.txt requirements-meaning.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Makefile: cannot create $(VENV); on Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 2; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-meaning.txt
	@$(call put_scripts_on_path,$(PY))
	@touch $@

put_scripts_on_path = $(1) -c 'import sys, sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "cervical-insufficiency.pth").write_text(sys.argv[1] + "\n")' "$(CURDIR)/scripts"

# npm packages used at build and test time only (iframe-worker shim, axe-core).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Makefile: npm not found; on Debian/Ubuntu: sudo apt-get install npm" >&2; exit 2; }
	npm ci --no-audit --no-fund
	@touch $@

hosted: $(VENV_STAMP) $(NODE_STAMP)
	$(VENV)/bin/mkdocs build --strict --site-dir site

offline: pdf
	$(PY) -m website.build_offline --build-dir build/offline --zip $(DIST)/$(NAME)-offline.zip --site site

pdf: hosted
	$(PY) -m website.build_pdf --site site --out $(DIST)

serve: $(VENV_STAMP) $(NODE_STAMP)
	$(VENV)/bin/mkdocs serve --strict -w docs -w overrides -w data -w includes -w scripts

test: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m pytest tests

# With the archive (../shared/sources or $$SOURCE_ARCHIVE): the full check. Without it (a clone), the data
# is still validated and compared, and the quotes are taken from data/verified.lock.
# `make check` exits with the script's own status: 0 clean, 1 problems named, 2 bad input. GNU make turns
# every failed recipe into 2, except in question mode (-q), where a recipe marked `+` still runs and its
# status 1 is make's "not up to date" (1); so `make check` alone runs in question mode, and sets up the
# venv first in a make of its own (question mode would only ask whether it is up to date).
ARCHIVE_DIR = $(or $(SOURCE_ARCHIVE),../shared/sources)
ifeq ($(MAKECMDGOALS),check)
MAKEFLAGS += -q
endif
check:
	+@MAKEFLAGS= $(MAKE) --no-print-directory --silent setup >&2
	+@if [ -d "$(ARCHIVE_DIR)" ]; then $(PY) scripts/disagreements.py; \
	else echo "make check: no source archive at $(ARCHIVE_DIR); checking against data/verified.lock" >&2; \
	$(PY) scripts/disagreements.py --without-archive; fi

discover: $(VENV_STAMP)
	$(PY) scripts/disagreements.py discover

bench: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m bench

# Other builders (README: "Switching builders"), each in its own pinned venv under build/builders/.
# ProperDocs builds the project itself, hooks and all; Zensical runs no hooks, so it builds the
# rendered folder (every page as the hooks made it: `make render`).
BUILDERS := build/builders
$(BUILDERS)/%/.stamp: requirements-%.txt requirements.txt
	@test -x $(BUILDERS)/$*/bin/python || $(PYTHON) -m venv $(BUILDERS)/$*
	$(BUILDERS)/$*/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-$*.txt
	@$(call put_scripts_on_path,$(BUILDERS)/$*/bin/python)
	@touch $@

builders: $(BUILDERS)/properdocs/.stamp $(BUILDERS)/zensical/.stamp

render: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m website.render --out build/rendered

properdocs: $(BUILDERS)/properdocs/.stamp $(NODE_STAMP)
	$(BUILDERS)/properdocs/bin/properdocs build --strict --config-file mkdocs.yml --site-dir build/properdocs-site

zensical: render $(BUILDERS)/zensical/.stamp
	cd build/rendered && ../../$(BUILDERS)/zensical/bin/zensical build --strict --config-file mkdocs.yml

clean:
	rm -rf site build $(DIST)
