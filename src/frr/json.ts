// FRR's JSON output, parsed in one place for everyone who reads it (netns convergence and status,
// verify). Pure: text in, values out.

export interface BgpSummaryPeer {
  state?: string
  hostname?: string
  peerUptime?: string
  pfxRcd?: number
}

/**
 * The peers of `show bgp summary json` (every address family, IPv4 under `ipv4Unicast`) or of
 * `show bgp … ipv4 unicast summary json` (peers at the top level). Undefined when the output is not
 * JSON (bgpd did not answer); `peers` is absent when bgpd has no BGP instance.
 */
export function parseBgpSummary(text: string): {peers?: Record<string, BgpSummaryPeer>} | undefined {
  let json: {peers?: Record<string, BgpSummaryPeer>; ipv4Unicast?: {peers?: Record<string, BgpSummaryPeer>}}
  try {
    json = JSON.parse(text) as typeof json
  } catch {
    return undefined
  }
  if (json === null || typeof json !== 'object') return undefined
  const peers = json.ipv4Unicast ? json.ipv4Unicast.peers : json.peers
  return peers ? {peers} : {}
}
