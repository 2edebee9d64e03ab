// The qemu provider's pure parts: QEMU's argv per node (links as UDP socket pairs on 127.0.0.1, SSH
// through a restricted SLIRP NIC, fw_cfg), each link end's ports, and qemu.env for the guest.
import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {boxPaths} from '../../src/box/box.js'
import {readPlan} from '../../src/io/topology-file.js'
import {linkPorts, mgmtMac, nodeEnvFile, qemuArgv} from '../../src/providers/qemu/vm.js'

const {plan} = readPlan('two-spine-two-leaf', {provider: 'qemu'})
const udp = plan.links.flatMap((_, i) => [20000 + 2 * i, 20001 + 2 * i])

describe('linkPorts', () => {
  it('gives each end the other end as its peer', () => {
    const ports = linkPorts(plan, udp)
    for (const link of plan.links) {
      const a = ports.get(link.a.node)!.find((n) => n.port === link.a.port)!
      const b = ports.get(link.b.node)!.find((n) => n.port === link.b.port)!
      expect(a.peer).toBe(b.local)
      expect(b.peer).toBe(a.local)
      expect(a.local).not.toBe(b.local)
    }
    const all = [...ports.values()].flat().map((n) => n.local)
    expect(new Set(all).size).toBe(plan.links.length * 2)
  })
})

describe('qemuArgv', () => {
  const leaf1 = plan.nodes.find((n) => n.name === 'leaf1')!
  const argv = qemuArgv('qemu-system-x86_64', {
    lab: plan.name, node: leaf1, accel: 'tcg', memory: 256, cpus: 2, box: boxPaths('/box'),
    overlay: '/lab/run/qemu/leaf1.qcow2', tar: '/lab/run/qemu/leaf1.tar', console: '/lab/run/qemu/leaf1.console.log', pidFile: '/lab/run/qemu/leaf1.pid',
    sshPort: 2222, mgmtMac: mgmtMac(3), nics: linkPorts(plan, udp).get('leaf1')!,
  })
  const values = (flag: string) => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []))

  it('uses TCG with a small code cache, and the box kernel, initrd and an overlay', () => {
    expect(values('-accel')).toEqual(['tcg,thread=multi,tb-size=64'])
    expect(values('-kernel')).toEqual(['/box/vmlinuz'])
    expect(values('-initrd')).toEqual(['/box/initrd.img'])
    expect(values('-drive')[0]).toMatch(/^file=\/lab\/run\/qemu\/leaf1\.qcow2,if=virtio,format=qcow2/)
    expect(values('-fw_cfg')).toEqual(['name=opt/lab/config.tar,file=/lab/run/qemu/leaf1.tar'])
    expect(values('-m')).toEqual(['256'])
    expect(values('-smp')).toEqual(['2'])
  })

  it('connects only to 127.0.0.1: a restricted SLIRP NIC for SSH and UDP sockets for links', () => {
    const netdevs = values('-netdev')
    expect(netdevs[0]).toBe('user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22')
    expect(netdevs.slice(1)).toHaveLength(leaf1.interfaces.length)
    for (const netdev of netdevs.slice(1)) expect(netdev).toMatch(/^socket,id=n\d+,udp=127\.0\.0\.1:\d+,localaddr=127\.0\.0\.1:\d+$/)
    expect(argv.join(' ')).not.toMatch(/tap|bridge|vhost/)
  })

  it('gives each NIC its planned MAC, the management NIC first', () => {
    const macs = values('-device').map((d) => /mac=([0-9a-f:]+)/.exec(d)?.[1])
    expect(macs).toEqual([mgmtMac(3), ...leaf1.interfaces.map((i) => i.mac)])
  })
})

describe('nodeEnvFile', () => {
  it('is a shell file giving the hostname, MAC = port pairs and sysctls', () => {
    const host2 = plan.nodes.find((n) => n.name === 'host2')!
    const env = nodeEnvFile(host2, mgmtMac(6))
    const out = execFileSync('sh', ['-c', `${env}\nprintf '%s\\n' "$LAB_HOSTNAME" "$LAB_PORTS" "$LAB_SYSCTLS"`], {encoding: 'utf8'}).split('\n')
    expect(out[0]).toBe('host2')
    expect(out[1]).toBe(`${mgmtMac(6)}=eth0 ${host2.interfaces.map((i) => `${i.mac}=${i.name}`).join(' ')}`)
    expect(out[2]).toContain('net.ipv6.conf.all.accept_dad=0')
    expect(out[2]).not.toContain('kernel.hostname')
  })
})
