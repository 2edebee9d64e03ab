// One QEMU VM per node: its argv (pure), its per-node environment file, its fw_cfg tarball, its
// overlay on the box, its loopback ports. Links are UDP socket netdevs on 127.0.0.1 (each end sends
// to its peer's port), SSH is a loopback port forward of a restricted SLIRP NIC (no route out):
// nothing a VM does reaches the machine's network.
import {copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import dgram from 'node:dgram'
import net from 'node:net'
import path from 'node:path'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {applyScript, type BoxPaths} from '../../box/box.js'
import {runOk} from '../../io/process.js'
import {nodeSysctls} from '../netns/build.js'
import {containerSysctls} from '../netns/containers.js'
import {shellQuote} from '../ssh-quote.js'
import {accelArgs, type Accel} from './kvm.js'

/** Memory per VM: enough for FRR and the test tools under TCG (LAB_QEMU_MEMORY overrides, in MiB). */
export function vmMemory(): number {
  const fromEnv = Number(process.env.LAB_QEMU_MEMORY)
  return Number.isInteger(fromEnv) && fromEnv >= 128 ? fromEnv : 256
}

/** vCPUs per VM: one (a lab's VMs share the machine's cores); LAB_QEMU_CPUS gives more, e.g. to one VM running a netns lab of its own. */
export function vmCpus(): number {
  const fromEnv = Number(process.env.LAB_QEMU_CPUS)
  return Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 64 ? fromEnv : 1
}

/** The management NIC's MAC (the SLIRP NIC, renamed eth0 in the guest): locally administered, apart from the plan's 02:4c:41 MACs. */
export function mgmtMac(index: number): string {
  return `52:54:00:4c:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`
}

export interface NicPorts {
  port: string
  mac: string
  /** UDP port this end listens on. */
  local: number
  /** UDP port of the other end. */
  peer: number
}

export interface VmSpec {
  lab: string
  node: PlannedNode
  accel: Accel
  memory: number
  cpus: number
  box: BoxPaths
  overlay: string
  tar: string
  console: string
  pidFile: string
  sshPort: number
  mgmtMac: string
  nics: NicPorts[]
}

export function qemuArgv(qemu: string, spec: VmSpec): string[] {
  const argv = [
    qemu,
    '-name', `guest=${spec.lab}/${spec.node.name},process=qemu-${spec.node.name}`,
    ...accelArgs(spec.accel),
    '-machine', 'pc', '-smp', String(spec.cpus), '-m', String(spec.memory),
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-kernel', spec.box.kernel, '-initrd', spec.box.initrd,
    // net.ifnames=0: the kernel's ethN names stay until lab-apply renames every NIC by MAC.
    '-append', 'root=/dev/vda rw console=ttyS0 quiet net.ifnames=0 biosdevname=0 panic=-1 no_timer_check systemd.show_status=error',
    '-drive', `file=${spec.overlay},if=virtio,format=qcow2,cache=unsafe,discard=unmap`,
    '-serial', `file:${spec.console}`,
    '-fw_cfg', `name=opt/lab/config.tar,file=${spec.tar}`,
    // restrict=on: SLIRP gives the guest no route anywhere; only the forwarded SSH port reaches it.
    '-netdev', `user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    '-device', `virtio-net-pci,netdev=mgmt,mac=${spec.mgmtMac}`,
  ]
  spec.nics.forEach((nic, index) => {
    argv.push('-netdev', `socket,id=n${index},udp=127.0.0.1:${nic.peer},localaddr=127.0.0.1:${nic.local}`)
    // Full duplex at a known speed, as a veth reports: the bonding driver sends no LACPDU on a port
    // whose duplex is unknown (802.3ad bonds never formed without it: docs/linux-links.md).
    argv.push('-device', `virtio-net-pci,netdev=n${index},mac=${nic.mac},speed=10000,duplex=full`)
  })
  argv.push('-daemonize', '-pidfile', spec.pidFile)
  return argv
}

/**
 * qemu.env: what lab-apply.sh needs beyond the rendered files (which stay as rendered): the
 * hostname, MAC → port name for every NIC (the rendered udev rules name ports only on a device add,
 * which happens before the files arrive), and the node's kernel settings as the netns provider sets them.
 */
export function nodeEnvFile(node: PlannedNode, managementMac: string): string {
  const ports = [`${managementMac}=eth0`, ...node.interfaces.map((i) => `${i.mac}=${i.name}`)]
  // The containers' settings name ports that exist only once containers.sh has run; it sets them.
  const later = new Set(containerSysctls(node))
  const sysctls = nodeSysctls(node).filter((s) => !s.startsWith('kernel.hostname=') && !later.has(s))
  return [
    `# Rendered by lab (qemu provider) for ${node.name}: read by lab-apply.sh at boot.`,
    `LAB_HOSTNAME=${shellQuote(node.hostname)}`,
    `LAB_PORTS=${shellQuote(ports.join(' '))}`,
    `LAB_SYSCTLS=${shellQuote(sysctls.join(' '))}`,
    `LAB_TRACE=${process.env.LAB_QEMU_TRACE === '1' ? 1 : 0}`,
    '',
  ].join('\n')
}

/** The tarball the guest reads through fw_cfg: the node's rendered files, qemu.env and lab-apply.sh. */
export async function writeConfigTar(labDir: string, node: PlannedNode, env: string, stagingDir: string, tar: string): Promise<void> {
  rmSync(stagingDir, {recursive: true, force: true})
  mkdirSync(stagingDir, {recursive: true})
  const nodeDir = path.join(labDir, node.name)
  writeFileSync(path.join(nodeDir, 'qemu.env'), env)
  for (const file of readdirSync(nodeDir)) copyFileSync(path.join(nodeDir, file), path.join(stagingDir, file))
  copyFileSync(applyScript(), path.join(stagingDir, 'lab-apply.sh'))
  await runOk(['tar', '-C', stagingDir, '--owner=0', '--group=0', '-cf', tar, '.'])
  rmSync(stagingDir, {recursive: true, force: true})
}

export async function createOverlay(box: BoxPaths, overlay: string): Promise<void> {
  rmSync(overlay, {force: true})
  await runOk(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', box.disk, '-F', 'qcow2', overlay])
}

/**
 * Free loopback ports: all held open at once (so none is handed out twice), then released for
 * QEMU. Another program could take one in between; QEMU then fails to start and `lab up` says so.
 */
export async function freePorts(tcp: number, udp: number): Promise<{tcp: number[]; udp: number[]}> {
  const servers: net.Server[] = []
  const sockets: dgram.Socket[] = []
  try {
    const tcpPorts: number[] = []
    for (let i = 0; i < tcp; i++) {
      const server = net.createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()))
      tcpPorts.push((server.address() as net.AddressInfo).port)
    }
    const udpPorts: number[] = []
    for (let i = 0; i < udp; i++) {
      const socket = dgram.createSocket('udp4')
      sockets.push(socket)
      await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, '127.0.0.1', () => resolve()))
      udpPorts.push(socket.address().port)
    }
    return {tcp: tcpPorts, udp: udpPorts}
  } finally {
    for (const server of servers) server.close()
    for (const socket of sockets) socket.close()
  }
}

/** Every link end's UDP port, and so each NIC's local and peer port. */
export function linkPorts(plan: LabPlan, udp: readonly number[]): Map<string, NicPorts[]> {
  const portOf = new Map<string, number>()
  plan.links.forEach((link, index) => {
    portOf.set(`${link.a.node}:${link.a.port}`, udp[2 * index])
    portOf.set(`${link.b.node}:${link.b.port}`, udp[2 * index + 1])
  })
  const byNode = new Map<string, NicPorts[]>()
  for (const node of plan.nodes.filter((n) => !n.container)) {
    byNode.set(
      node.name,
      node.interfaces.map((i) => ({port: i.name, mac: i.mac, local: portOf.get(`${node.name}:${i.name}`)!, peer: portOf.get(`${i.peer.node}:${i.peer.port}`)!})),
    )
  }
  return byNode
}
