# Two commands do all the set-up on a fresh machine: `make chat` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install chat test test-fast index lint bench browser clean

install: $(STAMP)

# torch first, pinned to the CPU wheel: unpinned, pip would fetch a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0 -c constraints.txt
	$(PIP) install -q -e '.[dev,ray]' -c constraints.txt
	$(PY) -m assistant.store.encoders.export
	touch $(STAMP)

# Debian's Chromium for the browser tests (a browser download at test time cannot work offline).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

index: install
	$(VENV)/bin/imnm index --if-stale

chat: install index
	$(VENV)/bin/imnm chat --host $(HOST) --port $(PORT)

# Every tier: unit (no model, no server), integration (model, index, CLI), e2e (HTTP, browser).
test: install browser
	$(VENV)/bin/pytest -q tests/unit tests/integration tests/e2e

# The unit tier alone: well under a minute.
test-fast: install
	$(VENV)/bin/pytest -q tests/unit

lint: install
	$(VENV)/bin/ruff check assistant tests eval bench
	$(VENV)/bin/mypy

# BENCH_ARGS=--quick for a small slice (~3 min); the full run takes ~20 min on 2 cores.
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
