#!/usr/bin/env bash
# The Nomad tier (tests/nomad): rendered jobspecs validated, planned and stored by a real Nomad, and Nomad
# agents started from the image files and scraped by Prometheus. No package registry serves Nomad, so it
# runs with the `nomad` the user has: NOMAD_BIN, else the first `nomad` on PATH. Without one it prints a
# single line saying it did not run, and succeeds; everything else is proven by the other tiers.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n ${NOMAD_BIN:-} ]]; then
  [[ -x $NOMAD_BIN && -f $NOMAD_BIN ]] || { echo "test:nomad: NOMAD_BIN=$NOMAD_BIN is not an executable file" >&2; exit 2; }
  nomad=$NOMAD_BIN
elif ! nomad=$(command -v nomad); then
  echo "test:nomad: not run: no nomad binary (set NOMAD_BIN or put nomad on PATH; no package registry here serves Nomad)"
  # scripts/test.sh's timings line says so too.
  if [[ -n ${TEST_NOMAD_STATUS_FILE:-} ]]; then echo "not run" >"$TEST_NOMAD_STATUS_FILE"; fi
  exit 0
fi
echo "test:nomad: running with $nomad ($("$nomad" version </dev/null 2>&1 | sed -n 1p))"
tools=$(bash scripts/install-test-tools.sh)
export PATH="$tools:$PATH"
exec npx vitest run --config vitest.nomad.config.mts "$@"
