# Two commands are the whole quick start: `make booklet` and `make test`.
# Both create .venv on first use and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: booklet test lint check clean

booklet: $(STAMP)
	$(BIN)/python make_booklet.py

test: $(STAMP)
	$(BIN)/ruff check booklet tests bench tools make_booklet.py
	$(BIN)/python -m pytest

# Validate the built outputs: EPUBCheck, Ace (when installed) and outloud.
check: booklet
	$(BIN)/python tools/check_outputs.py build

lint: $(STAMP)
	$(BIN)/ruff check booklet tests bench tools make_booklet.py

# Reinstall when the dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build
