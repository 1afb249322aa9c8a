# `make site` sets up .venv and builds the sample timeline into output/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test test-replaced test-sample check serve clean

site: $(VENV)/.installed
	$(BIN)/python build.py build

check: $(VENV)/.installed
	$(BIN)/python build.py check

serve: $(VENV)/.installed
	$(BIN)/python build.py serve

# -n auto: pytest-xdist runs the tests on every core (one worker on a machine with one).
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -n auto

# The whole suite in a scratch copy whose content/ and site.yaml come from `build.py init`: the
# tool's tests pass whatever timeline the repository holds (tests/run_replaced.py).
test-replaced: $(VENV)/.installed-dev
	$(BIN)/python tests/run_replaced.py -n auto

# The sample timeline's own checks (tests/sample), which fail here rather than skip.
test-sample: $(VENV)/.installed-dev
	DATELINE_REQUIRE_SAMPLE=1 $(BIN)/python -m pytest -q -n auto tests/sample

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf output .dateline-cache
