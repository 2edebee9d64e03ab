#!/usr/bin/env bash
# iperf3 container to container against host to host on the same lab, alternating, through `lab flow`
# (one TCP stream each). Usage: bench/container-throughput.sh <lab> <host-from> <host-to> <ctr-from> <ctr-to> [rounds] [seconds]
# e.g. lab up bridged-containers --name br && bench/container-throughput.sh br host2 host1 host2-c1 host1-c1 5 5
# The Fan and IPVLAN in VMs: lab up test/fixtures/vm/containers-vm.yaml --name vmc --provider qemu, then
#   bench/container-throughput.sh vmc host3 host2 host3-c1 host2-c1 5 5   (Fan container to container)
#   bench/container-throughput.sh vmc host2 host1 host2 host1-c1 5 5      (host to IPVLAN container)
set -euo pipefail
lab=$1 hf=$2 ht=$3 cf=$4 ct=$5 rounds=${6:-5} seconds=${7:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
# A flow whose counters could not be read (an SSH timeout on a loaded VM lab) is run again, up to 3 times.
gbps() {
  local out
  for _ in 1 2 3; do
    out=$(node "$here/bin/run.js" flow --lab "$lab" "$1" "$2" --seconds "$seconds" --json || true)
    if printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(!j.bitsPerSecond)process.exit(1);console.log((j.bitsPerSecond/1e9).toFixed(3))})'; then return; fi
    echo "lab flow $1 $2: $(printf '%s' "$out" | tr -d '\n' | cut -c1-200); again" >&2
  done
  return 1
}
hosts=() ctrs=()
for _ in $(seq "$rounds"); do hosts+=("$(gbps "$hf" "$ht")"); ctrs+=("$(gbps "$cf" "$ct")"); done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
h=$(median "${hosts[@]}") c=$(median "${ctrs[@]}")
echo "host to host      $hf -> $ht: ${hosts[*]} Gbit/s (median $h)"
echo "container to ctr  $cf -> $ct: ${ctrs[*]} Gbit/s (median $c)"
echo "ratio container/host: $(awk -v c="$c" -v h="$h" 'BEGIN {printf "%.2f", c/h}')"
