PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install migrate console bench clean

# Bytecode is cached (__pycache__, git-ignored) even where the environment says not to: without it every
# test worker and every `python -m bot` a test starts compiled the project (and pytest rewrote every test
# module's asserts) from source, 8-9 s of CPU a process here.
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

console: $(STAMP)
	$(BIN)/python -m bot console

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard bot handlers domain storage tests bench)
	$(BIN)/mypy domain
	$(BIN)/mypy bot handlers storage

test: $(STAMP) lint
	bash scripts/ensure-services.sh
	$(BIN)/python -m pytest -q -n 4 --dist worksteal

bench: $(STAMP)
	$(BIN)/python bench/outbox.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
