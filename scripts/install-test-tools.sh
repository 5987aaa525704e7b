#!/usr/bin/env bash
# Installs the real binaries the CI test tiers run: fabio, consul, prometheus, promtool, alertmanager,
# blackbox_exporter and consul-template, each from a package registry, and nomad-jobspec-check, this
# repository's Nomad jobspec schema checker. Nomad is not among them: no registry reachable here serves it, so
# the Nomad tier
# (npm run test:nomad) uses a `nomad` the user already has (PATH or NOMAD_BIN).
#
# Usage:  export PATH="$(bash scripts/install-test-tools.sh):$PATH"
#
# Prints exactly ONE line on stdout: a colon-separated list of directories to prepend to PATH (never empty,
# so the caller never ends up with an empty PATH element, i.e. ".", in PATH). Everything else goes to
# stderr, including one line per tool saying which binary (and version) the tests will use. Idempotent:
# a second run finds everything in place and builds or installs nothing.
#
#   fabio               the version of tools/fabio/go.mod (= the fabio.image tag the jobs deploy; a unit
#                       test keeps them equal), built with `go build` from the Go module proxy into
#                       $CACHE/tools. FABIO_BIN=<path> uses that binary instead; a fabio on PATH is used
#                       when it reports the pinned version.
#   prometheus,         the version of tools/prometheus/go.mod (Prometheus release 2.x.y is the module
#   promtool            version v0.x.y; = the prometheus.image tag), built from that release's source with
#                       only the service discoveries the rendered config uses (see build_prometheus).
#                       PROMETHEUS_BIN + PROMTOOL_BIN use those binaries; ones on PATH are used when they
#                       report the pinned version (Debian's bookworm/trixie builds do not, and lack Consul
#                       service discovery).
#                       The promtool used is checked to accept a consul_sd_configs section.
#   alertmanager        the version of tools/alertmanager/go.mod (= the prometheus.alerting.image tag a deployed
#                       Alertmanager runs), built the same way. ALERTMANAGER_BIN uses that binary instead.
#   blackbox_exporter   the version of tools/blackbox_exporter/go.mod (= the prometheus.lookupProbes.image tag),
#                       built the same way. BLACKBOX_EXPORTER_BIN uses that binary instead.
#   consul-template     the version of tools/consul-template/go.mod (the one Nomad 1.4's template stanza
#                       embeds), built the same way. CONSUL_TEMPLATE_BIN uses that binary instead.
#   nomad-jobspec-check tools/nomad-jobspec-check (Nomad's jobspec types from github.com/hashicorp/nomad/api,
#                       pinned in its go.mod/go.sum), built into $CACHE/tools; rebuilt only when its sources
#                       change (their hash is kept beside the binary).
#   consul              used from PATH (or CONSUL_BIN) when present; otherwise `apt-get install
#                       consul/bullseye` (1.8.7; bookworm has no consul), from Debian's bullseye suite
#                       added from the same mirror the machine already uses, pinned low (priority 100) so
#                       nothing else moves. Needs root (or password-less sudo).
#
# Needs Go 1.24+ (the polyglot machine has it) for the builds; the Go module and build caches are Go's own.
# A registry that cannot be reached is a hard error with one line saying which, never a silent skip.
# $CACHE is ${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-system-jobs.
#
# Options / environment:
#   --ci        (or CI=true) non-interactive CI mode: never prompts (sudo -n), plain apt output.
#   -h, --help  this text.
set -euo pipefail

# stdout is reserved for the single PATH line; everything else goes to stderr.
exec 3>&1 1>&2

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

ci=false
case ${CI:-} in true | TRUE | True | 1 | yes) ci=true ;; esac
while (($#)); do
  case $1 in
    --ci) ci=true ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-test-tools: unknown argument: $1 (see --help)"; exit 2 ;;
  esac
  shift
done

log() { echo "install-test-tools: $*"; }
died=false
die() { echo "install-test-tools: ERROR: $*"; died=true; exit 1; }
# A failure that set -e caught rather than die(): say so, with the command, instead of failing silently.
trap 'rc=$?; ((rc == 0)) || $died || echo "install-test-tools: ERROR: failed (exit $rc): $BASH_COMMAND"' EXIT

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-system-jobs
tools_dir=$cache/tools
mkdir -p "$cache" "$tools_dir"

# One run at a time (parallel test workers may all call this).
exec 9>"$cache/.install-test-tools.lock"
flock -w 900 9 || die "timed out waiting for another install-test-tools run (lock $cache/.install-test-tools.lock)"

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
$ci && apt_opts+=(-q)

path_dirs=()
add_path_dir() {
  local d
  for d in "${path_dirs[@]}"; do [[ $d == "$1" ]] && return 0; done
  path_dirs+=("$1")
}

# Root commands: directly as root, else through password-less sudo (never prompts).
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "need root (or password-less sudo) to run: $*"
  fi
}

# A tool given by *_BIN, or found on PATH. Sets `found` to its path; its directory is added to the PATH
# fragment when the file is named like the tool (so `tool` resolves to it through PATH as well).
find_tool() { # name VAR_NAME
  local name=$1 var=$2 val=${!2:-}
  found=
  if [[ -n $val ]]; then
    [[ -x $val && -f $val ]] || die "$var=$val is not an executable file"
    found=$val
    [[ $(basename "$val") == "$name" ]] && add_path_dir "$(cd "$(dirname "$val")" && pwd)"
  elif command -v "$name" >/dev/null; then
    found=$(command -v "$name")
  fi
  [[ -n $found ]]
}

# ---------------------------------------------------------------------------------------------------------
# Debian's bullseye suite, from the mirror the machine already uses.
# ---------------------------------------------------------------------------------------------------------
bullseye_sources=/etc/apt/sources.list.d/rocketmq-system-jobs-bullseye.sources
bullseye_prefs=/etc/apt/preferences.d/rocketmq-system-jobs-bullseye
bullseye_ready=false

# Prints the first URI of an enabled `deb` source for the machine's own release suite (e.g. bookworm),
# from deb822 files (*.sources) and one-line files (sources.list, *.list).
machine_debian_uri() {
  local codename files=()
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
  shopt -s nullglob
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ $f == "$bullseye_sources" ]] || files+=("$f")
  done
  if ((${#files[@]})); then
    awk -v cn="$codename" '
      function reset() { types = suites = uris = enabled = ""; last = "" }
      function flush() {
        if (!done && enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " cn " ") && uris != "") {
          sub(/^[ \t]+/, "", uris); split(uris, a, /[ \t]+/); print a[1]; done = 1
        }
        reset()
      }
      BEGIN { reset() }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (last == "uris") uris = uris " " $0; else if (last == "suites") suites = suites " " $0; next }
      {
        i = index($0, ":"); if (!i) next
        key = tolower(substr($0, 1, i - 1)); val = substr($0, i + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val); last = key
        if (key == "types") types = val
        else if (key == "suites") suites = val
        else if (key == "uris") uris = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { flush() }
    ' "${files[@]}" | sed -n 1p
  fi
  files=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [[ -f $f ]] && files+=("$f"); done
  if ((${#files[@]})); then
    # deb [opts] URI suite component...
    sed -e 's/#.*//' "${files[@]}" |
      awk -v cn="$codename" '$1 == "deb" {
        sub(/^[ \t]*deb[ \t]+/, ""); if ($0 ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "")
        if ($2 == cn) { print $1; exit }
      }'
  fi
}

ensure_bullseye_suite() {
  $bullseye_ready && return 0
  local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg tmp changed=false
  uri=$(machine_debian_uri | sed -n 1p)
  [[ -n $uri ]] || die "no enabled 'deb' apt source for this machine's Debian release found in /etc/apt (needed to add the bullseye suite from the same mirror)"
  uri=${uri%/}
  tmp=$(mktemp)
  {
    echo "# Added by rocketmq-system-jobs scripts/install-test-tools.sh: consul 1.8.7 for the test suite,"
    echo "# from the mirror this machine already uses."
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: bullseye"
    echo "Components: main"
    # The full Debian keyring (bookworm's debian-archive-keyring still carries the bullseye keys).
    [[ -f $keyring ]] && echo "Signed-By: $keyring"
  } >"$tmp"
  if ! cmp -s "$tmp" "$bullseye_sources"; then
    log "adding Debian bullseye suite ($uri) as $bullseye_sources"
    as_root install -m 0644 "$tmp" "$bullseye_sources"
    changed=true
  fi
  cat >"$tmp" <<'EOF'
# Added by rocketmq-system-jobs scripts/install-test-tools.sh: bullseye only on explicit request
# (pkg/bullseye), so no installed package is ever up- or downgraded by it.
Package: *
Pin: release n=bullseye
Pin-Priority: 100
EOF
  if ! cmp -s "$tmp" "$bullseye_prefs"; then
    log "pinning bullseye low in $bullseye_prefs"
    as_root install -m 0644 "$tmp" "$bullseye_prefs"
    changed=true
  fi
  rm -f "$tmp"
  # apt-get update only when the sources changed or bullseye's package lists are not there yet.
  if $changed || ! apt-cache madison consul 2>/dev/null | grep -q ' bullseye/main '; then
    log "apt-get update"
    as_root apt-get "${apt_opts[@]}" update </dev/null
  fi
  apt-cache madison consul 2>/dev/null | grep -q ' bullseye/main ' ||
    die "consul is not available from the bullseye suite at $uri after apt-get update"
  bullseye_ready=true
}

# ---------------------------------------------------------------------------------------------------------
# consul
# ---------------------------------------------------------------------------------------------------------
if find_tool consul CONSUL_BIN; then
  consul=$found
else
  ensure_bullseye_suite
  # consul 1.8.7+dfsg1-2 ships /etc/init.d/consul and consul.service but registers both disabled
  # (update-rc.d defaults-disabled; the unit is enabled only if it was enabled before) and starts neither.
  # Belt and braces, so no agent ever takes 8300/8500/8600 from the tests' own agents: a temporary
  # policy-rc.d (only when the machine has none; Debian's Docker images ship one) forbids starting
  # services during the install, and a consul.service that is enabled or running afterwards is stopped.
  policy_rc=/usr/sbin/policy-rc.d
  own_policy=false
  if [[ ! -e $policy_rc ]]; then
    printf '#!/bin/sh\n# temporary, rocketmq-system-jobs install-test-tools.sh\nexit 101\n' | as_root tee "$policy_rc" >/dev/null
    as_root chmod 0755 "$policy_rc"
    own_policy=true
  fi
  log "apt-get install consul/bullseye"
  set +e
  as_root apt-get "${apt_opts[@]}" install --no-install-recommends consul/bullseye </dev/null
  rc=$?
  set -e
  $own_policy && as_root rm -f "$policy_rc"
  ((rc == 0)) || die "apt-get install consul/bullseye failed (exit $rc)"
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]] &&
    { systemctl is-enabled --quiet consul.service 2>/dev/null || systemctl is-active --quiet consul.service; }; then
    log "stopping and disabling the packaged consul.service (the tests run their own agents)"
    as_root systemctl disable --now consul.service || die "could not stop/disable consul.service"
  fi
  consul=$(command -v consul) || die "consul is still not on PATH after installing consul/bullseye"
fi
v=$("$consul" version </dev/null 2>&1) || die "'$consul version' failed: $v"
log "consul: $consul ($(sed -n 1p <<<"$v"))"

# ---------------------------------------------------------------------------------------------------------
# Go modules: fabio, prometheus and promtool, built at the versions the jobs deploy
# ---------------------------------------------------------------------------------------------------------
# tools/<name>/go.mod pins the module version and tools/<name>/go.sum its checksums (committed), so a build
# needs nothing but the Go module proxy, and a changed download fails the build instead of being used.

# The version tools/<dir>/go.mod requires of a module.
pinned_module_version() { # dir module
  local v
  v=$(awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$repo_root/tools/$1/go.mod")
  [[ -n $v ]] || die "tools/$1/go.mod does not require $2"
  echo "$v"
}

# Builds packages of a tools module into a directory, with one clear line when the Go module proxy cannot
# be reached (go's own output above it says why). BUILD_DIR, when set, is the main module built in instead of
# tools/<dir> (which then only pins the version).
go_build_tools() { # dir out_dir ldflags package...
  local dir=$1 out=$2 ldflags=$3 output build_dir=${BUILD_DIR:-$repo_root/tools/$1}
  shift 3
  require_go
  log "building $* from the Go module proxy ($(go env GOPROXY)) with $(go env GOVERSION) (cached after the first run)"
  local started=$SECONDS
  if ! output=$(cd "$build_dir" && GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath \
    -ldflags "$ldflags" -o "$out/" "$@" 2>&1); then
    sed 's/^/    /' <<<"$output"
    proxy_unreachable_or_die "$dir" "$output"
    die "go build of $* (tools/$dir) failed: $(tail -n 1 <<<"$output")"
  fi
  log "built tools/$dir in $((SECONDS - started))s"
}

require_go() {
  command -v go >/dev/null || die "go is not on PATH: the test tools are built from Go modules (install Go 1.24 or later)"
}

proxy_unreachable_or_die() { # dir go_output: dies with one line when the output says the proxy was not reached
  if grep -qiE 'proxy|dial tcp|no such host|connection refused|timeout|TLS handshake|403|404|410' <<<"$2"; then
    die "could not download tools/$1's modules from the Go module proxy ($(go env GOPROXY)): $(tail -n 1 <<<"$2")"
  fi
}

# A tool of the pinned version: from <NAME>_BIN when set (used as given; a version mismatch is reported),
# else from PATH when it reports the pinned version, else built into $tools_dir by build_<name>.
provide_go_tool() { # name version_regex build_function
  local name=$1 want=$2 builder=$3 var reported
  var=${1^^}
  var=${var//-/_}_BIN # consul-template → CONSUL_TEMPLATE_BIN
  if [[ -n ${!var:-} ]]; then
    [[ -x ${!var} && -f ${!var} ]] || die "$var=${!var} is not an executable file"
    ln -sfn "$(cd "$(dirname "${!var}")" && pwd)/$(basename "${!var}")" "$tools_dir/$name"
    reported=$(tool_version "$tools_dir/$name")
    grep -qE "$want" <<<"$reported" || log "WARNING: $var reports '$reported', not the version the jobs deploy"
  elif [[ -x $tools_dir/$name ]] && grep -qE "$want" <<<"$(tool_version "$tools_dir/$name")"; then
    : # built, or linked from PATH, by an earlier run (whose PATH fragment may put it first on PATH now)
  elif found=$(on_path_outside_tools_dir "$name") && grep -qE "$want" <<<"$(tool_version "$found")"; then
    ln -sfn "$found" "$tools_dir/$name"
  else
    rm -f "$tools_dir/$name"
    "$builder"
    grep -qE "$want" <<<"$(tool_version "$tools_dir/$name")" ||
      die "the $name just built reports '$(tool_version "$tools_dir/$name")', expected /$want/"
  fi
  log "$name: $(readlink -f "$tools_dir/$name") ($(tool_version "$tools_dir/$name"))"
}

# The first `name` on PATH that is not $tools_dir's own entry (which the PATH fragment puts first).
on_path_outside_tools_dir() { # name
  local dir
  local -a dirs
  IFS=: read -ra dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [[ -n $dir && $(cd "$dir" 2>/dev/null && pwd -P) != "$(cd "$tools_dir" && pwd -P)" ]] || continue
    [[ -x $dir/$1 && -f $dir/$1 ]] && { echo "$dir/$1"; return 0; }
  done
  return 1
}

tool_version() { # binary: its version line
  case $(basename "$1") in
    fabio | consul-template) "$1" -v 2>&1 </dev/null | sed -n 1p ;;
    *) "$1" --version 2>&1 </dev/null | sed -n 1p ;;
  esac
}

# The tools are provided side by side: a lone go build leaves a core idle while it downloads modules, links,
# or waits on its last package. Each runs in the background; wait_for_tools fails naming every one that failed
# (its own ERROR line is above).
tool_pids=() tool_names=()
in_background() { # name command...
  local name=$1
  shift
  "$@" &
  tool_pids+=($!)
  tool_names+=("$name")
}
wait_for_tools() {
  local i failed=()
  for i in "${!tool_pids[@]}"; do wait "${tool_pids[$i]}" || failed+=("${tool_names[$i]}"); done
  tool_pids=() tool_names=()
  ((${#failed[@]} == 0)) || die "could not provide: ${failed[*]} (see above)"
}

fabio_version=$(pinned_module_version fabio github.com/fabiolb/fabio)
build_fabio() { go_build_tools fabio "$tools_dir" "-s -w" github.com/fabiolb/fabio; }
# fabio -v prints "<version> <go version>".
in_background fabio provide_go_tool fabio "^${fabio_version#v} " build_fabio

# Prometheus publishes release 2.x.y as the module version v0.x.y; the version string is stamped the way
# Prometheus' own release build does, so `prometheus --version` names the release.
prometheus_module=$(pinned_module_version prometheus github.com/prometheus/prometheus)
prometheus_version=2.${prometheus_module#v0.}
# The service discoveries built in besides file and http (which Prometheus always builds in): the ones the
# rendered prometheus.yml uses (tests/unit/test-tools.test.ts keeps the two in step). Prometheus' own way to
# choose them is its plugins.yml, from which `make plugins` writes plugins/plugins.go; here that file is written
# into a copy of the release's source, which is then built as its own main module (its go.mod, go.sum and
# replace directives). Leaving out the others (Kubernetes and the clouds' SDKs among them) more than halves a
# cold build.
prometheus_discoveries=(consul)
build_prometheus() {
  local x=github.com/prometheus/common/version module_dir output src=$cache/src/prometheus-$prometheus_module d
  require_go
  # Downloaded (and checked against tools/prometheus/go.sum) first; then its directory is the one line go list prints.
  if ! output=$(cd "$repo_root/tools/prometheus" && GOFLAGS=-mod=readonly go mod download github.com/prometheus/prometheus 2>&1); then
    sed 's/^/    /' <<<"$output"
    proxy_unreachable_or_die prometheus "$output"
    die "could not download github.com/prometheus/prometheus@$prometheus_module: $(tail -n 1 <<<"$output")"
  fi
  module_dir=$(cd "$repo_root/tools/prometheus" && GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' github.com/prometheus/prometheus)
  [[ -d $module_dir ]] || die "go list gave no directory for github.com/prometheus/prometheus@$prometheus_module"
  remove_source_copy "$src" # left by an interrupted run
  mkdir -p "$(dirname "$src")"
  cp -R "$module_dir" "$src"
  chmod -R u+w "$src" # the module cache's copy is read-only
  {
    echo "// Written by scripts/install-test-tools.sh, as Prometheus' plugins.yml would have it."
    echo "package plugins"
    echo
    echo "import ("
    for d in "${prometheus_discoveries[@]}"; do echo "	_ \"github.com/prometheus/prometheus/discovery/$d\""; done
    echo ")"
  } >"$src/plugins/plugins.go"
  if ! (BUILD_DIR=$src go_build_tools prometheus "$tools_dir" \
    "-s -w -X $x.Version=$prometheus_version -X $x.Branch=module -X $x.Revision=$prometheus_module" \
    ./cmd/prometheus ./cmd/promtool); then
    remove_source_copy "$src"
    died=true # go_build_tools said why
    exit 1
  fi
  remove_source_copy "$src"
}

remove_source_copy() { # dir: also when an interrupted copy kept the module cache's read-only directories
  [[ -e $1 ]] && chmod -R u+w "$1"
  rm -rf "$1"
  rmdir "$(dirname "$1")" 2>/dev/null || true
}

provide_prometheus() { # one build makes both
  local b
  for b in prometheus promtool; do
    provide_go_tool "$b" "version ${prometheus_version//./\\.} " build_prometheus
  done
}
in_background "prometheus, promtool" provide_prometheus

alertmanager_version=$(pinned_module_version alertmanager github.com/prometheus/alertmanager)
build_alertmanager() {
  local x=github.com/prometheus/common/version
  go_build_tools alertmanager "$tools_dir" \
    "-s -w -X $x.Version=${alertmanager_version#v} -X $x.Branch=module -X $x.Revision=$alertmanager_version" \
    github.com/prometheus/alertmanager/cmd/alertmanager
}
in_background alertmanager provide_go_tool alertmanager "version ${alertmanager_version#v}\b" build_alertmanager

# blackbox_exporter stamps its version like Prometheus; `--version` then names the release.
blackbox_module=$(pinned_module_version blackbox_exporter github.com/prometheus/blackbox_exporter)
build_blackbox_exporter() {
  local x=github.com/prometheus/common/version
  go_build_tools blackbox_exporter "$tools_dir" \
    "-s -w -X $x.Version=${blackbox_module#v} -X $x.Branch=module -X $x.Revision=$blackbox_module" \
    github.com/prometheus/blackbox_exporter
}
in_background blackbox_exporter provide_go_tool blackbox_exporter "version ${blackbox_module#v} " build_blackbox_exporter

consul_template_module=$(pinned_module_version consul-template github.com/hashicorp/consul-template)
build_consul_template() {
  go_build_tools consul-template "$tools_dir" \
    "-s -w" \
    github.com/hashicorp/consul-template
}
# consul-template -v prints "consul-template v0.29.5 (<commit>)".
in_background consul-template provide_go_tool consul-template "^consul-template ${consul_template_module//./\\.} " build_consul_template

# Nomad's jobspec schema without a Nomad: the checker is built from this repository's sources, so the cache
# key is their hash rather than a release version.
provide_jobspec_checker() {
  local checker_dir=$repo_root/tools/nomad-jobspec-check checker_hash checker_stamp=$tools_dir/.nomad-jobspec-check.sha256
  checker_hash=$(cd "$checker_dir" && sha256sum go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)
  if [[ ! -x $tools_dir/nomad-jobspec-check || $(cat "$checker_stamp" 2>/dev/null) != "$checker_hash" ]]; then
    rm -f "$checker_stamp"
    go_build_tools nomad-jobspec-check "$tools_dir" "-s -w" rocketmq-system-jobs/tools/nomad-jobspec-check
    echo "$checker_hash" >"$checker_stamp"
  fi
  log "nomad-jobspec-check: $tools_dir/nomad-jobspec-check (sources $checker_hash)"
}
in_background nomad-jobspec-check provide_jobspec_checker

wait_for_tools

# The scrape config relies on Consul service discovery, which some distribution builds leave out.
chk=$(mktemp -d)
cat >"$chk/prometheus.yml" <<'EOF'
global:
  scrape_interval: 15s
scrape_configs:
  - job_name: consul-services
    consul_sd_configs:
      - server: 127.0.0.1:8500
        services: [rocketmq-nameserver]
    relabel_configs:
      - source_labels: [__meta_consul_service]
        target_label: service
EOF
if ! out=$("$tools_dir/promtool" check config "$chk/prometheus.yml" 2>&1); then
  rm -rf "$chk"
  die "promtool check config rejects consul_sd_configs: $out"
fi
rm -rf "$chk"

# The PATH fragment: the tools dir first, so its binaries win over other versions on PATH.
fragment=$tools_dir
for d in "${path_dirs[@]}"; do [[ $d == "$tools_dir" ]] || fragment+=:$d; done
echo "$fragment" >&3
