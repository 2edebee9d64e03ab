// A vagrant lab's share of libvirt: its management network (isolated: no <forward>, so no NAT and no
// route out; DHCP tells Vagrant each VM's address) and a block of loopback UDP ports for its links'
// tunnels. Lab k gets 10.255.k.0/24 and ports 20000 + 1000·k …; k is the first slot no libvirt
// network of another lab holds. lab defines the network before `vagrant up` so that the per-VM
// Vagrant processes never race to create it.
import {OperationError} from '../../io/errors.js'
import {virsh} from './libvirt.js'

const SLOTS = 250
const UDP_FIRST = 20000
const UDP_PER_LAB = 1000

export function managementNetworkName(lab: string): string {
  return `lab-${lab}`
}

export interface LabSlot {
  slot: number
  subnet: string
  gateway: string
  udpBase: number
}

export function slotOf(slot: number): LabSlot {
  return {slot, subnet: `10.255.${slot}.0/24`, gateway: `10.255.${slot}.1`, udpBase: UDP_FIRST + UDP_PER_LAB * slot}
}

/** The network's XML (pure): isolated, DHCP for the VMs' management NICs. */
export function managementNetworkXml(lab: string, slot: LabSlot): string {
  const prefix = slot.gateway.split('.').slice(0, 3).join('.')
  return [
    '<network>',
    `  <name>${managementNetworkName(lab)}</name>`,
    `  <ip address='${slot.gateway}' netmask='255.255.255.0'>`,
    `    <dhcp><range start='${prefix}.2' end='${prefix}.254'/></dhcp>`,
    '  </ip>',
    '</network>',
    '',
  ].join('\n')
}

/** The slot of each lab network libvirt has now, by network name. */
async function usedSlots(): Promise<Map<string, number>> {
  const names = await virsh(['net-list', '--all', '--name'])
  const used = new Map<string, number>()
  for (const name of names.stdout.split('\n').map((n) => n.trim()).filter((n) => n.startsWith('lab-'))) {
    const xml = await virsh(['net-dumpxml', name])
    const match = /address='10\.255\.(\d+)\.1'/.exec(xml.stdout)
    if (match) used.set(name, Number(match[1]))
  }
  return used
}

/** Define and start the lab's management network in a free slot (or reuse the lab's own). */
export async function createManagementNetwork(lab: string, xmlFile: (xml: string) => string): Promise<LabSlot> {
  const used = await usedSlots()
  const own = used.get(managementNetworkName(lab))
  if (own !== undefined) await removeManagementNetwork(lab)
  const taken = new Set([...used.entries()].filter(([name]) => name !== managementNetworkName(lab)).map(([, slot]) => slot))
  let slot = 0
  while (taken.has(slot) && slot < SLOTS) slot++
  if (slot >= SLOTS) throw new OperationError(`libvirt holds ${SLOTS} lab networks already`, 'lab down some labs')
  const chosen = slotOf(slot)
  const defined = await virsh(['net-define', xmlFile(managementNetworkXml(lab, chosen))])
  if (defined.exitCode !== 0) throw new OperationError(`libvirt did not define the management network of ${lab}: ${defined.stderr.trim()}`, 'see /var/log/libvirt/libvirtd.log')
  const started = await virsh(['net-start', managementNetworkName(lab)])
  if (started.exitCode !== 0) throw new OperationError(`libvirt did not start the management network of ${lab}: ${started.stderr.trim()}`, 'is dnsmasq installed? apt-get install dnsmasq-base')
  return chosen
}

export async function removeManagementNetwork(lab: string): Promise<boolean> {
  const name = managementNetworkName(lab)
  const info = await virsh(['net-info', name])
  if (info.exitCode !== 0) return false
  await virsh(['net-destroy', name])
  const undefined_ = await virsh(['net-undefine', name])
  return undefined_.exitCode === 0
}
