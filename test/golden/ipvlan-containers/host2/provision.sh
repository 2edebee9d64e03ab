#!/bin/bash
# Rendered by lab for host2 (host) in lab ipvlan-containers.
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
rename_port 02:4c:41:00:00:08 eth1

install -m 0600 "$src/netplan.yaml" /etc/netplan/60-lab.yaml
netplan apply
if ! command -v vtysh >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq frr
fi
install -o frr -g frr -m 0640 "$src/frr.conf" /etc/frr/frr.conf
install -o frr -g frr -m 0640 "$src/daemons" /etc/frr/daemons
# VMs without KVM share cores: watchfrr's 20 s default restart timeout would kill a daemon still
# starting, and with it the loading of frr.conf.
printf 'watchfrr_options="-t 300 -T 300"\n' >> /etc/frr/daemons
# Each daemon reads frr.conf itself at start, so a route-map exists before bgpd's redistribute uses it.
printf '%s\n' 'zebra_options="$zebra_options -f /etc/frr/frr.conf"' >> /etc/frr/daemons
printf '%s\n' 'bgpd_options="$bgpd_options -f /etc/frr/frr.conf"' >> /etc/frr/daemons
systemctl enable frr
systemctl restart frr
echo "lab: host2 provisioned"
