# Quick start: `make generate` then `make test`. Both set up .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup redis generate check lint test bench clean

setup: $(STAMP) redis

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,pydantic,msgspec]'
	# `python examples/...` imports the committed bindings: put generated/ on the venv's path
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'ocpp_bindings_generated.pth').write_text('$(CURDIR)/generated\n')"
	touch $(STAMP)

## Debian's redis-server, for the cluster tests and `examples/csms.py --redis` (the PyPI package
## of that name has no build for this platform); the tests start and stop their own servers.
redis:
	@command -v redis-server >/dev/null || { apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } \
		|| { echo "make: redis-server is missing and apt-get could not install it (run as root)" >&2; exit 1; }

## Regenerate generated/ocpp_bindings from schemas/ and templates/, and the golden records of
## the variants in generated/variants (the pydantic and msgspec flavours of 2.0.1, the acme
## extension).
generate: $(STAMP)
	$(BIN)/ocppgen generate
	$(BIN)/python tests/golden.py write

## Fail when generated/ is not what the generator produces now.
check: $(STAMP)
	$(BIN)/ocppgen check
	$(BIN)/python tests/golden.py check

lint: $(STAMP)
	$(BIN)/ruff check generator generated tests benchmarks examples
	$(BIN)/ruff format --check generator tests benchmarks examples
	MYPYPATH=generated $(BIN)/mypy generator generated/ocpp_bindings generated/ocpp_bindings_tests tests/typing_example.py
	MYPYPATH=generated $(BIN)/mypy examples

## The whole suite: drift check, linters, type checks, tests.
test: $(STAMP) redis check lint
	$(BIN)/pytest -n auto --dist loadgroup --durations=10

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist

## Speed, side by side with the peer tools (prints medians and ratios; not part of the tests).
bench: $(STAMP) redis
	cd benchmarks && ../$(BIN)/python bench_runtime.py && ../$(BIN)/python bench_dispatch.py \
		&& ../$(BIN)/python bench_generation.py
	cd benchmarks && ../$(BIN)/python bench_load.py
	cd benchmarks && ../$(BIN)/python bench_tolerance.py
