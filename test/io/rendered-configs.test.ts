// Real tools on real rendered output: every shipped topology is rendered into a temp directory by the
// same writer `lab render` uses, then
//   - FRR's own parser (`vtysh --dryrun -f`) reads every frr.conf,
//   - `vagrant validate` (with VirtualBox's provider checks) reads every Vagrantfile,
//   - `vagrant validate` with VAGRANT_DEFAULT_PROVIDER=libvirt reads the libvirt block too (vagrant-libvirt),
//   - every netplan.yaml parses as YAML and says what the plan says, every provision.sh passes `bash -n`.
// Each checker is also shown a broken file, to prove the test would catch one.
import {execa} from 'execa'
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseDocument} from 'yaml'
import {planFromText} from '../../src/topology/load.js'
import type {LabPlan} from '../../src/plan/plan.js'
import {renderLab} from '../../src/io/lab-dir.js'
import {vagrantFiles} from '../../src/providers/vagrant/files.js'
import {checkFrrConfig} from '../../src/frr/dryrun.js'
import {mapLimit, PROCESS_LIMIT} from '../support/limit.js'
import {REPO, shippedTopologyNames} from '../support/paths.js'

interface RenderedLab {
  name: string
  dir: string
  plan: LabPlan
  files: string[]
}

let tmp: string
let labs: RenderedLab[]
let vagrantEnv: NodeJS.ProcessEnv
/** Started once in beforeAll so the slow `vagrant validate` runs overlap with the other checks. */
let vagrantRuns: Promise<Map<string, {exitCode?: number; output: string}>>

/** A lab directory copied for breaking on purpose (without Vagrant's own .vagrant state). */
function copyLab(lab: RenderedLab, name: string): string {
  const copy = path.join(tmp, name)
  cpSync(lab.dir, copy, {recursive: true, filter: (src) => !src.includes(`${path.sep}.vagrant`)})
  return copy
}

/** FRR's own check, as `lab up` runs it (src/io/frr-check.ts). */
async function frrCheck(file: string): Promise<{ok: boolean; exitCode?: number; lines: number[]; stderr: string}> {
  const check = await checkFrrConfig(file)
  return {ok: check.ok, exitCode: check.exitCode, lines: check.lines, stderr: check.output}
}

async function vagrantValidate(dir: string): Promise<{exitCode?: number; output: string}> {
  const result = await execa('vagrant', ['validate'], {cwd: dir, env: vagrantEnv, reject: false, all: true})
  return {exitCode: result.exitCode, output: result.all ?? ''}
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-rendered-'))
  labs = shippedTopologyNames().map((name) => {
    const file = path.join(REPO, 'topologies', `${name}.yaml`)
    const {plan} = planFromText(readFileSync(file, 'utf8'), file)
    const dir = path.join(tmp, name)
    const files = renderLab(plan, dir, vagrantFiles).map((f) => f.path)
    return {name, dir, plan, files}
  })

  // A stand-in VBoxManage that answers only --version: enough for Vagrant to load its VirtualBox
  // provider and check the provider's settings, with no VirtualBox installed.
  const bin = path.join(tmp, 'bin')
  mkdirSync(bin)
  writeFileSync(path.join(bin, 'VBoxManage'), '#!/bin/sh\nif [ "$1" = "--version" ]; then echo 7.0.14r161095; exit 0; fi\necho "stand-in VBoxManage: $*" >&2\nexit 1\n')
  chmodSync(path.join(bin, 'VBoxManage'), 0o755)
  vagrantEnv = {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    VAGRANT_DEFAULT_PROVIDER: 'virtualbox',
    VAGRANT_CHECKPOINT_DISABLE: '1', // no version check over the network
    VAGRANT_HOME: path.join(tmp, 'vagrant.d'),
  }

  const misspelt = copyLab(labs.find((l) => l.name === 'two-spine-two-leaf')!, 'misspelt-memory')
  const vagrantfile = path.join(misspelt, 'Vagrantfile')
  writeFileSync(vagrantfile, readFileSync(vagrantfile, 'utf8').replaceAll('vb.memory', 'vb.memroy'))
  const dirs = [...labs.map((l) => l.dir), misspelt]
  // The first run sets the fresh VAGRANT_HOME up; several first runs at once race on it (seen in CI under load).
  vagrantRuns = vagrantValidate(dirs[0])
    .then(async (first) => [first, ...(await mapLimit(dirs.slice(1), PROCESS_LIMIT, vagrantValidate))])
    .then((results) => new Map(dirs.map((d, i) => [d, results[i]])))
  vagrantRuns.catch(() => undefined) // awaited (and reported) by the tests below
})

afterAll(async () => {
  await vagrantRuns?.catch(() => undefined)
  rmSync(tmp, {recursive: true, force: true})
}, 120_000)

describe('FRR configuration (vtysh --dryrun)', () => {
  it('accepts every rendered frr.conf of every shipped topology', async () => {
    const confs = labs.flatMap((lab) => lab.files.filter((f) => f.endsWith('/frr.conf')).map((f) => path.join(lab.dir, f)))
    const routers = labs.reduce((n, lab) => n + lab.plan.nodes.filter((node) => node.daemons.length > 0).length, 0)
    expect(confs.length).toBe(routers)
    expect(confs.length).toBeGreaterThan(20)
    const results = await mapLimit(confs, PROCESS_LIMIT, frrCheck)
    const failed = confs.map((file, i) => ({file: path.relative(tmp, file), ...results[i]})).filter((r) => !r.ok)
    expect(failed).toEqual([])
  })

  it('accepts every shape of a leaf\'s host filter: default, widened by accept: (numbered session), accept: any', async () => {
    const file = path.join(REPO, 'test/fixtures/host-filter/host-filter.yaml')
    const {plan} = planFromText(readFileSync(file, 'utf8'), file)
    const dir = path.join(tmp, 'host-filter')
    const confs = renderLab(plan, dir, vagrantFiles).filter((f) => f.path.endsWith('/frr.conf')).map((f) => path.join(dir, f.path))
    expect(confs).toHaveLength(6)
    const results = await mapLimit(confs, PROCESS_LIMIT, frrCheck)
    expect(confs.map((c, i) => ({file: path.relative(tmp, c), ...results[i]})).filter((r) => !r.ok)).toEqual([])
    const leaf2 = readFileSync(path.join(dir, 'leaf2', 'frr.conf'), 'utf8')
    expect(leaf2).toContain('  neighbor 10.9.0.1 prefix-list FROM_host2 in\n')
    expect(leaf2).toContain('ip prefix-list FROM_host2 seq 20 permit 192.0.2.0/24 le 32\n')
    expect(leaf2).not.toMatch(/swp2 prefix-list|FROM_host3/)
    expect(readFileSync(path.join(dir, 'leaf1', 'frr.conf'), 'utf8')).toContain('  neighbor swp1 prefix-list FROM_host1 in\n')
  })

  it('would catch a broken frr.conf and name the bad line', async () => {
    const lab = labs.find((l) => l.name === 'two-spine-two-leaf')!
    const original = readFileSync(path.join(lab.dir, 'leaf1', 'frr.conf'), 'utf8').split('\n')
    const breakages = [
      {find: ' neighbor fabric remote-as external', replace: ' neighbor fabric remote-as externl'},
      {find: ' bgp router-id 10.0.0.3', replace: ' bgp router-id 10.0.0'},
      {find: 'ip prefix-list LOCAL_PREFIXES seq 10 permit 10.0.0.3/32', replace: 'ip prefix-list LOCAL_PREFIXES seq 10 permit 10.0.0.300/32'},
      // FRR 8.4 exits 0 on this one (the trailing "exit" lines reset its status): caught by the named line.
      {find: 'router bgp 65001', replace: 'router bgpx 65001'},
    ]
    for (const [i, {find, replace}] of breakages.entries()) {
      const index = original.indexOf(find)
      expect(index, find).toBeGreaterThanOrEqual(0)
      const broken = path.join(tmp, `broken-${i}.conf`)
      writeFileSync(broken, original.map((line, n) => (n === index ? replace : line)).join('\n'))
      const result = await frrCheck(broken)
      expect(result.ok, replace).toBe(false)
      expect(result.lines[0], replace).toBe(index + 1)
      expect(result.stderr).toContain(replace.trim())
    }
  })
})

describe('Vagrantfile (vagrant validate, VirtualBox provider)', () => {
  it('validates every rendered Vagrantfile', async () => {
    const results = await vagrantRuns
    for (const lab of labs) {
      const result = results.get(lab.dir)!
      expect({lab: lab.name, exitCode: result.exitCode, output: result.output}).toEqual({lab: lab.name, exitCode: 0, output: 'Vagrantfile validated successfully.'})
    }
    // One `vagrant validate` per shipped topology (ten now), a few at a time: on a loaded 2-core machine more than a minute.
  }, 180_000)

  it('would catch a misspelt VirtualBox setting (vb.memroy)', async () => {
    const result = (await vagrantRuns).get(path.join(tmp, 'misspelt-memory'))!
    expect(result.exitCode).not.toBe(0)
    expect(result.output).toContain('VirtualBox Provider:')
    expect(result.output).toContain("The following settings shouldn't exist: memroy")
  })
})

describe('Vagrantfile (vagrant validate, libvirt provider)', () => {
  it('validates the libvirt block of every rendered Vagrantfile, and would catch a misspelt libvirt setting', async () => {
    const broken = copyLab(labs[0], 'misspelt-libvirt')
    const file = path.join(broken, 'Vagrantfile')
    writeFileSync(file, readFileSync(file, 'utf8').replace('lv.graphics_type = "none"', 'lv.graphics_typo = "none"'))
    const validate = async (dir: string) => {
      const result = await execa('vagrant', ['validate'], {cwd: dir, env: {...vagrantEnv, VAGRANT_DEFAULT_PROVIDER: 'libvirt'}, reject: false, all: true})
      return {exitCode: result.exitCode, output: result.all ?? ''}
    }
    const [bad, ...good] = await Promise.all([validate(broken), ...labs.map((lab) => validate(lab.dir))])
    labs.forEach((lab, i) => expect({lab: lab.name, ...good[i]}).toEqual({lab: lab.name, exitCode: 0, output: 'Vagrantfile validated successfully.'}))
    expect(bad.exitCode).not.toBe(0)
    expect(bad.output).toContain('Libvirt Provider:')
    expect(bad.output).toContain("The following settings shouldn't exist: graphics_typo")
  }, 180_000)
})

describe('host and provisioning files', () => {
  it('every netplan.yaml parses as YAML and carries the planned addresses and routes', () => {
    let checked = 0
    for (const lab of labs) {
      for (const node of lab.plan.nodes.filter((n) => n.role === 'host' && !n.container)) {
        const doc = parseDocument(readFileSync(path.join(lab.dir, node.name, 'netplan.yaml'), 'utf8'), {uniqueKeys: true})
        expect(doc.errors.map((e) => e.message)).toEqual([])
        type Entry = {addresses?: string[]; match?: {macaddress: string}; routes?: {to: string; via: string}[]; interfaces?: string[]; id?: number; link?: string; mtu: number}
        const {network} = doc.toJS() as {network: {version: number; ethernets: Record<string, Entry>; bonds?: Record<string, Entry>; vlans?: Record<string, Entry>}}
        expect(network.version).toBe(2)
        // Bonds and VLAN subinterfaces (docs/linux-links.md): members, parent, id, address and the routes where the gateway is.
        for (const v of node.virtual ?? []) {
          if (v.kind === 'macvlan') continue // systemd-networkd files: netplan 0.106 has no macvlan
          const entry = (v.kind === 'bond' ? network.bonds : network.vlans)?.[v.name]
          expect(entry, `${lab.name}/${node.name}: ${v.name}`).toBeDefined()
          expect(entry!.addresses).toEqual(v.ipv4 ? [v.ipv4] : undefined)
          expect(entry!.mtu).toBe(v.mtu)
          if (v.kind === 'bond') expect(entry!.interfaces).toEqual(v.members)
          else expect([entry!.id, entry!.link]).toEqual([v.vlan, v.parent])
          const routes = v.name === node.gateway?.interface ? [...lab.plan.fabricPrefixes.map((to) => ({to, via: node.gateway!.address})), {to: 'default', via: node.gateway!.address, metric: 50}] : undefined
          expect(entry!.routes).toEqual(routes)
        }
        for (const port of node.interfaces) {
          const ethernet = network.ethernets[port.name]
          expect(ethernet.addresses).toEqual(port.ipv4 ? [port.ipv4] : undefined)
          expect(ethernet.match?.macaddress).toBe(port.mac)
          // A plain host routes the fabric via its gateway, on the gateway's interface only.
          // …and its default route, as in netns, below the management NIC's in metric.
          const routes = node.routing === 'static' && port.name === node.gateway?.interface ? [...lab.plan.fabricPrefixes.map((to) => ({to, via: node.gateway!.address})), {to: 'default', via: node.gateway!.address, metric: 50}] : undefined
          expect(ethernet.routes).toEqual(routes)
        }
        if (node.loopback) expect(network.ethernets.lo.addresses).toContain(node.loopback)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('every provision.sh is executable and passes bash -n', async () => {
    const scripts = labs.flatMap((lab) => lab.files.filter((f) => f.endsWith('/provision.sh')).map((f) => path.join(lab.dir, f)))
    expect(scripts.length).toBe(labs.reduce((n, lab) => n + lab.plan.nodes.filter((node) => !node.container).length, 0))
    const results = await mapLimit(scripts, PROCESS_LIMIT, (file) => execa('bash', ['-n', file], {reject: false}))
    expect(results.map((r, i) => ({file: path.relative(tmp, scripts[i]), exitCode: r.exitCode, stderr: r.stderr}))).toEqual(scripts.map((f) => ({file: path.relative(tmp, f), exitCode: 0, stderr: ''})))
    for (const file of scripts) expect(statSync(file).mode & 0o777).toBe(0o755)
  })

  it('bash -n would catch a broken provision.sh', async () => {
    const broken = path.join(tmp, 'broken-provision.sh')
    writeFileSync(broken, readFileSync(path.join(labs[0].dir, 'leaf1', 'provision.sh'), 'utf8').replace(/\nfi\n/, '\n'))
    const result = await execa('bash', ['-n', broken], {reject: false})
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('syntax error')
  })
})
