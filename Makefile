# The daily commands. Each one creates .venv and installs the project (idempotently) first.
VENV := .venv
PY := $(VENV)/bin/python
ILP := $(VENV)/bin/ilp
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index serve test test-fast bench capacity lint format pdfs

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when pyproject.toml changes. torch is pinned to the CPU build in pyproject.toml.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# axe-core for the accessibility gate (tests/test_accessibility.py), pinned by its lock file.
AXE := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund
	touch $(AXE)

install: $(STAMP) $(AXE)

# Build the index from corpus/ unless the current build already matches it.
# Exit code 3 means some documents failed but a build was made: still good enough to serve.
index: install
	$(ILP) ingest --if-changed || [ $$? -eq 3 ]

serve: index
	$(ILP) serve

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow and not browser"

# bench.capacity includes the 1M-passage point: see `capacity` below for its time and disk.
bench: index
	$(PY) -m bench.run
	$(PY) -m bench.load
	$(PY) -m bench.capacity
	$(PY) -m bench.backends

# The capacity plan's figures alone (README, "Capacity plan"): ingest cost per passage, and
# query cost, memory and disk at 10k, 100k and 1M passages. The first time takes about 25 minutes
# on 2 cores (ingest 4, the 1M scale-up build 16, its queries 3) and 23 GiB in bench/cache/ (the
# 1M build 20.3 GiB, peak RSS 6 GiB); later runs reuse the scale-ups (about 8 minutes).
capacity: index
	$(PY) -m bench.capacity

CODE := ilp_base ingest graph search ilp_pipeline webapp tests bench corpus/tools

# ruff (lint and formatting) and mypy (types, settings in pyproject.toml); all must pass.
lint: install
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix --select I $(CODE)
	$(VENV)/bin/ruff format $(CODE)

pdfs: install
	$(PY) corpus/tools/render_pdfs.py
