#!/usr/bin/env bash
# Benchmark (not a test): the same topology up to converged under the qemu provider (one VM per
# node, TCG where KVM does not work), under the vagrant provider (vagrant-libvirt) and under netns,
# in one run: wall time of `lab up` (to converged), and memory (summed RSS of the QEMU processes; of
# the FRR daemons for netns), with the ratios to netns. Needs root, QEMU and the box (`lab box
# build`, built first if missing); the vagrant leg needs vagrant-libvirt (VAGRANT=0 leaves it out).
#
#   sudo bench/vm-up.sh                          # two-spine-two-leaf (6 VMs), RUNS=1
#   RUNS=3 sudo bench/vm-up.sh two-spine-two-leaf
#   NETNS=0 sudo bench/vm-up.sh                  # no netns leg (e.g. while another lab uses netns)
#   VAGRANT=0 sudo bench/vm-up.sh                # no vagrant-libvirt leg
#   PREFIX=v8b sudo bench/vm-up.sh               # lab names <prefix>-qemu, -vagrant, -netns
set -euo pipefail
cd "$(dirname "$0")/.."
export LAB_HOME=${LAB_HOME:-$PWD/labs}
RUNS=${RUNS:-1}
NETNS=${NETNS:-1}
VAGRANT=${VAGRANT:-1}
PREFIX=${PREFIX:-bvm}
topology=${1:-two-spine-two-leaf}
command -v jq >/dev/null || { echo "bench/vm-up.sh needs jq: apt-get install jq" >&2; exit 2; }
lab() { node bin/run.js "$@"; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
rss_kb() { local total=0; for pid in "$@"; do total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0))); done; echo $total; }

results=$(mktemp -d)
vm=$PREFIX-qemu
vg=$PREFIX-vagrant
ns=$PREFIX-netns
cleanup() {
  lab down "$vm" >/dev/null 2>&1 || true
  [ "$VAGRANT" = 0 ] || lab down "$vg" >/dev/null 2>&1 || true
  [ "$NETNS" = 0 ] || lab down "$ns" >/dev/null 2>&1 || true
  rm -rf "$results"
}
trap cleanup EXIT

t0=$(now_ms)
lab box build $([ "$VAGRANT" = 0 ] || echo --provider vagrant) >&2
echo "box: $(( ($(now_ms) - t0) / 1000 )) s ($(jq -r '"recipe \(.recipe), root.qcow2 \(.files["root.qcow2"].bytes / 1e6 | floor) MB, built in \(.buildMs / 1000 | floor) s"' "${LAB_BOX_DIR:-/var/cache/lab/boxes/debian12-frr}/manifest.json"))"

for run in $(seq 1 "$RUNS"); do
  lab down "$vm" >/dev/null 2>&1 || true
  t0=$(now_ms)
  lab up "$topology" --provider qemu --name "$vm" --timeout 300 --json > "$results/vm.json"
  t1=$(now_ms)
  echo $((t1 - t0)) >> "$results/vm-up"
  jq -r '.buildMs' "$results/vm.json" >> "$results/vm-ssh"
  jq -r '.convergenceMs' "$results/vm.json" >> "$results/vm-converge"
  rss_kb $(jq -r '.vms[].pid' "$LAB_HOME/$vm/state.json") >> "$results/vm-rss"
  jq -r '.vms | length' "$LAB_HOME/$vm/state.json" > "$results/vm-count"
  lab down "$vm" >/dev/null

  if [ "$VAGRANT" != 0 ]; then
    lab down "$vg" >/dev/null 2>&1 || true
    t0=$(now_ms)
    lab up "$topology" --provider vagrant --name "$vg" --timeout 300 --json > "$results/vg.json"
    t1=$(now_ms)
    echo $((t1 - t0)) >> "$results/vg-up"
    jq -r '.buildMs' "$results/vg.json" >> "$results/vg-ssh"
    jq -r '.convergenceMs' "$results/vg.json" >> "$results/vg-converge"
    rss_kb $(pgrep -f "qemu-system.*guest=${vg}_") >> "$results/vg-rss"
    pgrep -fc "qemu-system.*guest=${vg}_" > "$results/vg-count"
    lab down "$vg" >/dev/null
  fi

  if [ "$NETNS" != 0 ]; then
    lab down "$ns" >/dev/null 2>&1 || true
    t0=$(now_ms)
    lab up "$topology" --name "$ns" --json > "$results/ns.json"
    t1=$(now_ms)
    echo $((t1 - t0)) >> "$results/ns-up"
    rss_kb $(lab status "$ns" --json | jq -r '.nodes[].daemons[].pid') >> "$results/ns-rss"
    lab down "$ns" >/dev/null
  fi
done

vu=$(median < "$results/vm-up")
vr=$(median < "$results/vm-rss")
printf '%-20s %-8s %4s  %10s %10s %10s  %10s\n' topology provider runs 'up+conv' 'ssh up' converge memory
printf '%-20s %-8s %4s  %8.1f s %8.1f s %8.1f s  %7d MB  (%s QEMU processes)\n' "$topology" qemu "$RUNS" \
  "$(echo "$vu / 1000" | bc -l)" "$(echo "$(median < "$results/vm-ssh") / 1000" | bc -l)" "$(echo "$(median < "$results/vm-converge") / 1000" | bc -l)" "$((vr / 1024))" "$(cat "$results/vm-count")"
if [ "$VAGRANT" != 0 ]; then
  gu=$(median < "$results/vg-up")
  gr=$(median < "$results/vg-rss")
  printf '%-20s %-8s %4s  %8.1f s %8.1f s %8.1f s  %7d MB  (%s QEMU processes under libvirt)\n' "$topology" vagrant "$RUNS" \
    "$(echo "$gu / 1000" | bc -l)" "$(echo "$(median < "$results/vg-ssh") / 1000" | bc -l)" "$(echo "$(median < "$results/vg-converge") / 1000" | bc -l)" "$((gr / 1024))" "$(cat "$results/vg-count")"
fi
if [ "$NETNS" != 0 ]; then
  nu=$(median < "$results/ns-up")
  nr=$(median < "$results/ns-rss")
  printf '%-20s %-8s %4s  %8.1f s %10s %10s  %7d MB  (FRR daemons)\n' "$topology" netns "$RUNS" "$(echo "$nu / 1000" | bc -l)" - - "$((nr / 1024))"
  printf 'qemu / netns: %.0fx the time, %.0fx the memory\n' "$(echo "$vu / $nu" | bc -l)" "$(echo "$vr / ($nr + 1)" | bc -l)"
  [ "$VAGRANT" = 0 ] || printf 'vagrant / netns: %.0fx the time, %.0fx the memory\n' "$(echo "$gu / $nu" | bc -l)" "$(echo "$gr / ($nr + 1)" | bc -l)"
fi
