#!/usr/bin/env bash
# Benchmark (not a test): `lab up` → converged → `lab down`, beside the plain-shell floor (bench/baseline.sh),
# for two-spine-two-leaf and the 40-node bench/fabric-40.yaml. Prints wall times (median of RUNS) and the
# summed RSS of the FRR daemons once converged. Needs root and FRR, like the netns provider.
#
#   sudo bench/netns-up.sh                 # RUNS=3 by default
#   RUNS=5 sudo bench/netns-up.sh two-spine-two-leaf
set -euo pipefail
cd "$(dirname "$0")/.."
export LAB_HOME=${LAB_HOME:-$PWD/labs}
RUNS=${RUNS:-3}
command -v jq >/dev/null || { echo "bench/baseline.sh needs jq: apt-get install jq" >&2; exit 2; }
topologies=("$@")
[ ${#topologies[@]} -gt 0 ] || topologies=(two-spine-two-leaf bench/fabric-40.yaml)
lab() { node bin/run.js "$@"; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
rss_kb() { local total=0; for pid in "$@"; do total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0))); done; echo $total; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
printf '%-22s %4s  %9s %9s %9s %9s  %9s %9s %9s %9s  %6s\n' topology runs 'lab up' converge 'lab down' 'FRR RSS' 'base up' converge 'base down' 'FRR RSS' ratio
for topology in "${topologies[@]}"; do
  short=$(basename "$topology" .yaml | cut -c1-20)
  tag=$(echo "$short" | cut -c1-18)
  name=b-$tag
  base=bb-$tag
  lab down "$name" >/dev/null 2>&1 || true
  bench/baseline.sh down "$base" >/dev/null 2>&1 || true
  lab render "$topology" --name "$base" >/dev/null
  for run in $(seq 1 "$RUNS"); do
    # lab: wall time of the whole command (node start, render, FRR config check, build, converge)
    t0=$(now_ms)
    lab up "$topology" --name "$name" --json > "$results/up.json"
    t1=$(now_ms)
    jq -r '.convergenceMs' "$results/up.json" >> "$results/lab-converge"
    rss_kb $(lab status "$name" --json | jq -r '.nodes[].daemons[].pid') >> "$results/lab-rss"
    t2=$(now_ms)
    lab down "$name" >/dev/null
    t3=$(now_ms)
    echo $((t1 - t0)) >> "$results/lab-up"
    echo $((t3 - t2)) >> "$results/lab-down"

    # baseline: plain ip/sysctl/zebra/bgpd on the same rendered lab
    t0=$(now_ms)
    read -r _build converge < <(bench/baseline.sh up "$base")
    t1=$(now_ms)
    echo "$converge" >> "$results/base-converge"
    rss_kb $(cat /run/lab-baseline/"$base"/*/*.pid) >> "$results/base-rss"
    t2=$(now_ms)
    bench/baseline.sh down "$base"
    t3=$(now_ms)
    echo $((t1 - t0)) >> "$results/base-up"
    echo $((t3 - t2)) >> "$results/base-down"
  done
  lu=$(median < "$results/lab-up"); bu=$(median < "$results/base-up")
  printf '%-22s %4s  %7.2f s %7.2f s %7.2f s %6d MB  %7.2f s %7.2f s %7.2f s %6d MB  %5.2fx\n' "$short" "$RUNS" \
    "$(echo "$lu / 1000" | bc -l)" "$(echo "$(median < "$results/lab-converge") / 1000" | bc -l)" "$(echo "$(median < "$results/lab-down") / 1000" | bc -l)" \
    "$(( $(median < "$results/lab-rss") / 1024 ))" \
    "$(echo "$bu / 1000" | bc -l)" "$(echo "$(median < "$results/base-converge") / 1000" | bc -l)" "$(echo "$(median < "$results/base-down") / 1000" | bc -l)" \
    "$(( $(median < "$results/base-rss") / 1024 ))" "$(echo "$lu / $bu" | bc -l)"
  rm -f "$results"/*
  rm -rf "${LAB_HOME:?}/$base" "${LAB_HOME:?}/$name"
done
echo "lab up = whole command (node start, render, FRR config check, build, converge); converge = from build done to converged."
echo "base = bench/baseline.sh (plain ip/sysctl/zebra/bgpd, no UTS namespaces, no state, no config check). Medians of $RUNS runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
