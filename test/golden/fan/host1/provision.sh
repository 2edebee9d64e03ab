#!/bin/bash
# Rendered by lab for host1 (host) in lab fan.
# Vagrant copies this node's directory to /tmp/lab and runs this script as root.
set -euo pipefail
src=/tmp/lab

# Ports come up as ethN; rename each to its planned name by MAC, and keep the names across reboots.
install -m 0644 "$src/udev.rules" /etc/udev/rules.d/70-lab-ports.rules
rename_port() {
  local mac="$1" name="$2" current
  current=$(ip -o link show | awk -v mac="$mac" '{ for (i = 1; i < NF; i++) if ($i == "link/ether" && $(i + 1) == mac) { sub(/:$/, "", $2); sub(/@.*/, "", $2); print $2 } }')
  if [ -n "$current" ] && [ "$current" != "$name" ]; then
    ip link set dev "$current" down
    ip link set dev "$current" name "$name"
  fi
}
rename_port 02:4c:41:00:00:02 eth1

install -m 0600 "$src/netplan.yaml" /etc/netplan/60-lab.yaml
netplan apply
echo "lab: host1 provisioned"
