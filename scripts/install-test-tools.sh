#!/usr/bin/env bash
# Installs the real binaries the test suite runs: nomad, fabio, consul, prometheus and promtool.
#
# Usage:  export PATH="$(bash scripts/install-test-tools.sh):$PATH"
#
# Prints exactly ONE line on stdout: a colon-separated list of directories to prepend to PATH (it is never
# empty, so the caller never ends up with an empty PATH element, i.e. ".", in PATH). Everything else goes
# to stderr. Idempotent and cheap to rerun: each tool is checked first and only installed when missing.
#
#   nomad, fabio        used from PATH (or NOMAD_BIN / FABIO_BIN) when present; otherwise unpacked by
#                       ../shared/bin/install (beside the repository) into $CACHE/bin. Never copied into
#                       the repository.
#   consul              used from PATH (or CONSUL_BIN) when present; otherwise `apt-get install
#                       consul/bullseye` (1.8.7; bookworm has no consul), from Debian's bullseye suite
#                       added from the same mirror the machine already uses, pinned low (priority 100) so
#                       nothing else moves. Needs root (or password-less sudo).
#   prometheus,         PROMETHEUS_BIN + PROMTOOL_BIN when both are set; otherwise bullseye's 2.24.1,
#                       unpacked with `dpkg -x` from `apt-get download
#   promtool            prometheus/bullseye` into $CACHE/tools (the package is NOT installed: it would
#                       start a service on :9090). Debian builds Prometheus >= 2.33.5+ds1-4 (bookworm,
#                       trixie) without Consul service discovery, so a promtool from PATH is never used;
#                       the installed promtool is checked to accept a consul_sd_configs section.
#
# $CACHE is ${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-system-jobs.
#
# Options / environment:
#   --ci        (or CI=true) non-interactive CI mode: never prompts (sudo -n), plain apt output. In every
#               mode a tool that cannot be provided is a hard error with a message, never a silent skip.
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
shared_install=$repo_root/../shared/bin/install
cache=${XDG_CACHE_HOME:-$HOME/.cache}/rocketmq-system-jobs
tools_dir=$cache/tools
debs_dir=$cache/debs
bin_dir=$cache/bin
mkdir -p "$cache" "$tools_dir" "$debs_dir"

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
    echo "# Added by rocketmq-system-jobs scripts/install-test-tools.sh: consul 1.8.7 and prometheus 2.24.1"
    echo "# (with consul_sd) for the test suite, from the mirror this machine already uses."
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
  if $changed || ! apt-cache madison consul prometheus 2>/dev/null | grep -q ' bullseye/main '; then
    log "apt-get update"
    as_root apt-get "${apt_opts[@]}" update </dev/null
  fi
  apt-cache madison consul 2>/dev/null | grep -q ' bullseye/main ' ||
    die "consul is not available from the bullseye suite at $uri after apt-get update"
  bullseye_ready=true
}

# ---------------------------------------------------------------------------------------------------------
# nomad, fabio
# ---------------------------------------------------------------------------------------------------------
need_shared=false
find_tool nomad NOMAD_BIN && nomad=$found || need_shared=true
find_tool fabio FABIO_BIN && fabio=$found || need_shared=true
if $need_shared; then
  [[ -x $shared_install ]] || die "nomad/fabio are not on PATH (nor NOMAD_BIN/FABIO_BIN set) and $shared_install is missing"
  log "unpacking nomad/fabio with $shared_install $bin_dir"
  got=$("$shared_install" "$bin_dir")
  [[ $got == "$bin_dir" ]] || die "$shared_install printed '$got', expected '$bin_dir'"
  add_path_dir "$bin_dir"
  [[ -n ${nomad:-} ]] || nomad=$bin_dir/nomad
  [[ -n ${fabio:-} ]] || fabio=$bin_dir/fabio
fi
v=$("$nomad" version </dev/null 2>&1) || die "'$nomad version' failed: $v"
log "nomad: $nomad ($(sed -n 1p <<<"$v"))"
v=$("$fabio" -v </dev/null 2>&1) || die "'$fabio -v' failed: $v"
log "fabio: $fabio ($(sed -n 1p <<<"$v"))"

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
# prometheus + promtool 2.24 (with consul_sd), unpacked, not installed
# ---------------------------------------------------------------------------------------------------------
prom_ok() {
  local b out
  for b in prometheus promtool; do
    [[ -x $tools_dir/$b ]] || return 1
    out=$("$tools_dir/$b" --version 2>&1 </dev/null) || return 1
    grep -q 'version 2\.24\.' <<<"$out" || return 1
  done
}

if [[ -n ${PROMETHEUS_BIN:-} || -n ${PROMTOOL_BIN:-} ]]; then
  # Given explicitly (e.g. upstream's release binaries in CI elsewhere): use them; the consul_sd check
  # below still has to pass.
  for b in prometheus promtool; do
    var=${b^^}_BIN
    [[ -x ${!var:-} && -f ${!var:-} ]] || die "set both PROMETHEUS_BIN and PROMTOOL_BIN to executables ($var=${!var:-})"
    ln -sfn "$(cd "$(dirname "${!var}")" && pwd)/$(basename "${!var}")" "$tools_dir/$b"
  done
elif ! prom_ok; then
  shopt -s nullglob
  debs=("$debs_dir"/prometheus_2.24.*.deb)
  if ((${#debs[@]} == 0)) || ! dpkg-deb --info "${debs[-1]}" >/dev/null 2>&1; then
    rm -f "$debs_dir"/prometheus_*.deb
    ensure_bullseye_suite
    log "apt-get download prometheus/bullseye into $debs_dir"
    dl_opts=(-o DPkg::Lock::Timeout=600)
    # The cache lives under $HOME, which apt's unprivileged _apt user cannot enter.
    ((EUID == 0)) && dl_opts+=(-o APT::Sandbox::User=root)
    $ci && dl_opts+=(-q)
    (cd "$debs_dir" && apt-get "${dl_opts[@]}" download prometheus/bullseye </dev/null) ||
      die "apt-get download prometheus/bullseye failed"
    debs=("$debs_dir"/prometheus_2.24.*.deb)
    ((${#debs[@]})) || die "apt-get download prometheus/bullseye did not produce $debs_dir/prometheus_2.24.*.deb"
  fi
  deb=${debs[-1]}
  log "unpacking prometheus and promtool from $(basename "$deb") into $tools_dir"
  x=$(mktemp -d)
  dpkg -x "$deb" "$x" || die "dpkg -x $deb failed"
  for b in prometheus promtool; do
    [[ -x $x/usr/bin/$b ]] || die "$deb has no usr/bin/$b"
    install -m 0755 "$x/usr/bin/$b" "$tools_dir/$b.tmp"
    mv -f "$tools_dir/$b.tmp" "$tools_dir/$b"
  done
  rm -rf "$x"
  prom_ok || die "$tools_dir/promtool or prometheus does not report version 2.24 ($("$tools_dir/promtool" --version 2>&1 | sed -n 1p))"
fi
log "promtool: $tools_dir/promtool ($("$tools_dir/promtool" --version 2>&1 | sed -n 1p))"
log "prometheus: $tools_dir/prometheus ($("$tools_dir/prometheus" --version 2>&1 | sed -n 1p))"

# The reason for this Prometheus: its promtool must accept Consul service discovery.
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

# The PATH fragment: the tools dir first, so it wins over a bookworm prometheus/promtool (no consul_sd).
fragment=$tools_dir
for d in "${path_dirs[@]}"; do [[ $d == "$tools_dir" ]] || fragment+=:$d; done
echo "$fragment" >&3
