# ecommerce-pipeline. Every target installs what it needs: on a fresh clone `make test` and
# `make demo` are the only two commands anyone has to know.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NODE_OPTIONS_TSX := --import tsx
# Node 20 here, node 22 in the image: the SDK's notice about its 2027 support window is noise in tests.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED := true
UVU := NODE_OPTIONS="$(NODE_OPTIONS_TSX)" node_modules/.bin/uvu

.PHONY: help install build typecheck test test-unit bench synth plan apply destroy demo clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

node_modules/.install-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: node_modules/.install-stamp ## npm ci (only when package-lock.json changed)

build: install ## bundle every workers/<name>/main.ts into dist/<name>.js
	node scripts/build.mjs

typecheck: install ## strict TypeScript over sources and tests
	node_modules/.bin/tsc --noEmit -p .

test: build typecheck ## everything CI runs: types, unit, property and integration tests
	$(UVU) test '\.test\.ts$$' --no-color

bench: build ## throughput and peak RSS against a csv-parser baseline (BENCH_ITEMS=1000000)
	node $(NODE_OPTIONS_TSX) scripts/bench.ts

clean: ## remove build output
	rm -rf dist

# --- infrastructure (issue: CDKTF stack) ------------------------------------------------------
synth: install ## regenerate terraform/ from main.ts
	@echo "synth: not yet implemented" >&2; exit 1

plan: ## terraform plan (ENV=, BACKEND_CONFIG=, LOCAL=1 for moto)
	@echo "plan: not yet implemented" >&2; exit 1

apply: ## terraform apply (ENV=, BACKEND_CONFIG=, LOCAL=1 for moto)
	@echo "apply: not yet implemented" >&2; exit 1

destroy: ## terraform destroy (LOCAL=1 also stops moto)
	@echo "destroy: not yet implemented" >&2; exit 1

# --- local end to end (issue: aggregator and demo) --------------------------------------------
demo: build ## the whole pipeline on moto, end to end (DEMO_INPUT=DIR, KEEP=1)
	DEMO_INPUT="$(DEMO_INPUT)" KEEP="$(KEEP)" NODE_OPTIONS="$(NODE_OPTIONS_TSX)" node workers/demo/main.ts
