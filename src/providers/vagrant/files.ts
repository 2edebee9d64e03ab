// What a vagrant lab adds to its directory: the Vagrantfile (one VirtualBox internal network per
// link, MACs as planned) and per node its VM network config (by role: ifupdown2 or netplan), udev
// rules naming ports by MAC, and the provisioning script. Pure.
import {roleSpec} from '../../kinds/roles/index.js'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import type {ProviderFiles, RenderedFile} from '../../render/render.js'
import {ifupdown2Stanzas, netplanSections, networkdFiles} from '../../render/linux-links.js'

/** VirtualBox chipsets: PIIX3 takes 8 NICs, ICH9 takes 36. */
const PIIX3_MAX_NICS = 8

/** The libvirt tunnels' first loopback UDP port when LAB_UDP_BASE is not set (lab up sets it per lab). */
export const DEFAULT_UDP_BASE = 20000

const NETWORK_TEMPLATE = {ifupdown2: {template: 'templates/cumulus/interfaces.hbs', file: 'interfaces'}, netplan: {template: 'templates/ubuntu/netplan.yaml.hbs', file: 'netplan.yaml'}}

/** Each node's network configuration for a VM, by its role: ifupdown2 `interfaces` or `netplan.yaml` (vagrant and qemu labs). */
export const vmNetworkFiles: ProviderFiles = {
  templates: [NETWORK_TEMPLATE.ifupdown2.template, NETWORK_TEMPLATE.netplan.template],
  render(plan, templates, lab) {
    // Containers are not VMs (the VM providers refuse them in preflight).
    return plan.nodes.filter((n) => !n.container).flatMap((node) => {
      const kind = roleSpec(node.role).vmNetwork
      const network = NETWORK_TEMPLATE[kind]
      const file = {path: `${node.name}/${network.file}`, content: templates.get(network.template)({lab, ...nodeView(plan, node)})}
      // Bonds, VLANs, bridges, VXLAN, dummies (ifupdown2, netplan) and macvlans (networkd): docs/linux-links.md.
      return kind === 'netplan' ? [file, ...networkdFiles(node)] : [file]
    })
  },
}

export const vagrantFiles: ProviderFiles = {
  templates: ['Vagrantfile.hbs', 'templates/cumulus/interfaces.hbs', 'templates/ubuntu/netplan.yaml.hbs', 'templates/vagrant/udev.rules.hbs', 'templates/vagrant/provision.sh.hbs'],
  render(plan, templates, lab) {
    const views = plan.nodes.filter((n) => !n.container).map((node) => nodeView(plan, node))
    const files: RenderedFile[] = [{path: 'Vagrantfile', content: templates.get('Vagrantfile.hbs')({lab, nodes: views, udpBase: DEFAULT_UDP_BASE})}]
    files.push(...vmNetworkFiles.render(plan, templates, lab))
    for (const view of views) {
      const context = {lab, ...view}
      const dir = view.node.name
      files.push({path: `${dir}/udev.rules`, content: templates.get('templates/vagrant/udev.rules.hbs')(context)})
      files.push({path: `${dir}/provision.sh`, content: templates.get('templates/vagrant/provision.sh.hbs')(context), mode: 0o755})
    }
    return files
  },
}

function nodeView(plan: LabPlan, node: PlannedNode) {
  return {
    node,
    isSwitch: roleSpec(node.role).vmNetwork === 'ifupdown2',
    hasFrr: node.daemons.length > 0,
    stanzas: ifupdown2Stanzas(node),
    netplanVirtual: netplanSections(node, plan.fabricPrefixes),
    hasNetworkd: networkdFiles(node).length > 0,
    ich9: node.interfaces.length + 1 > PIIX3_MAX_NICS,
    nics: node.interfaces.map((port) => ({
      port: port.name,
      ...udpOffsets(plan, node.name, port.name, port.link),
      peer: `${port.peer.node}:${port.peer.port}`,
      network: plan.links[port.link].network,
      mac: port.mac.replaceAll(':', ''),
    })),
  }
}


/** A link's two tunnel ends: link i's a-end listens on base + 2i, its b-end on base + 2i + 1; each sends to the other. */
export function udpOffsets(plan: LabPlan, node: string, port: string, linkIndex: number): {udpLocal: number; udpPeer: number} {
  const {a} = plan.links[linkIndex]
  const isA = a.node === node && a.port === port
  return isA ? {udpLocal: 2 * linkIndex, udpPeer: 2 * linkIndex + 1} : {udpLocal: 2 * linkIndex + 1, udpPeer: 2 * linkIndex}
}
