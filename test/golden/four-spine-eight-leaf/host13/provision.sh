#!/bin/bash
# Rendered by lab for host13 (host) in lab four-spine-eight-leaf.
# Vagrant copies this node's directory to /tmp/lab and runs this script as root.
set -euo pipefail
src=/tmp/lab

# Ports come up as ethN; rename each to its planned name by MAC, and keep the names across reboots.
install -m 0644 "$src/udev.rules" /etc/udev/rules.d/70-lab-ports.rules
rename_port() {
  local mac="$1" name="$2" nic current=
  # NICs only: a bond made by an earlier run carries its first port's MAC too.
  for nic in /sys/class/net/*/device; do
    nic=${nic%/device}
    if [ "$(cat "$nic/address")" = "$mac" ]; then current=${nic##*/}; fi
  done
  if [ -n "$current" ] && [ "$current" != "$name" ]; then
    ip link set dev "$current" down
    ip link set dev "$current" name "$name"
  fi
}
rename_port 02:4c:41:00:00:4a eth1

install -m 0600 "$src/netplan.yaml" /etc/netplan/60-lab.yaml
netplan apply
echo "lab: host13 provisioned"
