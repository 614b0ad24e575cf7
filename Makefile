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

# Debian packages the tests drive for real: headless Chromium and LibreOffice (documents as a reader sees
# them), CJK fonts, poppler (PDF pages as pictures), and gitolite behind OpenSSH (a git server with identities).
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils \
	gitolite3 openssh-server openssh-client

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "安装系统软件包：$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP)
	@bash scripts/demo.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n 2

previews: $(STAMP) system-deps
	@bash scripts/previews.sh

# make bench BENCH=--million adds 10^6 updates; BENCH="--sizes 10000 --no-peers" for a quick look.
bench: $(STAMP)
	$(BIN)/python tests/bench/run_bench.py $(BENCH)

stress: $(STAMP)
	YYTRACK_STRESS=1 $(BIN)/python -m pytest -q tests/test_faults.py tests/trust/test_legit_flows.py tests/test_hostile_clone.py

clean:
	rm -rf $(VENV) .demo build dist *.egg-info
