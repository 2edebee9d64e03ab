#!/bin/sh
# lab-apply.sh: shipped in each node's fw_cfg tarball and run by the box's lab-boot at boot, before
# networking and FRR, with the unpacked tarball's directory as $1. Names the ports by MAC as
# planned, and installs the rendered configuration: ifupdown2 `interfaces` (switches) or
# `netplan.yaml` (hosts), `frr.conf` + `daemons`, the hostname and the node's sysctls.
set -eu
log() { echo "lab-apply: $*" >&2; }
src=$1
. "$src/qemu.env"
[ "${LAB_TRACE:-0}" = 1 ] && set -x

# Hostname.
echo "$LAB_HOSTNAME" > /etc/hostname
hostname "$LAB_HOSTNAME"
sed -i '/^127\.0\.1\.1[[:space:]]/d' /etc/hosts
printf '127.0.1.1\t%s\n' "$LAB_HOSTNAME" >> /etc/hosts

# Ports: every NIC renamed by MAC (the management NIC to eth0); first to temporary names so that
# planned names that are also kernel names (eth1) never collide.
# Found through /sys with shell builtins only: under TCG every fork costs.
mac_name=
find_mac() {
  mac_name=
  for dev in /sys/class/net/*; do
    [ -r "$dev/address" ] || continue
    read -r address < "$dev/address"
    if [ "$address" = "$1" ]; then mac_name=${dev##*/}; return 0; fi
  done
  return 1
}
n=0
for pair in $LAB_PORTS; do
  mac=${pair%%=*}
  w=0
  until find_mac "$mac" || [ "$w" -ge 100 ]; do sleep 0.1; w=$((w + 1)); done
  [ -n "$mac_name" ] || { log "no NIC with MAC $mac"; exit 1; }
  # NICs are still down this early (nothing has brought them up); down first only if renaming fails.
  ip link set dev "$mac_name" name "labtmp$n" 2>/dev/null || { ip link set dev "$mac_name" down && ip link set dev "$mac_name" name "labtmp$n"; }
  n=$((n + 1))
done
n=0
for pair in $LAB_PORTS; do
  ip link set dev "labtmp$n" name "${pair#*=}"
  n=$((n + 1))
done
[ -f "$src/udev.rules" ] && install -m 0644 "$src/udev.rules" /etc/udev/rules.d/70-lab-ports.rules

# Kernel settings (the same as the netns provider sets per node).
# shellcheck disable=SC2086 # one word per setting
sysctl -q -w $LAB_SYSCTLS >/dev/null || log "some sysctls failed: $LAB_SYSCTLS"

# Management NIC (eth0, as on Vagrant boxes): SLIRP's guest address, set here at once, and kept out
# of ifupdown2's hands (the rendered file asks for DHCP on eth0, and ifupdown2 would first purge
# this address; SLIRP with restrict=on has nothing beyond SSH to offer anyway).
ip link set dev eth0 up
ip address add 10.0.2.15/24 dev eth0 2>/dev/null || true
sed -i 's/^EXCLUDE_INTERFACES=.*/EXCLUDE_INTERFACES="eth0"/' /etc/default/networking

# Interfaces: the rendered file, with the tool it was rendered for.
if [ -f "$src/interfaces" ]; then
  install -m 0644 "$src/interfaces" /etc/network/interfaces
  rm -f /run/lab/no-ifupdown2
elif [ -f "$src/netplan.yaml" ]; then
  install -m 0600 "$src/netplan.yaml" /etc/netplan/60-lab.yaml
  netplan generate
  mkdir -p /run/lab
  touch /run/lab/no-ifupdown2
fi

# FRR: the rendered frr.conf and daemons; watchfrr given time under TCG (see the box recipe).
mkdir -p /run/lab
if [ -f "$src/frr.conf" ]; then
  install -o frr -g frr -m 0640 "$src/frr.conf" /etc/frr/frr.conf
  install -o frr -g frr -m 0640 "$src/daemons" /etc/frr/daemons
  # watchfrr's 20 s default restart timeout kills a slow bgpd under CPU overcommit (TCG).
  printf 'watchfrr_options="-t 300 -T 300"\n' >> /etc/frr/daemons
  # Every daemon reads frr.conf itself at start, as the netns provider starts them. With only
  # Debian's integrated `vtysh -b` after start, bgpd registers `redistribute connected route-map X`
  # before X exists, and with `bgp route-map delay-timer 0` (rendered) FRR never re-runs it: the
  # node's own prefixes were not announced (seen on host2).
  for daemon in zebra $(sed -n 's/^\([a-z0-9]*\)=yes$/\1/p' /etc/frr/daemons); do
    printf '%s_options="$%s_options -f /etc/frr/frr.conf"\n' "$daemon" "$daemon" >> /etc/frr/daemons
  done
  rm -f /run/lab/no-frr
else
  touch /run/lab/no-frr
fi
log "applied configuration of $LAB_HOSTNAME"
