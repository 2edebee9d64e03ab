#!/bin/sh
# lab-boot (in the box): runs once at boot (lab-apply.service), before networking and FRR. Unpacks
# the tarball `lab up --provider qemu` passed in through QEMU fw_cfg and runs the lab-apply.sh in
# it: the node's files and the script that installs them come together, from the lab that started
# the VM, so the box never has to be rebuilt when that script changes.
set -eu
raw=/sys/firmware/qemu_fw_cfg/by_name/opt/lab/config.tar/raw
modprobe qemu_fw_cfg 2>/dev/null || true
i=0
while [ ! -r "$raw" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -r "$raw" ]; then echo "lab-boot: no configuration in fw_cfg (not started by lab?): nothing applied" >&2; exit 0; fi
src=/run/lab/config
rm -rf "$src"; mkdir -p "$src"
tar -x -C "$src" -f "$raw"
exec sh "$src/lab-apply.sh" "$src"
