// From a plan to the checks to run: the brief's default suite, then the topology's own `verify:` list.
import type {Check} from '../topology/model.js'
import type {LabPlan} from '../plan/plan.js'
import {plannedSessions, prepareBgp} from './checks/bgp.js'
import {prepareExec} from './checks/exec.js'
import {prepareIperf} from './checks/iperf.js'
import {preparePath} from './checks/path.js'
import {pingExpectation, preparePing} from './checks/ping.js'
import {prepareEcmp, prepareRoute, type RouteQuery} from './checks/routes.js'
import {expectedLeafPaths, labFacts, targetPrefix, type LabFacts} from './facts.js'
import type {PreparedCheck} from './types.js'

export const IPERF_BASE_PORT = 5201
export const IPERF_DEFAULT_SECONDS = 1

/**
 * The default suite: every planned BGP session Established on every router; every host reaches
 * every other host from its own address (one ping per pair: the replies prove the way back);
 * every leaf reaches every other leaf's loopback over as many equal-cost paths as they share spines.
 */
export function defaultSuite(plan: LabPlan, facts: LabFacts = labFacts(plan)): PreparedCheck[] {
  const checks: PreparedCheck[] = []
  for (const node of plan.nodes) {
    if (node.bgp) checks.push(prepareBgp({node: node.name, sessions: plannedSessions(facts, node.name)}, node.name, bgpKey(node.name)))
  }
  const hosts = plan.nodes.filter((n) => n.role === 'host').map((n) => n.name)
  hosts.forEach((from, i) => {
    for (const to of hosts.slice(i + 1)) checks.push(preparePing(facts, pingExpectation(facts, from, to), `${from} -> ${to}`, pingKey(from, to)))
  })
  const leaves = plan.nodes.filter((n) => n.role === 'leaf').map((n) => n.name)
  for (const from of leaves) {
    for (const to of leaves) {
      if (from === to) continue
      const query = routeQuery(facts, from, to)
      const paths = expectedLeafPaths(facts, from, to)
      checks.push(prepareEcmp(facts, query, paths, `${from} -> ${to}`, ecmpKey(from, query.prefix, paths)))
    }
  }
  return checks
}

/** A topology's declared check, ready to run. `index` numbers iperf checks' ports apart. */
export function declaredCheck(plan: LabPlan, check: Check, index: number, facts: LabFacts = labFacts(plan)): PreparedCheck {
  switch (check.kind) {
    case 'ping': {
      const e = pingExpectation(facts, check.from, check.to, check.count)
      return preparePing(facts, e, check.name ?? `${check.from} -> ${check.to}`, pingKey(check.from, check.to))
    }
    case 'bgp': {
      const sessions = plannedSessions(facts, check.node)
      const all = check.prefixes === undefined && (check.established === undefined || check.established === sessions.length)
      const words = [check.established === undefined ? 'all sessions' : `${check.established} Established`, ...(check.prefixes === undefined ? [] : [`${check.prefixes}+ prefixes`])]
      const expect = {node: check.node, sessions, ...(check.established !== undefined && {established: check.established}), ...(check.prefixes !== undefined && {prefixes: check.prefixes})}
      return prepareBgp(expect, check.name ?? (all ? check.node : `${check.node}: ${words.join(', ')}`), all ? bgpKey(check.node) : `bgp:${check.node}:${check.established}:${check.prefixes}`)
    }
    case 'ecmp': {
      const query = routeQuery(facts, check.node, check.to)
      return prepareEcmp(facts, query, check.paths, check.name ?? `${check.node} -> ${check.to}`, ecmpKey(check.node, query.prefix, check.paths))
    }
    case 'route': {
      const query = routeQuery(facts, check.node, check.prefix)
      const name = check.name ?? `${check.node} ${check.present ? 'has' : 'has no'} ${check.prefix}`
      return prepareRoute(facts, query, check.present, name, `route:${check.node}:${query.prefix}:${check.present}`)
    }
    case 'path': {
      const e = {from: check.from, to: check.to, source: facts.addressOf(check.from), destination: facts.addressOf(check.to), via: check.via}
      return preparePath(facts, e, check.name ?? `${check.from} -> ${check.to} via ${check.via.join(', ')}`, `path:${check.from}:${check.to}:${check.via.join(',')}`)
    }
    case 'iperf': {
      const e = {
        from: check.from,
        to: check.to,
        source: facts.addressOf(check.from),
        destination: facts.addressOf(check.to),
        minGbps: check.min_gbps,
        seconds: check.seconds ?? IPERF_DEFAULT_SECONDS,
        port: IPERF_BASE_PORT + index,
      }
      return prepareIperf(e, check.name ?? `${check.from} -> ${check.to} at ${check.min_gbps}+ Gbit/s`, `iperf:${check.from}:${check.to}:${check.min_gbps}`)
    }
    case 'exec': {
      const command = typeof check.command === 'string' ? check.command : check.command.join(' ')
      return prepareExec(check, check.name ?? `${check.node}: ${command.length > 40 ? `${command.slice(0, 39)}…` : command}`, `exec:${check.node}:${command}:${check.expect}`)
    }
  }
}

/** Default suite plus declared checks; a declared check asserting the same thing as a default one replaces it in place. */
export function buildSuite(plan: LabPlan): PreparedCheck[] {
  const facts = labFacts(plan)
  const declared = plan.checks.map((check, index) => declaredCheck(plan, check, index, facts))
  const declaredKeys = new Map(declared.map((c) => [c.key, c]))
  const used = new Set<string>()
  const suite = defaultSuite(plan, facts).map((c) => {
    const replacement = declaredKeys.get(c.key)
    if (!replacement) return c
    used.add(c.key)
    return replacement
  })
  const seen = new Set<string>()
  const extra = declared.filter((c) => !used.has(c.key) && !seen.has(c.key) && seen.add(c.key))
  return [...suite, ...extra]
}

function routeQuery(facts: LabFacts, node: string, target: string): RouteQuery {
  const {prefix, label} = targetPrefix(facts, target)
  return {node, prefix, label, frr: facts.runsFrr(node)}
}

const bgpKey = (node: string) => `bgp:${node}:all`
const pingKey = (from: string, to: string) => `ping:${from}:${to}`
const ecmpKey = (node: string, prefix: string, paths: number) => `ecmp:${node}:${prefix}:${paths}`
