// Explicit values (a node's loopback and announce, a link's subnet) against the pools and each other:
// an explicit value always wins over a pool, so one that lands inside a pool, or on another node's
// value, is reported where it is written.
import {formatPrefix, parsePrefix, prefixesOverlap, type Ipv4Prefix} from '../plan/ip.js'
import type {Topology, TopologyLink, TopologyNode} from './model.js'
import type {Report} from './report.js'

interface Claim {
  prefix: Ipv4Prefix
  what: string
  /** A pool's key under addressing. */
  pool?: string
  /** Same text, same kind (an announce): anycast, allowed on several nodes. */
  anycast?: string
}

export function checkExplicitValues(nodes: readonly TopologyNode[], links: readonly TopologyLink[], settings: Pick<Topology, 'routing' | 'addressing'>, report: Report): void {
  const pools: Claim[] = (['loopbacks', 'hosts', ...(settings.routing.mode === 'numbered' ? ['p2p' as const] : [])] as const).flatMap((key) => {
    const prefix = parsePrefix(settings.addressing[key])
    return prefix ? [{prefix, what: `the addressing.${key} pool ${settings.addressing[key]}`, pool: key}] : []
  })
  const claimed: Claim[] = []
  const claim = (path: (string | number)[], text: string, what: string, options: {skipPool?: string; anycast?: string} = {}) => {
    const prefix = parsePrefix(text)!
    const pool = pools.find((p) => p.pool !== options.skipPool && prefixesOverlap(p.prefix, prefix))
    if (pool) return report.error(path, `${what} ${text} overlaps ${pool.what}`, 'choose a prefix outside the pools, or move the pool under addressing:')
    const other = claimed.find((c) => prefixesOverlap(c.prefix, prefix) && !(options.anycast && c.anycast === options.anycast && formatPrefix(c.prefix) === text))
    if (other) return report.error(path, `${what} ${text} ${formatPrefix(other.prefix) === formatPrefix(prefix) ? 'is also' : 'overlaps'} ${other.what}`, 'give each its own prefix')
    claimed.push({prefix, what: `${what} ${text}`, ...(options.anycast && {anycast: options.anycast})})
  }
  for (const node of nodes) {
    if (node.loopback) checkLoopback(node, claim, report)
  }
  for (const link of links) {
    if (!link.subnet) continue
    const path = [...link.origin, 'subnet']
    const prefix = parsePrefix(link.subnet)
    if (!prefix) report.error(path, `subnet ${link.subnet} is not a network address`, `write the network itself, e.g. ${networkOf(link.subnet)}`)
    else if (prefix.length > 31) report.error(path, `subnet ${link.subnet} has no room for two ends`, 'use a /31 (or a /30 … /24)')
    else claim(path, link.subnet, `the subnet of ${link.a.node}:${link.a.port}–${link.b.node}:${link.b.port}`)
  }
  for (const node of nodes) {
    node.announce.forEach((text, i) => {
      const path = [...node.origin, 'announce', i]
      if (!parsePrefix(text)) return report.error(path, `${node.name} announces ${text}, which is not a network address`, `write the network itself, e.g. ${networkOf(text)}`)
      claim(path, text, `${node.name}'s announced prefix`, {anycast: 'announce'})
    })
    // What a leaf accepts from a host claims nothing: it may cover pools and other nodes' prefixes.
    if (Array.isArray(node.accept)) {
      node.accept.forEach((text, i) => {
        if (!parsePrefix(text)) report.error([...node.origin, 'accept', i], `${node.name}'s accept prefix ${text} is not a network address`, `write the network itself, e.g. ${networkOf(text)}`)
      })
    }
  }
}

function checkLoopback(node: TopologyNode, claim: (path: (string | number)[], text: string, what: string, options?: {skipPool?: string}) => void, report: Report): void {
  const path = [...node.origin, 'loopback']
  const [address, length] = node.loopback!.split('/')
  if (length !== '32') return report.error(path, `${node.name}'s loopback ${node.loopback} is not a /32`, `write ${address}/32`)
  if (!parsePrefix(node.loopback!)) return report.error(path, `${node.name}'s loopback ${node.loopback} is not an IPv4 address`, 'write four numbers 0–255, e.g. 10.255.0.11/32')
  // Inside the loopback pool is fine: the pool skips it.
  claim(path, node.loopback!, `${node.name}'s loopback`, {skipPool: 'loopbacks'})
}

/** "10.9.0.1/31" → "10.9.0.0/31" (best effort, for a fix). */
function networkOf(text: string): string {
  const [address, length] = text.split('/')
  const octets = address.split('.').map(Number)
  const bits = Number(length)
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255)) || !(bits >= 0 && bits <= 32)) return '10.9.0.0/31'
  const value = octets.reduce((v, o) => v * 256 + o, 0)
  const size = 2 ** (32 - bits)
  const network = value - (value % size)
  return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${bits}`
}
