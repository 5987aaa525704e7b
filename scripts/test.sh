#!/usr/bin/env bash
# The one command that runs every check on a fresh machine: installs dependencies and the real binaries
# the tests drive (all from package registries), then typecheck, format check, lint, unit and integration
# tests, and the Nomad tier where a `nomad` is available (one line otherwise).
#
# The binaries are installed (on a cold machine: compiled, minutes) in the background, at low priority, while
# npm ci, typecheck, format check, lint and the unit tier run; the integration tier waits for them. Last, on
# success or failure, one line gives each step's wall time:
#   timings: npm-ci 9.8s, tools 2.1s (background; waited 0s), typecheck 8.4s, ..., nomad not run, total 1m32s
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
now_us() { echo "${EPOCHREALTIME/./}"; }
started_us=$(now_us)

duration() { # microseconds → 4.8s, 58s or 7m52s
  local us=$1 s tenths
  s=$(((us + 500000) / 1000000))
  tenths=$(((us + 50000) / 100000))
  if ((tenths < 100)); then
    printf '%d.%ds' $((tenths / 10)) $((tenths % 10))
  elif ((s < 120)); then
    printf '%ds' "$s"
  else
    printf '%dm%02ds' $((s / 60)) $((s % 60))
  fi
}

steps=(npm-ci tools typecheck format lint unit integration nomad)
declare -A took=()
current= current_started=
tools_pid=

print_timings() {
  local line= step
  for step in "${steps[@]}"; do line+="${line:+, }$step ${took[$step]:-not run}"; done
  echo "timings: $line, total $(duration $(($(now_us) - started_us)))"
}

on_exit() {
  local rc=$?
  [[ -n $current ]] && took[$current]="$(duration $(($(now_us) - current_started))) (failed)"
  # A failed step leaves no build running behind it (it holds the install lock the next run waits on).
  if [[ -n $tools_pid ]]; then
    if [[ -s $scratch/tools-done ]]; then
      took[tools]="$(duration "$(cut -d' ' -f2 "$scratch/tools-done")") (background)"
    else
      kill -- "-$tools_pid" 2>/dev/null || true
      took[tools]="stopped after $(duration $(($(now_us) - started_us)))"
    fi
  fi
  rm -rf "$scratch"
  echo
  print_timings
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_step() { # name command...
  current=$1
  current_started=$(now_us)
  shift
  "$@"
  took[$current]=$(duration $(($(now_us) - current_started)))
  current=
  # A failed install is reported as soon as it is known, not after the steps that do not need it.
  if [[ -n $tools_pid && -s $scratch/tools-done ]] && ! grep -q '^0 ' "$scratch/tools-done"; then wait_for_tools; fi
}

wait_for_tools() {
  current=tools current_started=$(now_us)
  wait "$tools_pid" || true
  tools_pid=
  cat "$scratch/tools-log"
  local rc us
  read -r rc us <"$scratch/tools-done"
  took[tools]="$(duration "$us") (background; waited $(duration $(($(now_us) - current_started))))"
  if ((rc != 0)); then
    took[tools]="$(duration "$us") (failed)"
    current=
    echo "test.sh: ERROR: scripts/install-test-tools.sh failed (exit $rc); its log is above" >&2
    return "$rc"
  fi
  PATH="$(cat "$scratch/tools-path"):$PATH"
  export PATH
}

# The binaries, in their own process group (so a failure elsewhere stops the whole build), niced so the
# foreground steps keep their speed. Their log is shown once they are done.
set -m
{
  t0=$(now_us)
  rc=0
  nice -n 10 bash scripts/install-test-tools.sh >"$scratch/tools-path" 2>"$scratch/tools-log" </dev/null || rc=$?
  echo "$rc $(($(now_us) - t0))" >"$scratch/tools-done"
} &
tools_pid=$!
set +m

# vitest keeps transformed modules there between runs, a directory per checkout (vitest.shared.mts); it never
# removes one, so what no run has written for two weeks goes (a module still in use is transformed again once),
# and with it the directory of a checkout no longer run.
vitest_cache=${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-system-jobs/vitest
find "$vitest_cache" -type f -mtime +14 -delete 2>/dev/null || true
find "$vitest_cache" -mindepth 1 -type d -empty -delete 2>/dev/null || true

run_step npm-ci npm ci --no-audit --no-fund
run_step typecheck npm run typecheck
run_step format npm run format:check
run_step lint npm run lint
run_step unit npm run test:unit

wait_for_tools
current=

run_step integration npm run test:integration

export TEST_NOMAD_STATUS_FILE=$scratch/nomad-status
run_step nomad npm run test:nomad
if [[ $(cat "$TEST_NOMAD_STATUS_FILE" 2>/dev/null) == "not run" ]]; then took[nomad]="not run (no nomad)"; fi
