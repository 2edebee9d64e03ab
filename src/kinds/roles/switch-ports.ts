// Port names: any Linux interface name (swp1, eth1, e1-1, Ethernet1, …): at most 15 bytes, not `lo`,
// no '/', whitespace or ':'. eth0 is kept for the management NIC the VM providers (Vagrant, QEMU) give
// every node, so a topology runs unchanged on every provider.
import type {RoleProblem} from './spec.js'

export const MAX_PORT_BYTES = 15
export const MANAGEMENT_PORT = 'eth0'

export function portNameProblem(port: string, node: string): RoleProblem | undefined {
  const bytes = Buffer.byteLength(port, 'utf8')
  if (bytes > MAX_PORT_BYTES) return {message: `port name "${port}" is ${bytes} bytes; Linux interface names are at most ${MAX_PORT_BYTES}`, fix: 'use a shorter port name'}
  if (port === 'lo') return {message: `"lo" is ${node}'s loopback, not a port`, fix: 'name a port such as swp1 or eth1 (the loopback is set with loopback:)'}
  if (port === MANAGEMENT_PORT) return {message: `${MANAGEMENT_PORT} is the management interface of every node on the VM providers (Vagrant, QEMU)`, fix: 'use eth1, swp1, …'}
  if (port === '.' || port === '..' || /[/\s]/.test(port)) return {message: `"${port}" is not a valid Linux interface name`, fix: 'use letters, digits, "-", "_" or "." (e.g. swp1, e1-1, Ethernet1)'}
  return undefined
}

/** Switch ports: any valid interface name (Cumulus's swpN, EOS's EthernetN, containerlab's e1-1, …). */
export function switchPortProblem(port: string, node: string): RoleProblem | undefined {
  return portNameProblem(port, node)
}
