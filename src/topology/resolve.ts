// Raw topology → resolved Topology, plus every semantic problem found on the way: nodes (fabric and
// declared), links and what each role needs, provider limits, the address and ASN pools, the checks.
import type {Diagnostic} from './diagnostics.js'
import {resolveContainers} from './containers.js'
import {resolveLinuxLinks} from './linux-links.js'
import {resolveLinks, checkConnections} from './links.js'
import type {LinkPortLimit, Topology} from './model.js'
import {inPlanOrder, resolveNodes} from './nodes.js'
import {checkNumbering} from './numbering.js'
import {resolveChecks} from './references.js'
import {checkAsns, checkAsPaths} from './asns.js'
import {checkExplicitValues} from './explicit.js'
import {checkProtocolKeys} from './protocol.js'
import {checkReachability} from './reach.js'
import {Report} from './report.js'
import {ADDRESSING_DEFAULTS, ROUTING_DEFAULTS, type RawTopology} from './schema.js'

export interface ResolveOptions {
  /** Providers' limits on links per node: errors where enforced (the lab's provider), else warnings. */
  limits?: readonly LinkPortLimit[]
}

/**
 * `written` is the document as parsed, before schema defaults were filled in: it tells which
 * settings the file really sets, so a clash is reported where the user can change it.
 */
export function resolveTopology(raw: RawTopology, options: ResolveOptions = {}, written: unknown = raw, rejectedNodes: ReadonlySet<string> = new Set()): {topology: Topology; diagnostics: Diagnostic[]} {
  const report = new Report()
  const {nodes, generatedLinks} = resolveNodes(raw, report, rejectedNodes)
  const {links, inRejectedLink} = resolveLinks(raw, nodes, generatedLinks, report, rejectedNodes)
  checkConnections(nodes, links, inRejectedLink, options.limits ?? [], report)

  const {routing, addressing} = settings(raw)
  const sorted = inPlanOrder(nodes.values())
  const writtenKeys = (section: string) => {
    const value = (written as Record<string, unknown> | undefined)?.[section]
    return value && typeof value === 'object' ? Object.keys(value) : []
  }
  const error = report.error.bind(report)
  checkNumbering(sorted, links, routing, addressing, error, writtenKeys('routing'), writtenKeys('addressing'))
  checkExplicitValues(sorted, links, {routing, addressing}, report)
  checkProtocolKeys(raw, written, sorted, report)
  if (inRejectedLink.size === 0) checkReachability(sorted, links, report)
  const containers = resolveContainers(raw.nodes ?? {}, nodes, links, addressing, report)
  const linuxLinks = resolveLinuxLinks(raw.nodes ?? {}, nodes, links, {routing, addressing}, containers.groups, report)
  // Checks may name containers as nodes.
  const checks = resolveChecks(raw, new Map([...nodes, ...containers.containerNodes]), report, links, rejectedNodes)

  const topology: Topology = {name: raw.name, description: raw.description ?? '', nodes: sorted, links, routing, addressing, checks, containers: containers.groups, linuxLinks}
  // Final ASNs need valid pools and nodes: judged once everything else holds.
  if (!report.diagnostics.some((d) => d.severity === 'error')) checkAsns(topology, report)
  if (!report.diagnostics.some((d) => d.severity === 'error')) checkAsPaths(topology, report)
  return {topology, diagnostics: report.diagnostics}
}

/** A section the file writes has its defaults filled in by the schema already; a missing one gets them here. */
function settings(raw: RawTopology): Pick<Topology, 'routing' | 'addressing'> {
  const routing = raw.routing ?? ROUTING_DEFAULTS
  const addressing = raw.addressing ?? ADDRESSING_DEFAULTS
  return {
    routing: {
      protocol: routing.protocol,
      // OSPFv2 needs an IPv4 subnet on every link: OSPF labs are numbered.
      mode: routing.protocol === 'ospf' ? 'numbered' : routing.mode,
      spineAsn: routing.spine_asn,
      leafAsnBase: routing.leaf_asn_base,
      hostAsnBase: routing.host_asn_base,
      superSpineAsn: routing.super_spine_asn,
      routerAsnBase: routing.router_asn_base,
    },
    addressing: {loopbacks: addressing.loopbacks, hosts: addressing.hosts, hostPrefixLength: addressing.host_prefix_length, p2p: addressing.p2p, mtu: addressing.mtu},
  }
}
