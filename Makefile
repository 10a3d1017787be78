# FiberNode — two commands matter: `make run` and `make test` (see README.md).
SWIFT ?= swift
BIN_RELEASE := .build/release/fibernode
BIN_DEBUG := .build/debug/fibernode

.PHONY: deps build run test unit e2e man clean bench bench-ci

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

## Installs what is missing, builds, and opens the TUI on the default database
## (creating the demo database first when there is none).
run: build
	@$(BIN_RELEASE) --demo-if-missing

## Every test: unit tests (swift test) and the tmux end-to-end tests of the real binary.
test: deps
	$(SWIFT) build
	$(SWIFT) test
	bash Tests/E2E/run.sh $(BIN_DEBUG)

unit: deps
	$(SWIFT) test

e2e: deps
	$(SWIFT) build
	bash Tests/E2E/run.sh $(BIN_DEBUG)

## Benchmarks at operator scale (size l) and the small CI variant (size s).
bench: deps
	$(SWIFT) build -c release
	bash scripts/bench.sh l

## CI keeps the benchmark from rotting: size s on the debug build `make test` already made
## (its figures are not the ones to quote; `make bench` gives those).
bench-ci: deps
	$(SWIFT) build
	BUILD=debug REPS=3 bash scripts/bench.sh s

man:
	@MANWIDTH=80 man -l man/fibernode.1

clean:
	rm -rf .build
