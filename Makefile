# gokg: two commands for a fresh machine (see README).
#   make run   set up, build the index from seeds/ unless it is current, start the UI
#   make test  set up with the test extras and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
INDEX  ?= index
PORT   ?= 8501

.PHONY: run test setup setup-test ingest ui bench eval wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install -q -e .

# torch==2.13.0 first: it is the CPU build; plain `torch` would pull a multi-GB CUDA build.
setup-test: $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[st,test]'

ingest: setup
	$(BIN)/python -m gokg.cli ingest --index $(INDEX)

ui: setup
	@echo "gokg UI: http://localhost:$(PORT)"
	$(BIN)/python -m gokg.cli ui --index $(INDEX) --port $(PORT)

run: ingest ui

test: setup-test
	$(BIN)/python -m pytest -q

wheel-check:
	.ci/wheel-check

bench: setup
	$(BIN)/python benchmarks/bench.py

eval: setup
	$(BIN)/python -m gokg.cli eval ../shared/eval/dev_queries.jsonl --index $(INDEX) --ablation

clean:
	rm -rf $(VENV) $(INDEX) .pytest_cache
