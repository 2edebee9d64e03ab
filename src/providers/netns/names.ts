// Where a netns lab lives on the machine: namespace names and per-node run paths.
import path from 'node:path'

/**
 * Namespace of a node: `lab_<lab>_<node>`. Lab and node names match [a-z][a-z0-9-]* (no '_'), so the
 * name splits back unambiguously and the prefix `lab_<lab>_` finds every namespace of one lab and of
 * no other lab (`lab_a_` never matches lab `a-b`'s `lab_a-b_…`). Nothing else on the machine is ours.
 */
const NETNS_PATTERN = /^lab_([a-z][a-z0-9-]*)_([a-z][a-z0-9-]*)$/

export function netnsName(lab: string, node: string): string {
  return `lab_${lab}_${node}`
}

export function parseNetnsName(name: string): {lab: string; node: string} | undefined {
  const match = NETNS_PATTERN.exec(name)
  return match ? {lab: match[1], node: match[2]} : undefined
}

export function netnsPath(namespace: string): string {
  return path.join('/run/netns', namespace)
}

/**
 * Everything a running node owns sits in labs/<lab>/run/<node>/: the bind-mounted UTS namespace
 * (`uts`), each daemon's pid file, vty socket and log, zebra's zserv socket, and the vtysh.conf and
 * frr.conf that `vtysh` (via `lab exec`) reads and writes. No daemon uses FRR's default paths, so a
 * plain `vtysh` on the machine reaches no lab, and one node's vtysh never reaches another's daemons.
 */
export function runRoot(labDir: string): string {
  return path.join(labDir, 'run')
}

export function nodeRunDir(labDir: string, node: string): string {
  return path.join(runRoot(labDir), node)
}

export function utsPath(labDir: string, node: string): string {
  return path.join(nodeRunDir(labDir, node), 'uts')
}

/** Unix socket paths are limited to 107 bytes. */
export const MAX_SOCKET_PATH = 107
