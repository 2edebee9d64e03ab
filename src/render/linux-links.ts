// What the VM network templates show of a node's Linux link kinds (docs/linux-links.md): ifupdown2
// stanzas on switches, netplan `bonds:`/`vlans:` entries on hosts, and systemd-networkd files for
// what netplan 0.106 (Debian 12) cannot say (macvlan). Pure; the lines come from each kind's spec.
import {virtualSpec} from '../kinds/links/index.js'
import type {PlannedNode} from '../plan/plan.js'
import type {RenderedFile} from './render.js'

export interface Ifupdown2Stanza {
  name: string
  lines: string[]
}

/** ifupdown2 stanzas, members before what they join (ifupdown2 orders by dependency anyway). */
export function ifupdown2Stanzas(node: PlannedNode): Ifupdown2Stanza[] {
  return (node.virtual ?? []).map((v) => ({
    name: v.name,
    lines: [...virtualSpec(v.kind).ifupdown2(v), ...(v.mac && v.kind !== 'bond' ? [`    hwaddress ${v.mac}`] : []), `    mtu ${v.mtu}`, ...(v.ipv4 ? [`    address ${v.ipv4}`] : [])],
  }))
}

/** netplan's `bonds:` and `vlans:` sections for a host, with the default route where the gateway is. */
export function netplanSections(node: PlannedNode, fabricPrefixes: readonly string[]): string[] {
  const out: string[] = []
  for (const section of ['bonds', 'vlans'] as const) {
    const entries = (node.virtual ?? []).flatMap((v) => {
      const spec = virtualSpec(v.kind)
      const entry = spec.netplan?.(v)
      if (!entry || entry.section !== section) return []
      return [`    ${v.name}:`, ...entry.lines, ...(v.mac && v.kind === 'bond' ? [`      macaddress: "${v.mac}"`] : []), `      mtu: ${v.mtu}`, ...(v.ipv4 ? [`      addresses: [${v.ipv4}]`] : []), ...routeLines(node, v.name, fabricPrefixes)]
    })
    if (entries.length > 0) out.push(`  ${section}:`, ...entries)
  }
  return out
}

/** The same routes the template gives a plain host's port, on the interface the gateway is reached through. */
function routeLines(node: PlannedNode, name: string, fabricPrefixes: readonly string[]): string[] {
  if (node.routing !== 'static' || node.gateway?.interface !== name) return []
  const via = node.gateway.address
  return [
    '      routes:',
    ...fabricPrefixes.flatMap((prefix) => [`        - to: ${prefix}`, `          via: ${via}`]),
    '        - to: default',
    `          via: ${via}`,
    '          metric: 50',
  ]
}

/**
 * Macvlans on a host VM: netplan 0.106 has no macvlan, so systemd-networkd files (lab-apply installs
 * `networkd-<file>` into /etc/systemd/network, `networkd-<port>.conf` as a drop-in of netplan's
 * `10-netplan-<port>.network`, which must name the macvlan).
 */
export function networkdFiles(node: PlannedNode): RenderedFile[] {
  const macvlans = (node.virtual ?? []).filter((v) => v.kind === 'macvlan')
  const files: RenderedFile[] = []
  for (const v of macvlans) {
    const head = `# Rendered by lab for ${node.name}: macvlan ${v.name} on ${v.parent} (netplan 0.106 has no macvlan).`
    files.push({path: `${node.name}/networkd-20-lab-${v.name}.netdev`, content: `${head}\n[NetDev]\nName=${v.name}\nKind=macvlan\nMACAddress=${v.mac}\nMTUBytes=${v.mtu}\n\n[MACVLAN]\nMode=bridge\n`})
    files.push({path: `${node.name}/networkd-20-lab-${v.name}.network`, content: `${head}\n[Match]\nName=${v.name}\n\n[Network]\nAddress=${v.ipv4}\nLinkLocalAddressing=no\n`})
  }
  for (const parent of [...new Set(macvlans.map((v) => v.parent!))]) {
    const names = macvlans.filter((v) => v.parent === parent).map((v) => `MACVLAN=${v.name}`)
    files.push({path: `${node.name}/networkd-${parent}.conf`, content: `# Rendered by lab for ${node.name}: a drop-in of netplan's 10-netplan-${parent}.network.\n[Network]\n${names.join('\n')}\n`})
  }
  return files
}
