#!/usr/bin/env bash
# Benchmark (not a test): `lab up` of two builds of lab on the same fabrics, alternating run by run so
# both see the same machine load: wall time (the whole command), the build time and the convergence
# time it reports (medians of RUNS), and their ratio new/old. Each lab is taken down after its run.
#
#   sudo bench/up-compare.sh /path/to/old/bin/run.js            # 6 and 100 nodes, RUNS=3
#   RUNS=1 sudo bench/up-compare.sh /path/to/old/bin/run.js 1000
#
# An old build to compare with: git archive <commit> | tar -x -C /tmp/old && ln -s $PWD/node_modules
# /tmp/old/ && (cd /tmp/old && npm run build). PREFIX names the labs (default bench-cmp).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/up-compare.sh <old bin/run.js> [sizes…]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(6 100)
RUNS=${RUNS:-3}
PREFIX=${PREFIX:-bench-cmp}
export LAB_HOME=${LAB_HOME:-$(mktemp -d /tmp/lab-bench-XXXX)}
command -v jq >/dev/null || { echo "bench/up-compare.sh needs jq: apt-get install jq" >&2; exit 2; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topology() {
  case $1 in
    6) echo topologies/two-spine-two-leaf.yaml; return ;;
    100) set -- 4 24 3 ;;  200) set -- 8 48 3 ;;  500) set -- 8 124 3 ;;  1000) set -- 8 124 7 ;;  2000) set -- 16 248 7 ;;
    *) echo "no fabric of size $1 (6 100 200 500 1000 2000)" >&2; exit 2 ;;
  esac
  printf 'name: cmp\nfabric: { spines: %s, leaves: %s, hosts_per_leaf: %s }\naddressing: { hosts: 10.128.0.0/12 }\n' "$@" > "$work/fabric-$1-$2-$3.yaml"
  echo "$work/fabric-$1-$2-$3.yaml"
}
printf '%6s %4s | %9s %9s %9s | %9s %9s %9s | %6s %6s | %s\n' nodes runs 'old up' build converge 'new up' build converge 'up' build 'load (1 min) per run'
for size in "${sizes[@]}"; do
  file=$(topology "$size")
  : > "$work/loads"
  for which in old new; do : > "$work/$which.up"; : > "$work/$which.build"; : > "$work/$which.conv"; done
  for run in $(seq 1 "$RUNS"); do
    for which in old new; do
      bin=$([ "$which" = old ] && echo "$old" || echo bin/run.js)
      name=$PREFIX-$which-$size
      node "$bin" down "$name" >/dev/null 2>&1 || true
      cut -d' ' -f1 /proc/loadavg >> "$work/loads"
      t0=$(now_ms)
      node "$bin" up "$file" --name "$name" --timeout 600 --json > "$work/up.json"
      echo $(($(now_ms) - t0)) >> "$work/$which.up"
      jq -r .buildMs "$work/up.json" >> "$work/$which.build"
      jq -r .convergenceMs "$work/up.json" >> "$work/$which.conv"
      node "$bin" down "$name" >/dev/null
    done
  done
  s() { echo "scale=1; $1 / 1000" | bc -l | sed 's/^\./0./'; }
  ou=$(median < "$work/old.up") ob=$(median < "$work/old.build") oc=$(median < "$work/old.conv")
  nu=$(median < "$work/new.up") nb=$(median < "$work/new.build") nc=$(median < "$work/new.conv")
  printf '%6s %4s | %7s s %7s s %7s s | %7s s %7s s %7s s | %6s %6s | %s\n' "$size" "$RUNS" "$(s "$ou")" "$(s "$ob")" "$(s "$oc")" "$(s "$nu")" "$(s "$nb")" "$(s "$nc")" \
    "$(echo "scale=2; $nu / $ou" | bc -l | sed 's/^\./0./')" "$(echo "scale=2; $nb / $ob" | bc -l | sed 's/^\./0./')" "$(tr '\n' ' ' < "$work/loads")"
done
echo "up = wall time of lab up (Node start, render, FRR checks, build, converge); build and converge as lab up reports them;"
echo "ratios are new/old medians (below 1 = faster). Runs alternate old/new so both see the same load."
