# BriefQA developer commands. `make demo` and `make check` are the README's two set-up commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch is pinned to 2.13.0 in the same pip command as the project so pip takes the CPU build;
# a bare requirement would pull a multi-GB CUDA build.
TORCH := torch==2.13.0
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-fast check lint typecheck imports samples bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)" -e ".[dev,eval,milvus,ray]"
	touch $(STAMP)

demo: install
	$(BIN)/python -m service.cli.demo

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	# The whole tree, Markdown code blocks in docs/ included.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy ingest index service eval samples

imports: install
	$(BIN)/lint-imports

check: lint typecheck imports test

samples: install
	$(BIN)/python samples/generate.py

bench: install
	$(BIN)/briefqa bench ingest

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
