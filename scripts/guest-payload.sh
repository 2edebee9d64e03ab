#!/usr/bin/env bash
# A tarball of this checkout as `lab` runs it (the package's files, its production node_modules, and
# this machine's node binary), to unpack in a VM whose kernel runs the netns provider
# (test/e2e-vm/netns-in-vm.test.ts): `lab exec --lab L vm1 -- tar -C /opt -xzf - < OUT`.
# The guest is Debian 12 like this machine, so the same node binary runs there. Usage: guest-payload.sh OUT.tar.gz
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lab/bin-node"
cd "$here"
# The files `npm pack` would ship (package.json "files"), as built here.
npm pack --ignore-scripts --dry-run --json 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const f of JSON.parse(s)[0].files)console.log(f.path)})' |
  tar -C "$here" -cf - -T - | tar -C "$stage/lab" -xf -
cp package-lock.json "$stage/lab/"
# The throughput bench, to measure inside the VM (docs/containers.md).
mkdir -p "$stage/lab/bench" && cp bench/container-throughput.sh "$stage/lab/bench/"
# Production dependencies only, from npm's cache (npm ci here filled it): no network.
(cd "$stage/lab" && npm ci --omit=dev --offline --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
cp "$(readlink -f "$(command -v node)")" "$stage/lab/bin-node/node"
tar -C "$stage" -czf "$out" lab
