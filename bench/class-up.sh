#!/usr/bin/env bash
# Benchmark (not a test): a class of N students on this machine. `lab class up <exercise>` (each lab
# up, converged and faulted), `lab class check` (the gradebook), `lab class down`; wall times and the
# machine's memory taken by the class (MemAvailable before and with the class up). The baseline, in
# the same run, is one student's `lab exercise start`, so the ratio says how well the class overlaps.
#
#   sudo bench/class-up.sh                   # 30 students, link-down, --parallel 4 (PARALLEL)
#   STUDENTS=10 PARALLEL=6 EXERCISE=wrong-asn sudo bench/class-up.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export LAB_HOME=${LAB_HOME:-$PWD/labs}
STUDENTS=${STUDENTS:-30}
PARALLEL=${PARALLEL:-4}
EXERCISE=${EXERCISE:-link-down}
lab() { node bin/run.js "$@"; }
now_ms() { date +%s%3N; }
avail_mb() { awk '/^MemAvailable/ {print int($2 / 1024)}' /proc/meminfo; }

dir=$(mktemp -d)
trap 'lab class down "$EXERCISE" >/dev/null 2>&1 || true; lab down b-one >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
for i in $(seq "$STUDENTS"); do echo "student$i"; done > "$dir/students.txt"

t0=$(now_ms); lab exercise start "$EXERCISE" --name b-one >/dev/null 2>&1; one=$(( $(now_ms) - t0 )); lab down b-one >/dev/null
before=$(avail_mb)
t0=$(now_ms); lab class up "$EXERCISE" --students "$dir/students.txt" --parallel "$PARALLEL" >/dev/null; up=$(( $(now_ms) - t0 ))
during=$(avail_mb)
frr_pss_mb() { for p in $(pgrep -u frr -f "/run/lab/student"); do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '{s += $1} END {print int(s / 1024)}'; }
pss_up=$(frr_pss_mb)
# KSM (turned on by lab up once 30+ lab nodes are on the machine) merges in the background: wait
# until the number of merged pages stops growing (at most 3 minutes).
merged=-1; waited=0
while [ -r /sys/kernel/mm/ksm/pages_sharing ] && [ "$waited" -lt 180 ]; do
  now=$(cat /sys/kernel/mm/ksm/pages_sharing); [ "$now" -le "$merged" ] && break
  merged=$now; sleep 10; waited=$((waited + 10))
done
settled=$(avail_mb); pss_settled=$(frr_pss_mb)
t0=$(now_ms); lab class check "$EXERCISE" --csv "$dir/grades.csv" >/dev/null || true; check=$(( $(now_ms) - t0 ))
t0=$(now_ms); lab class down "$EXERCISE" >/dev/null; down=$(( $(now_ms) - t0 ))
rows=$(( $(wc -l < "$dir/grades.csv") - 1 ))

printf 'class of %d (%s, --parallel %d) on %d cores\n' "$STUDENTS" "$EXERCISE" "$PARALLEL" "$(nproc)"
printf '  one student (exercise start)  %6.1f s   baseline\n' "$(echo "$one / 1000" | bc -l)"
printf '  class up, all faulted         %6.1f s   %.1f× one student, %.2f× %d students one after another\n' "$(echo "$up / 1000" | bc -l)" "$(echo "$up / $one" | bc -l)" "$(echo "$up / ($one * $STUDENTS)" | bc -l)" "$STUDENTS"
printf '  gradebook (%d rows)            %6.1f s\n' "$rows" "$(echo "$check / 1000" | bc -l)"
printf '  class down                    %6.1f s\n' "$(echo "$down / 1000" | bc -l)"
printf '  memory taken by the class     %6d MB (MemAvailable %d → %d MB) right after up; FRR daemons %d MB (PSS)\n' "$((before - during))" "$before" "$during" "$pss_up"
printf '  … once KSM has merged (%3d s)  %6d MB (MemAvailable %d MB); FRR daemons %d MB (PSS), %.2f× right after up\n' "$waited" "$((before - settled))" "$settled" "$pss_settled" "$(echo "$pss_settled / $pss_up" | bc -l)"
