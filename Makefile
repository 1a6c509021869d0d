# Quick start: `make demo` and `make test` each create a local virtual environment (.venv) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-all serve clean

$(BIN)/quotetrace: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[demo,test]'
	touch $@

demo: $(BIN)/quotetrace
	$(BIN)/quotetrace demo

test: $(BIN)/quotetrace
	$(BIN)/python -m pytest

serve: $(BIN)/quotetrace
	$(BIN)/pip install --quiet -e '.[demo,web]'
	$(BIN)/quotetrace serve --demo

test-all: $(BIN)/quotetrace
	$(BIN)/pip install --quiet -e ".[spark]"
	$(BIN)/python -m pytest -m "slow or browser or spark or not (slow or browser or spark)"

clean:
	rm -rf $(VENV) quotetrace-demo.html
