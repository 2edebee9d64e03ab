#!/bin/sh
# lab-apply.sh: shipped in each node's fw_cfg tarball and run by the box's lab-boot at boot, before
# networking and FRR, with the unpacked tarball's directory as $1. Names the ports by MAC as
# planned, and installs the rendered configuration: ifupdown2 `interfaces` (switches) or
# `netplan.yaml` (hosts), `frr.conf` + `daemons`, the hostname and the node's sysctls.
# Under TCG with several VMs per core every new process costs seconds: shell builtins wherever
# they do, one `ip -batch` for every link change.
set -eu
log() { echo "lab-apply: $*" >&2; }
src=$1
. "$src/qemu.env"
[ "${LAB_TRACE:-0}" = 1 ] && set -x

# Hostname.
echo "$LAB_HOSTNAME" > /etc/hostname
echo "$LAB_HOSTNAME" > /proc/sys/kernel/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$LAB_HOSTNAME" > /etc/hosts

# Ports: every NIC renamed by MAC (the management NIC to eth0), first to temporary names so that
# planned names that are also kernel names (eth1) never collide. The NICs are still down this early.
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
batch=
n=0
for pair in $LAB_PORTS; do
  mac=${pair%%=*}
  w=0
  until find_mac "$mac" || [ "$w" -ge 100 ]; do sleep 0.1; w=$((w + 1)); done
  [ -n "$mac_name" ] || { log "no NIC with MAC $mac"; exit 1; }
  batch="${batch}link set dev $mac_name name labtmp$n
"
  n=$((n + 1))
done
n=0
for pair in $LAB_PORTS; do
  batch="${batch}link set dev labtmp$n name ${pair#*=}
"
  n=$((n + 1))
done
# Management NIC (eth0, as on Vagrant boxes): SLIRP's guest address, set here at once.
batch="${batch}link set dev eth0 up
address add 10.0.2.15/24 dev eth0
"
printf '%s' "$batch" | ip -batch -

# Kernel settings (the same as the netns provider sets per node), in one process.
# shellcheck disable=SC2086 # one word per setting
sysctl -q -w $LAB_SYSCTLS >/dev/null || log "some sysctls failed: $LAB_SYSCTLS"

# Interfaces: the rendered file, with the tool it was rendered for. ifupdown2 leaves eth0 alone
# (the rendered file asks for DHCP on it, and ifupdown2 would first purge the address set above).
if [ -f "$src/interfaces" ]; then
  printf 'VERBOSE="no"\nDEBUG="no"\nSYSLOG="no"\nEXCLUDE_INTERFACES="eth0"\nSKIP_DOWN_AT_SYSRESET="yes"\n' > /etc/default/networking
  install -m 0644 "$src/interfaces" /etc/network/interfaces
elif [ -f "$src/netplan.yaml" ]; then
  install -m 0600 "$src/netplan.yaml" /etc/netplan/60-lab.yaml
  # netplan's own generator (C) writes the systemd-networkd files; `netplan generate` is a Python
  # wrapper around it that costs seconds under TCG.
  if [ -x /usr/libexec/netplan/generate ]; then /usr/libexec/netplan/generate; else netplan generate; fi
  # ifupdown2 has nothing to do on this node (the box's networking.service drop-in checks this).
  : > /run/lab/no-ifupdown2
  # What netplan 0.106 cannot say (macvlans, docs/linux-links.md): systemd-networkd files, and a
  # drop-in `networkd-<port>.conf` naming them in netplan's own .network for that port.
  for file in "$src"/networkd-*; do
    [ -e "$file" ] || continue
    name=${file##*/networkd-}
    case $name in
      *.conf) mkdir -p "/etc/systemd/network/10-netplan-${name%.conf}.network.d"; install -m 0644 "$file" "/etc/systemd/network/10-netplan-${name%.conf}.network.d/lab-links.conf" ;;
      *) install -m 0644 "$file" "/etc/systemd/network/$name" ;;
    esac
  done
fi

# FRR: the rendered frr.conf and daemons.
if [ -f "$src/frr.conf" ]; then
  install -o frr -g frr -m 0640 "$src/frr.conf" /etc/frr/frr.conf
  install -o frr -g frr -m 0640 "$src/daemons" /etc/frr/daemons
  # watchfrr's 20 s default restart timeout kills a slow bgpd under CPU overcommit (TCG).
  printf 'watchfrr_options="-t 300 -T 300"\n' >> /etc/frr/daemons
  # Every daemon reads frr.conf itself at start, as the netns provider starts them. With only
  # Debian's integrated `vtysh -b` after start, bgpd registers `redistribute connected route-map X`
  # before X exists, and with `bgp route-map delay-timer 0` (rendered) FRR never re-runs it: the
  # node's own prefixes were not announced (seen on host2).
  daemons=zebra
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      *=yes) name=${line%%=*}; case $name in '' | *[!a-z0-9]*) ;; *) daemons="$daemons $name" ;; esac ;;
    esac
  done < "$src/daemons"
  for daemon in $daemons; do
    printf '%s_options="$%s_options -f /etc/frr/frr.conf"\n' "$daemon" "$daemon" >> /etc/frr/daemons
  done
else
  # The box's frr.service drop-in checks this.
  : > /run/lab/no-frr
fi
log "applied configuration of $LAB_HOSTNAME"
