#!/bin/bash
# Rendered by lab for spine1 (spine) in lab bond-trunk.
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
rename_port 02:4c:41:00:00:0a swp1

# Cumulus Linux and lab's box ship ifupdown2 and FRR; another Debian/Ubuntu switch VM gets them here.
if [ ! -e /etc/cumulus ] && ! { command -v ifreload && command -v vtysh; } >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq ifupdown2 frr
fi
install -m 0644 "$src/interfaces" /etc/network/interfaces
ifreload -a
sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
printf 'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1\n' > /etc/sysctl.d/90-lab.conf
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
echo "lab: spine1 provisioned"
