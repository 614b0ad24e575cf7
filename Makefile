# yytrack: make demo (set up, run the main job on the bundled plans), make test (set up, run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench stress system-deps previews clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# What the print tests use (Debian packages): headless Chromium (HTML → PDF), LibreOffice Writer and Calc
# (docx, xlsx → PDF), CJK fonts, and poppler-utils (pdftoppm, for scripts/previews.sh).
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 \
		|| ! command -v pdftoppm >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; fi; \
	fi

demo: $(STAMP)
	@bash scripts/demo.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n 2

previews: $(STAMP) system-deps
	@bash scripts/previews.sh

bench: $(STAMP)
	$(BIN)/python tests/bench/run_bench.py

stress: $(STAMP)
	YYTRACK_STRESS=1 $(BIN)/python -m pytest -q tests/test_faults.py

clean:
	rm -rf $(VENV) .demo build dist *.egg-info
