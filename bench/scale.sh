#!/usr/bin/env bash
# Benchmark (not a test): fabrics of 6, 100, 200, 500 and 1,000 nodes, each `lab up` (wall) → converged
# → `lab verify` (default suite) → `lab down`, with the FRR daemons' memory (PSS: shared pages counted
# once) and the machine's (MemAvailable before up minus once converged), beside the shell floor
# (bench/baseline.sh: plain ip/sysctl/zebra/bgpd on the same rendered lab). One run per size.
#
#   sudo bench/scale.sh                       # every size
#   sudo bench/scale.sh 6 100                 # some sizes
#   VERIFY_MAX=200 BASELINE=0 sudo bench/scale.sh 1000
#
# VERIFY_MAX: largest lab verified (default 200; the default suite pings every pair of hosts, 376,000
# pairs at 1,000 nodes). BASELINE=0 skips the shell floor. PREFIX names the labs (default z12-scale).
# The machine is what it is: the load average is printed with every row.
set -euo pipefail
cd "$(dirname "$0")/.."
export LAB_HOME=${LAB_HOME:-$PWD/labs}
VERIFY_MAX=${VERIFY_MAX:-200}
BASELINE=${BASELINE:-1}
PREFIX=${PREFIX:-z12-scale}
command -v jq >/dev/null || { echo "bench/scale.sh needs jq: apt-get install jq" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(6 100 200 500 1000)
lab() { node bin/run.js "$@"; }
now_ms() { date +%s%3N; }
secs() { echo "scale=1; $1 / 1000" | bc -l | sed 's/^\./0./'; }
avail_mb() { awk '/^MemAvailable/ {print int($2 / 1024)}' /proc/meminfo; }
pss_mb() { local total=0; for pid in "$@"; do total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0))); done; echo $((total / 1024)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The fabric of each size: spines × leaves × hosts per leaf (+ the routers themselves).
topology() {
  case $1 in
    6) echo topologies/two-spine-two-leaf.yaml; return ;;
    100) set -- 4 24 3 ;;  200) set -- 8 48 3 ;;  500) set -- 8 124 3 ;;  1000) set -- 8 124 7 ;;  2000) set -- 16 248 7 ;;
    *) echo "no fabric of size $1 (6 100 200 500 1000 2000)" >&2; exit 2 ;;
  esac
  printf 'name: scale\nfabric: { spines: %s, leaves: %s, hosts_per_leaf: %s }\naddressing: { hosts: 10.128.0.0/12 }\n' "$@" > "$work/fabric-$1-$2-$3.yaml"
  echo "$work/fabric-$1-$2-$3.yaml"
}

printf '%6s %6s | %8s %8s %8s %8s | %8s %8s | %9s %9s %7s | %s\n' nodes routers 'lab up' converge verify down 'FRR PSS' machine 'floor up' converge down load
for size in "${sizes[@]}"; do
  file=$(topology "$size")
  name=$PREFIX-$size
  lab down "$name" >/dev/null 2>&1 || true
  before=$(avail_mb)
  t0=$(now_ms)
  lab up "$file" --name "$name" --timeout 600 --json > "$work/up.json"
  t1=$(now_ms)
  used=$((before - $(avail_mb)))
  routers=$(jq '[.nodes[] | select(.daemons | length > 0)] | length' "$LAB_HOME/$name/plan.json")
  frr=$(pss_mb $(lab status "$name" --json | jq -r '.nodes[].daemons[]?.pid'))
  verify=-
  if [ "$size" -le "$VERIFY_MAX" ]; then
    v0=$(now_ms)
    lab verify "$name" --json > "$work/verify.json" || echo "verify of $name failed: $(jq -r '[.checks[] | select(.status == "fail") | .name] | .[:5] | join(", ")' "$work/verify.json")" >&2
    verify="$(secs $(($(now_ms) - v0))) s"
  fi
  d0=$(now_ms)
  lab down "$name" >/dev/null
  down=$(($(now_ms) - d0))
  floor_up=- floor_converge=- floor_down=-
  if [ "$BASELINE" = 1 ]; then
    base=b$name
    lab render "$file" --name "$base" >/dev/null 2>&1
    bench/baseline.sh down "$base" >/dev/null 2>&1 || true
    b0=$(now_ms)
    read -r _build converge < <(bench/baseline.sh up "$base")
    b1=$(now_ms)
    bench/baseline.sh down "$base"
    b2=$(now_ms)
    floor_up="$(secs $((b1 - b0))) s" floor_converge="$(secs "$converge") s" floor_down="$(secs $((b2 - b1))) s"
    rm -rf "${LAB_HOME:?}/$base"
  fi
  printf '%6s %6s | %6s s %6s s %8s %6s s | %5s MB %5s MB | %9s %9s %7s | %s\n' "$size" "$routers" \
    "$(secs $((t1 - t0)))" "$(secs "$(jq -r .convergenceMs "$work/up.json")")" "$verify" "$(secs "$down")" "$frr" "$used" \
    "$floor_up" "$floor_converge" "$floor_down" "$(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "${LAB_HOME:?}/$name"
done
echo "lab up = whole command (node start, render, FRR config check, build, converge); converge = from build done to converged;"
echo "machine = MemAvailable before up minus after; floor = bench/baseline.sh on the same rendered lab."
