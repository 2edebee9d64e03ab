// Where a netns lab lives on the machine: namespace names and per-node run paths.
import path from 'node:path'
import {machineDir} from '../../io/paths.js'

export {machineDir}

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
 * One place per lab on the whole machine, whatever LAB_HOME is: /run/lab/<lab>/ holds its lock, its
 * state.json (who owns it, what runs) and run/<node>/ with everything a running node owns (its
 * sandbox's namespace holder, each daemon's pid file, vty socket and log, zebra's zserv socket, the
 * vtysh.conf and frr.conf that `vtysh` reads and writes). LAB_HOME holds only rendered files, so two
 * LAB_HOMEs can never hold two identities for one set of namespaces. No daemon uses FRR's default
 * paths, so a plain `vtysh` on the machine reaches no lab, and one node's never reaches another's.
 */
export function runRoot(lab: string): string {
  return path.join(machineDir(lab), 'run')
}

export function nodeRunDir(lab: string, node: string): string {
  return path.join(runRoot(lab), node)
}

/** Unix socket paths are limited to 107 bytes. */
export const MAX_SOCKET_PATH = 107
