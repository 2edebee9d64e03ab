// e2e: every shipped topology comes up and passes its own `lab verify` (default suite + its
// declared checks) — what a student sees after `lab up X && lab verify`. Ends with `down --all`.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {planFromText} from '../../src/topology/load.js'
import {canRunNetns, kernelHas, lab, leftovers, NOTHING_LEFT, plan, removeLab, REPO} from './netns-support.js'

const SHIPPED = readdirSync(path.join(REPO, 'topologies'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort()
/** LAB_E2E_PREFIX keeps these labs apart from other people's on a shared machine. */
const PREFIX = process.env.LAB_E2E_PREFIX ?? ''
const nameOf = (topology: string) => `${PREFIX}t-ship-${topology}`.slice(0, 24).replace(/-$/, '')

interface VerifyJson {
  lab: string
  passed: number
  failed: number
  skipped: number
  checks: {kind: string; name: string; status: string; detail: string}[]
}

/** Namespaces of labs this file did not start: `down --all` would remove them, so refuse to run beside them. */
function foreignLabs(): string[] {
  let namespaces: string[] = []
  try {
    namespaces = readdirSync('/run/netns')
  } catch {
    // no namespaces at all
  }
  return namespaces.filter((ns) => ns.startsWith('lab_') && !ns.startsWith(`lab_${PREFIX}t-ship-`))
}

describe.skipIf(!canRunNetns)('shipped topologies pass their own checks', () => {
  afterAll(async () => {
    for (const topology of SHIPPED) await removeLab(nameOf(topology))
  })

  it('runs beside no other lab (down --all at the end would remove it)', () => {
    expect(foreignLabs(), 'bring other labs down before the e2e tier').toEqual([])
  })

  for (const topology of SHIPPED) {
    it(`${topology}: up, then lab verify passes every check`, async () => {
      const name = nameOf(topology)
      const up = await lab(['up', topology, '--name', name, '--json'])
      // IPVLAN containers need CONFIG_IPVLAN (this CI's kernel has none): then the refusal must name it and leave nothing.
      if (readFileSync(path.join(REPO, 'topologies', `${topology}.yaml`), 'utf8').includes('ipvlan-l3') && !(await kernelHas('ipvlan', ['mode', 'l3']))) {
        expect(up.exitCode).toBe(1)
        expect(up.stdout + up.stderr).toContain('need the kernel\'s ipvlan (CONFIG_IPVLAN) driver')
        expect(await leftovers(name)).toEqual(NOTHING_LEFT)
        return
      }
      // The Fan needs CONFIG_NET_IPIP: the refusal names it and the VM provider (docs/containers.md).
      if (readFileSync(path.join(REPO, 'topologies', `${topology}.yaml`), 'utf8').includes('mode: fan') && !(await kernelHas('ipip'))) {
        expect(up.exitCode).toBe(1)
        expect(up.stdout + up.stderr).toContain('IPIP tunnel (CONFIG_NET_IPIP) driver')
        expect(up.stdout + up.stderr).toContain('--provider qemu')
        expect(await leftovers(name)).toEqual(NOTHING_LEFT)
        return
      }
      // Bonds, VLAN trunks and dummies need CONFIG_BONDING, CONFIG_VLAN_8021Q, CONFIG_DUMMY: netns preflight refuses them by name (docs/linux-links.md).
      const file = path.join(REPO, 'topologies', `${topology}.yaml`)
      const kinds = new Set(planFromText(readFileSync(file, 'utf8'), file).plan.nodes.flatMap((n) => (n.virtual ?? []).map((v) => v.kind)))
      const needed = [['bond', 'bond', []], ['vlan', 'vlan', ['id', '2']], ['dummy', 'dummy', []]] as const
      const missing: string[] = []
      for (const [kind, type, args] of needed) if (kinds.has(kind) && !(await kernelHas(type, [...args]))) missing.push(kind)
      if (missing.length > 0) {
        expect(up.exitCode).toBe(2)
        expect(up.stdout + up.stderr).toContain('--provider qemu') // --json: the error is on stdout
        expect(await leftovers(name)).toEqual(NOTHING_LEFT)
        return
      }
      expect(up.exitCode, up.stderr + up.stdout).toBe(0)
      const verify = await lab(['verify', name, '--json', '--wait', '10'])
      const result = JSON.parse(verify.stdout) as VerifyJson
      const failures = result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.kind} ${c.name}: ${c.detail}`)
      expect(failures).toEqual([])
      expect(verify.exitCode).toBe(0)
      expect(result).toMatchObject({lab: name, failed: 0, skipped: 0})
      expect(result.passed).toBeGreaterThan(0)
      // Every declared check ran (or replaced its default twin): the declared kinds all appear.
      for (const kind of new Set(plan(name).checks.map((c) => c.kind))) expect(result.checks.map((c) => c.kind)).toContain(kind)
    })
  }

  it('down --all removes every lab that is up', async () => {
    const down = await lab(['down', '--all'])
    expect(down.exitCode, down.stderr).toBe(0)
    for (const topology of SHIPPED) expect(await leftovers(nameOf(topology))).toEqual(NOTHING_LEFT)
    const again = await lab(['down', '--all'])
    expect(again.exitCode, again.stderr).toBe(0)
  })
})
