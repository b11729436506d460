# syria-incidents: two commands do everything on a fresh machine with python3 and pip.
#   make refresh   validate the data, execute the notebooks, export figures, build site/
#   make test      run the test suite (unit, data, notebook smoke and freshness tests)
# Both create .venv on first use and install the pinned dependencies (requirements.lock).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help refresh force test validate derive format lab site clean-venv bench

help:
	@echo "make refresh   validate, execute changed notebooks, export figures, build site/"
	@echo "make force     the same, executing every notebook"
	@echo "make test      run the tests"
	@echo "make validate  check the data against the codebook"
	@echo "make derive    recompute incidents' estimates from the claims (after editing claims.csv)"
	@echo "make format    rewrite the tables canonically (after saving them from a spreadsheet)"
	@echo "make lab       open JupyterLab on the notebooks with the project's kernel"
	@echo "make bench     time validate and refresh against a bare-kernel floor"

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

refresh: $(STAMP)
	$(BIN)/syria-incidents refresh

force: $(STAMP)
	$(BIN)/syria-incidents refresh --force

test: $(STAMP)
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/syria-incidents validate

derive: $(STAMP)
	$(BIN)/syria-incidents derive

format: $(STAMP)
	$(BIN)/syria-incidents format

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_refresh.py

clean-venv:
	rm -rf $(VENV)
