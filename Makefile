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

.PHONY: install chat test test-fast index lint bench bench-deploy browser servers cluster \
	cluster-stop clean

install: $(STAMP)

# torch first, pinned to the CPU wheel: unpinned, pip would fetch a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0 -c constraints.txt
	$(PIP) install -q -e '.[dev,ray,postgres]' -c constraints.txt
	$(PY) -m assistant.store.encoders.export
	touch $(STAMP)

# Debian's Chromium for the browser tests (a browser download at test time cannot work offline).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

# Debian's PostgreSQL and nginx for the e2e tests and `make cluster` (the tests start their own
# servers on temp folders and loopback ports; nothing is left running).
servers:
	@{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && \
	   { command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx; }; } || { \
	  echo "installing postgresql and nginx (Debian packages) for the e2e tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     postgresql nginx >/dev/null) \
	  || echo "warning: could not install postgresql/nginx; their tests will be skipped (fail in CI)"; }

index: install
	$(VENV)/bin/imnm index --if-stale

chat: install index
	$(VENV)/bin/imnm chat --host $(HOST) --port $(PORT)

# Every tier: unit (no model, no server), integration (model, index, CLI), e2e (HTTP, browser,
# PostgreSQL, nginx, load).
test: install browser servers
	$(VENV)/bin/pytest -q tests/unit tests/integration tests/e2e

# The unit tier alone: well under a minute.
test-fast: install
	$(VENV)/bin/pytest -q tests/unit

lint: install
	$(VENV)/bin/ruff check assistant tests eval bench deploy
	$(VENV)/bin/mypy

# BENCH_ARGS=--quick for a small slice (~3 min); the full run takes ~20 min on 2 cores.
bench: install servers
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.deploy

# The chat under load: one process against replicas behind nginx (bench/DEPLOY.md, ~5 min).
bench-deploy: install servers
	$(PY) -m bench.deploy

# A trial deployment on loopback: PostgreSQL, N chat replicas and nginx on http://127.0.0.1:8080/
# (CLUSTER_PORT); Ctrl-C, or `make cluster-stop` from another terminal, stops them all.
N ?= 3
CLUSTER_PORT ?= 8080
cluster: install index servers
	$(PY) -m deploy.cluster start --replicas $(N) --port $(CLUSTER_PORT)

cluster-stop:
	$(PY) -m deploy.cluster stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
