#!/usr/bin/env bash
# The floor for `lab up`: the same lab built with plain ip, sysctl, zebra and bgpd invocations.
# It reads labs/<lab>/plan.json (rendered by `lab render`) with jq only for the list of things to
# create, batches `ip` like lab does, starts the same daemons with the same rendered frr.conf, and
# waits (polling vtysh, no fixed sleep) until every planned session is Established and every router
# has a route for every other AS's loopback. No UTS namespaces, no state file, no config check.
#
#   bench/baseline.sh up <lab>      build, wait, print "build_ms converge_ms"
#   bench/baseline.sh down <lab>    kill the daemons by pid file, delete the namespaces
set -euo pipefail
action=$1 lab=$2
dir=${LAB_HOME:-labs}/$lab
plan=$dir/plan.json
run=/run/lab-baseline/$lab
ns() { echo "bl_${lab}_$1"; }
now_ms() { date +%s%3N; }

down() {
  for pidfile in "$run"/*/*.pid; do
    [ -e "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$run"/*/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.01; done
  done
  ip netns list | awk '{print $1}' | grep "^bl_${lab}_" | sed 's/^/netns delete /' | ip -force -batch - 2>/dev/null || true
  rm -rf "$run"
}

up() {
  local t0 t1 t2
  t0=$(now_ms)
  mkdir -p "$run"
  # The list of things to create, from plan.json in one jq pass: "<file>\t<line>" split by awk.
  jq -r --arg p "bl_${lab}_" '
    (.nodes[] | "root.batch\tnetns add \($p)\(.name)"),
    (.mtu as $mtu | .links[] | "root.batch\tlink add name \(.a.port) address \(.a.mac) mtu \($mtu) netns \($p)\(.a.node) type veth peer name \(.b.port) address \(.b.mac) mtu \($mtu) netns \($p)\(.b.node)"),
    (.nodes[] | . as $n | "nodes\t\(.name) \(.daemons | length)",
      "\(.name).sysctl\tnet.ipv6.conf.all.accept_dad=0", "\(.name).sysctl\tnet.ipv6.conf.default.accept_dad=0",
      (.interfaces[] | "\($n.name).sysctl\tnet.ipv6.conf.\(.name).accept_dad=0"),
      "\(.name).sysctl\tnet.ipv4.ip_forward=\(if .forwarding then 1 else 0 end)",
      "\(.name).sysctl\tnet.ipv6.conf.all.forwarding=\(if .forwarding then 1 else 0 end)",
      "\(.name).batch\tlink set dev lo up",
      (if .loopback then "\(.name).batch\taddress add \(.loopback) dev lo" else empty end),
      (.interfaces[] | (if .ipv4 then "\($n.name).batch\taddress add \(.ipv4) dev \(.name)" else empty end), "\($n.name).batch\tlink set dev \(.name) up"),
      (if .gateway then "\(.name).batch\troute add default via \(.gateway.address) dev \(.gateway.interface)" else empty end)),
    (.nodes as $all | .nodes[] | select(.bgp) | . as $r |
      "routers\t\(.name) \(.bgp.neighbors | length)",
      ($all[] | select(.bgp and .bgp.asn != $r.bgp.asn) | "\($r.name).loopbacks\t\(.loopback)"))
  ' "$plan" | awk -F '\t' -v run="$run" '{ print $2 > (run "/" $1) }'
  ip -batch - < "$run/root.batch"

  node_up() {
    local node=$1 daemons=$2 n r
    n=$(ns "$node")
    ip netns exec "$n" sysctl -q -w $(cat "$run/$node.sysctl")
    ip -n "$n" -batch - < "$run/$node.batch"
    if [ "$daemons" -gt 0 ]; then
      r=$run/$node
      mkdir -p "$r" && chown frr:frr "$r"
      for d in zebra bgpd; do
        ip netns exec "$n" /usr/lib/frr/$d -d -u frr -g frr -A 127.0.0.1 -P 0 --limit-fds 1024 -i "$r/$d.pid" -z "$r/zserv.api" \
          --vty_socket "$r" --log "file:$r/$d.log" -f "$dir/$node/frr.conf" 2>/dev/null
      done
    fi
  }
  while read -r node daemons; do node_up "$node" "$daemons" & done < "$run/nodes"
  wait
  t1=$(now_ms)

  # Wait until converged: every session Established, an installed route to every other AS's loopback.
  local pending
  pending=$(awk '{print $1 ":" $2}' "$run/routers")
  while [ -n "$pending" ]; do
    local still=""
    for entry in $pending; do
      local node=${entry%%:*} want=${entry##*:} got routes
      got=$(ip netns exec "$(ns "$node")" vtysh --vty_socket "$run/$node" -d bgpd -c 'show bgp summary json' 2>/dev/null |
        jq '[.ipv4Unicast.peers[] | select(.state == "Established")] | length' 2>/dev/null || echo 0)
      if [ "$got" = "$want" ]; then
        routes=$(ip netns exec "$(ns "$node")" vtysh --vty_socket "$run/$node" -d zebra -c 'show ip route json' 2>/dev/null |
          jq -r 'to_entries[] | select(.value[0].protocol == "bgp" and .value[0].installed) | .key' | grep -c -F -x -f "$run/$node.loopbacks" || true)
        [ "$routes" = "$(wc -l < "$run/$node.loopbacks")" ] && continue
      fi
      still="$still $entry"
    done
    pending=$still
  done
  t2=$(now_ms)
  echo "$((t1 - t0)) $((t2 - t1))"
}

case $action in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down <lab>" >&2; exit 2 ;;
esac
