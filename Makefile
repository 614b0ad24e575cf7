# yytrack: make demo (set up, run the main job on the bundled plans), make test (set up, run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench stress system-deps clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Headless Chromium and CJK fonts for the HTML report test (Debian packages).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; \
	fi

demo: $(STAMP)
	@bash scripts/demo.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n 2

# make bench BENCH=--million adds 10^6 updates; BENCH="--sizes 10000 --no-peers" for a quick look.
bench: $(STAMP)
	$(BIN)/python tests/bench/run_bench.py $(BENCH)

stress: $(STAMP)
	YYTRACK_STRESS=1 $(BIN)/python -m pytest -q tests/test_faults.py

clean:
	rm -rf $(VENV) .demo build dist *.egg-info
