#!/usr/bin/env bash
# The one command that runs every check on a fresh machine: installs dependencies and the real binaries
# the tests drive (Fabio, Consul, Prometheus, promtool, all from package registries), then typecheck, format
# check, lint, unit and integration tests, and the Nomad tier where a `nomad` is available (one line otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
tools=$(bash scripts/install-test-tools.sh)
export PATH="$tools:$PATH"

npm run typecheck
npm run format:check
npm run lint
npm run test:unit
npm run test:integration
npm run test:nomad
