// How every provider sums up what it found: healthy when every node runs with all its daemons, every
// link is up at both ends and every session is Established; `building` while a live `lab up` works on it.
import type {LabStatus} from './provider.js'

export function summarizeStatus(found: Pick<LabStatus, 'lab' | 'provider' | 'nodes' | 'links' | 'bgp' | 'ospf'>, building: boolean, convergenceMs?: number): LabStatus {
  const healthy =
    found.nodes.every((n) => n.running && n.daemons.every((d) => d.alive)) &&
    found.links.every((l) => l.up) &&
    found.bgp.every((r) => !r.problem && r.sessions.every((s) => s.state === 'Established')) &&
    (found.ospf ?? []).every((r) => !r.problem && r.sessions.every((s) => s.state === 'Full'))
  const {lab, provider, nodes, links, bgp, ospf} = found
  return {lab, provider, state: building ? 'building' : healthy ? 'up' : 'degraded', healthy, nodes, links, bgp, ...(ospf && {ospf}), ...(convergenceMs !== undefined && {convergenceMs})}
}
