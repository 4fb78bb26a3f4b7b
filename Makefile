# ecommerce-pipeline. Every target installs what it needs: on a fresh clone `make test` and
# `make demo` are the only two commands anyone has to know.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NODE_OPTIONS_TSX := --import tsx
# Node 20 here, node 22 in the image: the SDK's notice about its 2027 support window is noise in tests.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED := true

.PHONY: help install build typecheck test test-unit bench synth docs plan apply destroy demo clean

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

test: build typecheck ## everything CI runs: types, unit, property and integration tests (TESTS=regex)
	node scripts/run-tests.mjs $(if $(TESTS),'$(TESTS)')

bench: build ## throughput and peak RSS vs csv-parser and DuckDB (BENCH_ITEMS BENCH_DAYS BENCH_PRODUCTS BENCH_FORMAT=csv|mixed)
	node $(NODE_OPTIONS_TSX) scripts/bench.ts

clean: ## remove build output
	rm -rf dist

# --- infrastructure (issue: CDKTF stack) ------------------------------------------------------
# ENV=<name> selects the environment (variable `environment` and a terraform workspace);
# VAR_FILE=<tfvars> adds a var file (see terraform/example.tfvars); BACKEND_CONFIG=<hcl> switches
# the backend to S3 with that partial configuration (see terraform/backend.s3.example.hcl);
# LOCAL=1 runs against a moto_server in the background instead of AWS (state under .local/).
ENV ?= dev
VAR_FILE ?=
BACKEND_CONFIG ?=
LOCAL ?=
MOTO_PORT ?=
TF_DIR := terraform
TF := terraform -chdir=$(TF_DIR)
LOCAL_STACK := node --import tsx workers/local/terraform-cli.ts
TF_VARS := -var environment=$(ENV) $(if $(VAR_FILE),-var-file=$(abspath $(VAR_FILE)))
LOCAL_ARGS := --env $(if $(filter command line,$(origin ENV)),$(ENV),local) $(if $(VAR_FILE),--var-file $(abspath $(VAR_FILE))) $(if $(MOTO_PORT),--port $(MOTO_PORT))
export CHECKPOINT_DISABLE := 1
# Offline provider mirror where there is one (these machines); the public registry elsewhere.
ifneq ($(wildcard /opt/tf-plugins),)
export TF_CLI_CONFIG_FILE := $(CURDIR)/terraform.offline.tfrc
endif

.PHONY: lambda-zip tf-init moto-up moto-down

synth: install ## regenerate terraform/ from main.ts
	node --import tsx main.ts terraform

docs: install ## regenerate the module's inputs and outputs tables in README.md from terraform/modules/
	node --import tsx scripts/module-docs.ts

lambda-zip: build ## dist/aggregator.zip and dist/generator-lambda.zip from their bundles, byte-reproducible
	@test -f dist/aggregator.js || { echo "lambda-zip: dist/aggregator.js missing (workers/aggregator/main.ts not built)" >&2; exit 1; }
	node --import tsx scripts/lambda-zip.ts dist/aggregator.zip dist/aggregator.js
	node --import tsx scripts/lambda-zip.ts dist/generator-lambda.zip dist/generator-lambda.js

tf-init: ## terraform init (BACKEND_CONFIG= for S3 state) and select the ENV workspace
	@if [ -n "$(BACKEND_CONFIG)" ]; then \
	  printf '{"terraform": {"backend": {"s3": {}}}}\n' > $(TF_DIR)/backend_override.tf.json; \
	  $(TF) init -input=false -reconfigure -backend-config=$(abspath $(BACKEND_CONFIG)); \
	else \
	  rm -f $(TF_DIR)/backend_override.tf.json; \
	  $(TF) init -input=false -reconfigure; \
	fi
	$(TF) workspace select -or-create=true $(ENV)

plan: synth lambda-zip ## terraform plan into terraform/<ENV>.tfplan (ENV=, VAR_FILE=, BACKEND_CONFIG=, LOCAL=1 for moto)
ifeq ($(LOCAL),1)
	$(LOCAL_STACK) plan $(LOCAL_ARGS)
else
	$(MAKE) --no-print-directory tf-init
	$(TF) plan -input=false $(TF_VARS) -out=$(ENV).tfplan
endif

apply: synth lambda-zip ## apply the plan of `make plan` (LOCAL=1: plan and apply against moto, left running)
ifeq ($(LOCAL),1)
	$(LOCAL_STACK) apply $(LOCAL_ARGS)
else
	@test -f $(TF_DIR)/$(ENV).tfplan || { echo "apply: run 'make plan ENV=$(ENV)' first and review it" >&2; exit 1; }
	$(MAKE) --no-print-directory tf-init
	$(TF) apply -input=false $(ENV).tfplan
	rm -f $(TF_DIR)/$(ENV).tfplan
endif

destroy: ## terraform destroy, asks first (LOCAL=1: destroy on moto, then stop it)
ifeq ($(LOCAL),1)
	$(LOCAL_STACK) destroy $(LOCAL_ARGS)
else
	$(MAKE) --no-print-directory tf-init
	$(TF) destroy $(TF_VARS)
endif

moto-up: install ## start the background moto used by LOCAL=1 (MOTO_PORT= to fix the port)
	$(LOCAL_STACK) up $(LOCAL_ARGS)

moto-down: install ## stop the background moto
	$(LOCAL_STACK) down

# --- local end to end (issue: aggregator and demo) --------------------------------------------
demo: build ## the whole pipeline on moto, end to end (DEMO_INPUT=DIR, KEEP=1)
	DEMO_INPUT="$(DEMO_INPUT)" KEEP="$(KEEP)" NODE_OPTIONS="$(NODE_OPTIONS_TSX)" node workers/demo/main.ts
