# OriginLink — the two commands a new machine needs:
#   make demo   set everything up and run the main job (a demo exchange between gateways)
#   make serve  the demo network kept running for the web pages (originlink demo --serve)
#   make test   set everything up (with the development tools) and run every check
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-12)

.PHONY: demo serve test install fonts lint typecheck contracts unit clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# The Noto fonts (Debian packages) the printed certificate needs for Thai, Khmer, Lao, Myanmar
# and CJK names; installs them when missing and this is root on Debian, else says what to do.
fonts:
	sh scripts/ensure-fonts.sh

demo: $(STAMP) fonts
	$(BIN)/originlink demo

serve: $(STAMP) fonts
	$(BIN)/originlink demo --serve

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	sh scripts/ensure-browser.sh
	sh scripts/ensure-openattestation.sh
	sh scripts/ensure-fonts.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis demo-run
