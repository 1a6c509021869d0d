# Quick start: `make demo` and `make test` each create a local virtual environment (.venv) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-all clean

$(BIN)/quotetrace: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[demo,test]'
	touch $@

demo: $(BIN)/quotetrace
	$(BIN)/quotetrace demo

test: $(BIN)/quotetrace
	$(BIN)/python -m pytest

test-all: $(BIN)/quotetrace
	$(BIN)/python -m pytest -m "slow or not slow"

clean:
	rm -rf $(VENV) quotetrace-demo.html
