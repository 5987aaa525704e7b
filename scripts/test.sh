#!/usr/bin/env bash
# The one command that runs every check on a fresh machine: installs dependencies and the real binaries
# the tests drive (Nomad, Fabio, Consul, Prometheus), then typecheck, format check, unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
tools=$(bash scripts/install-test-tools.sh)
export PATH="$tools:$PATH"

npm run typecheck
npm run format:check
npm run test:unit
npm run test:integration
