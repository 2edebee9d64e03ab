#!/usr/bin/env bash
# Benchmark (not a test): what the node sandbox costs. The same topology (default: the 100-node
# bench/fabric-100.yaml) brought up and down by two builds of lab, "before" (a CLI without the
# sandbox, e.g. main's) and "after" (this one): wall time of `lab up` (to converged), the build time
# it reports, the summed RSS and the number of every process inside the lab's namespaces (FRR
# daemons, and after: each node's init and its unshare parent), and `lab down`. Needs root and FRR.
#
#   sudo bench/sandbox-cost.sh /work/main/bin/run.js                  # RUNS=1 by default
#   RUNS=3 sudo bench/sandbox-cost.sh /path/to/old/bin/run.js bench/fabric-40.yaml
# Lab names: $BENCH_PREFIX-sbx-before and -after (BENCH_PREFIX=bench by default).
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: bench/sandbox-cost.sh <bin/run.js of the build without the sandbox> [topology]}
topology=${2:-bench/fabric-100.yaml}
RUNS=${RUNS:-1}
export LAB_HOME=${LAB_HOME:-$(mktemp -d /tmp/lab-bench-XXXX)}
now_ms() { date +%s%3N; }
# Every process in the lab's namespaces: "count rss_kb".
lab_processes() {
  local inodes count=0 rss=0 pid link
  inodes=" $(stat -L -c 'net:[%i]' /run/netns/"lab_$1_"* | tr '\n' ' ') "
  for dir in /proc/[0-9]*; do
    link=$(readlink "$dir/ns/net" 2>/dev/null) || continue
    [[ $inodes == *" $link "* ]] || continue
    count=$((count + 1)); rss=$((rss + $(awk '/^VmRSS/ {print $2}' "$dir/status" 2>/dev/null || echo 0)))
  done
  echo "$count $rss"
}
printf '%-7s %4s  %9s %9s %9s %9s %9s\n' build run 'lab up' 'build' 'lab down' processes 'RSS MB'
for which in before after; do
  bin=$([ "$which" = before ] && echo "$before" || echo bin/run.js)
  name=${BENCH_PREFIX:-bench}-sbx-$which
  for run in $(seq 1 "$RUNS"); do
    node "$bin" down "$name" >/dev/null 2>&1 || true
    t0=$(now_ms)
    node "$bin" up "$topology" --name "$name" --json > "$LAB_HOME/up.json"
    t1=$(now_ms)
    read -r count rss < <(lab_processes "$name")
    build=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).buildMs)' "$LAB_HOME/up.json")
    t2=$(now_ms)
    node "$bin" down "$name" >/dev/null
    t3=$(now_ms)
    printf '%-7s %4s  %7.2f s %7.2f s %7.2f s %9s %9s\n' "$which" "$run" "$(echo "($t1-$t0)/1000" | bc -l)" "$(echo "$build/1000" | bc -l)" "$(echo "($t3-$t2)/1000" | bc -l)" "$count" "$((rss / 1024))"
  done
done
