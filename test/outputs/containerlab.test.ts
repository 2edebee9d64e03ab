// `lab export --format containerlab`: the topology file has every field containerlab needs (checked
// against its documented topology schema: name, topology.nodes with kind/image/binds/exec, links
// with endpoints "node:interface"), the bound files are the lab's own rendered FRR files, and the
// exec commands do what the netns provider does. containerlab itself is not run here (no Docker).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {parse} from 'yaml'
import {afterAll, describe, expect, it} from 'vitest'
import {containerlabTopology, nodeExec} from '../../src/outputs/containerlab.js'
import {nodeBatch} from '../../src/providers/netns/build.js'
import {containerScript} from '../../src/providers/qemu/containers.js'
import {nodeSysctls} from '../../src/providers/netns/build.js'
import {renderer} from '../../src/io/lab-dir.js'
import {shippedPlan, ROOT} from '../core/verify-helpers.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'lab-export-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

/** Node fields of containerlab's topology schema (containerlab.dev/manual/nodes) that the export may use. */
const NODE_FIELDS = new Set(['kind', 'image', 'binds', 'exec', 'labels', 'env', 'cmd', 'startup-config', 'group', 'network-mode', 'mgmt-ipv4'])
const ENDPOINT = /^[a-z][a-z0-9-]*:[A-Za-z0-9_./-]+$/

interface ClabTopology {
  name: string
  topology: {nodes: Record<string, {kind: string; image: string; binds?: string[]; exec: string[]; labels: Record<string, string>}>; links: Array<{endpoints: string[]}>}
}

describe('containerlab topology', () => {
  for (const name of ['two-spine-two-leaf', 'four-spine-eight-leaf', 'numbered-fabric', 'routing-on-the-host', 'linux-links', 'bond-trunk', 'ipvlan-containers', 'bridged-containers', 'fan']) {
    it(`${name}: every node, link and field containerlab needs`, () => {
      const plan = shippedPlan(name)
      const text = containerlabTopology(plan)
      const clab = parse(text) as ClabTopology
      expect(Object.keys(clab)).toEqual(['name', 'topology'])
      expect(clab.name).toBe(plan.name)
      expect(Object.keys(clab.topology)).toEqual(['nodes', 'links'])
      const nodes = plan.nodes.filter((n) => !n.container) // containers are namespaces inside their host's container
      expect(Object.keys(clab.topology.nodes)).toEqual(nodes.map((n) => n.name))
      const rendered = new Set(renderer()(plan).map((f) => f.path))
      const exported = new Set(plan.nodes.filter((n) => n.containers).map((n) => `${n.name}/containers.sh`)) // written by lab export
      for (const node of nodes) {
        const clabNode = clab.topology.nodes[node.name]
        expect(Object.keys(clabNode).filter((k) => !NODE_FIELDS.has(k))).toEqual([])
        expect(clabNode.kind).toBe('linux')
        expect(clabNode.image).toMatch(/^[a-z0-9.-]+(\/[a-z0-9._-]+)+:[\w.-]+$|^[a-z0-9.-]+(\/[a-z0-9._-]+)+$/)
        expect(clabNode.exec.length).toBeGreaterThan(0)
        expect(clabNode.exec.every((c) => typeof c === 'string' && c.length > 0)).toBe(true)
        const binds = [
          ...(node.daemons.length > 0 ? [`${node.name}/frr.conf:/etc/frr/frr.conf`, `${node.name}/daemons:/etc/frr/daemons`] : []),
          ...(node.containers ? [`${node.name}/containers.sh:/lab/containers.sh`] : []),
        ]
        if (binds.length > 0) {
          expect(clabNode.binds).toEqual(binds)
          for (const bind of clabNode.binds!) expect(rendered.has(bind.split(':')[0]) || exported.has(bind.split(':')[0])).toBe(true)
        } else {
          expect(clabNode.binds).toBeUndefined()
        }
      }
      // Each planned port is in exactly one link, under its planned name; eth0 stays containerlab's management port.
      const endpoints = clab.topology.links.flatMap((l) => l.endpoints)
      expect(clab.topology.links.every((l) => l.endpoints.length === 2)).toBe(true)
      expect(endpoints.every((e) => ENDPOINT.test(e))).toBe(true)
      expect(endpoints.sort()).toEqual(nodes.flatMap((n) => n.interfaces.map((i) => `${n.name}:${i.name}`)).sort())
      expect(endpoints.some((e) => e.endsWith(':eth0'))).toBe(false)
      expect(containerlabTopology(plan)).toBe(text) // same plan, same bytes
    })
  }

  it('exec does what the netns provider does: its sysctls, the loopback, addresses, MTUs, a plain host\'s default route', () => {
    const plan = shippedPlan('two-spine-two-leaf')
    for (const node of plan.nodes) {
      const sysctls = nodeExec(node).filter((c) => c.startsWith('sysctl')).map((c) => c.replace('sysctl -qw ', ''))
      expect(sysctls.sort()).toEqual(nodeSysctls(node).filter((s) => !s.startsWith('kernel.hostname')).sort())
    }
    const host1 = plan.nodes.find((n) => n.name === 'host1')!
    expect(nodeExec(host1).filter((c) => c.startsWith('ip '))).toEqual(['ip link set dev eth1 mtu 1500', 'ip address add 10.1.0.2/24 dev eth1', 'ip route replace default via 10.1.0.1 dev eth1'])
    const leaf1 = plan.nodes.find((n) => n.name === 'leaf1')!
    expect(nodeExec(leaf1)).toContain('ip address add 10.0.0.3/32 dev lo')
    expect(nodeExec(leaf1)).toContain('ip address add 10.1.0.1/24 dev swp1')
  })

  it('the Linux link kinds: every netns line of a node is in its exec, a bond\'s members are down while enslaved, VXLAN head-end replication', () => {
    for (const name of ['linux-links', 'bond-trunk']) {
      const plan = shippedPlan(name)
      for (const node of plan.nodes.filter((n) => n.virtual)) {
        const exec = nodeExec(node)
        // The netns batch lines past the plain ports' (link up, containers' own lines) are all here, in order.
        const created = nodeBatch(node).trimEnd().split('\n').filter((l) => / type (bond|vlan|bridge|vxlan|macvlan|dummy)\b| master /.test(l))
        expect(created.length, node.name).toBeGreaterThan(0)
        const positions = created.map((l) => exec.indexOf(`ip ${l}`))
        expect(positions.every((p) => p >= 0), `${node.name}: ${created.filter((_, i) => positions[i] < 0).join('; ')}`).toBe(true)
        expect([...positions].sort((a, b) => a - b)).toEqual(positions)
        for (const bond of node.virtual!.filter((v) => v.kind === 'bond')) {
          for (const member of bond.members!) {
            const down = exec.indexOf(`ip link set dev ${member} down`)
            const enslaved = exec.indexOf(`ip link set dev ${member} master ${bond.name}`)
            const up = exec.indexOf(`ip link set dev ${member} up`)
            expect(down, member).toBeGreaterThanOrEqual(0)
            expect(down).toBeLessThan(enslaved)
            expect(enslaved).toBeLessThan(up)
          }
        }
        for (const v of node.virtual!) expect(exec, `${node.name} ${v.name}`).toContain(`ip link set dev ${v.name} up`)
      }
    }
    const vxlanLeaves = shippedPlan('linux-links').nodes.filter((n) => n.virtual?.some((v) => v.kind === 'vxlan'))
    expect(vxlanLeaves.length).toBeGreaterThan(1)
    for (const leaf of vxlanLeaves) {
      const vxlan = leaf.virtual!.find((v) => v.kind === 'vxlan')!
      for (const remote of vxlan.vxlan!.remotes) expect(nodeExec(leaf)).toContain(`bridge fdb append 00:00:00:00:00:00 dev ${vxlan.name} dst ${remote}`)
    }
  })

  it('containers: each host binds its containers.sh (the qemu provider\'s script) and runs it last; its containers are no nodes of their own', () => {
    for (const name of ['ipvlan-containers', 'bridged-containers', 'fan']) {
      const plan = shippedPlan(name)
      const clab = parse(containerlabTopology(plan)) as ClabTopology
      const hosts = plan.nodes.filter((n) => n.containers)
      expect(hosts.length, name).toBeGreaterThan(0)
      for (const host of hosts) {
        expect(clab.topology.nodes[host.name].exec.at(-1)).toBe('sh -e /lab/containers.sh')
        for (const container of host.containers!.names) expect(clab.topology.nodes[container], container).toBeUndefined()
      }
    }
    // A bridge host starts with its address on the uplink, as a VM does; its script moves it onto the bridge, as in netns.
    const plan = shippedPlan('bridged-containers')
    const bridgeHost = plan.nodes.find((n) => n.containers?.bridge)!
    const uplink = bridgeHost.interfaces.find((i) => i.name === bridgeHost.containers!.parent)!
    expect(nodeExec(bridgeHost)).toContain(`ip address add ${uplink.ipv4} dev ${uplink.name}`)
    expect(containerScript(plan, bridgeHost)).toContain(`address add ${uplink.ipv4} dev ${bridgeHost.containers!.bridge}`)
  })

  it('lab export writes each container host\'s containers.sh, the qemu provider\'s script, beside the topology', () => {
    const out = path.join(scratch, 'fan')
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'export', 'fan', '--format', 'containerlab', '--out', out, '--json'], {cwd: ROOT, encoding: 'utf8'})
    expect(result.status, result.stderr).toBe(0)
    const plan = shippedPlan('fan')
    const hosts = plan.nodes.filter((n) => n.containers)
    expect(hosts.length).toBeGreaterThan(1)
    for (const host of hosts) expect(readFileSync(path.join(out, host.name, 'containers.sh'), 'utf8')).toBe(containerScript(plan, host))
  })

  it('lab export writes the topology beside the lab\'s own rendered files (--json)', () => {
    const out = path.join(scratch, 'two')
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'export', 'two-spine-two-leaf', '--format', 'containerlab', '--out', out, '--json'], {cwd: ROOT, encoding: 'utf8'})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({lab: 'two-spine-two-leaf', format: 'containerlab', topology: path.join(out, 'two-spine-two-leaf.clab.yml')})
    const clab = parse(readFileSync(report.topology, 'utf8')) as ClabTopology
    for (const bind of Object.values(clab.topology.nodes).flatMap((n) => n.binds ?? [])) expect(existsSync(path.join(out, bind.split(':')[0]))).toBe(true)
    const files = renderer()(shippedPlan('two-spine-two-leaf'))
    for (const file of files.filter((f) => f.path.endsWith('frr.conf'))) expect(readFileSync(path.join(out, file.path), 'utf8')).toBe(file.content)
    const missing = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'export', 'two-spine-two-leaf', '--out', out], {cwd: ROOT, encoding: 'utf8'})
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/Missing required flag format/)
  })
})
