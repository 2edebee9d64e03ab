// Shared by the netns e2e tests: run the CLI as a subprocess, read a lab's plan, and prove nothing is left.
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import type {LabPlan} from '../../src/plan/plan.js'

export const REPO = path.resolve(import.meta.dirname, '..', '..')
export const BIN = path.join(REPO, 'bin', 'run.js')
export const LABS = path.join(REPO, 'labs')

/** Root, namespaces and FRR: the machine can run this tier. */
export const canRunNetns = process.getuid?.() === 0 && existsSync('/usr/lib/frr/zebra') && existsSync('/usr/bin/vtysh')

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

export async function lab(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: {...env, LAB_HOME: LABS}, timeout: 170_000})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

export function labInBackground(args: string[]): ResultPromise {
  return execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: {LAB_HOME: LABS}, buffer: true})
}

export function plan(name: string): LabPlan {
  return JSON.parse(readFileSync(path.join(LABS, name, 'plan.json'), 'utf8')) as LabPlan
}

export function namespacesOf(name: string): string[] {
  try {
    return readdirSync('/run/netns').filter((ns) => ns.startsWith(`lab_${name}_`))
  } catch {
    return []
  }
}

/** The lab's machine-wide directory: lock, state.json and the nodes' run files (whatever LAB_HOME is). */
export function machineDirOf(name: string): string {
  return `/run/lab/${name}`
}

/** Live (non-zombie) processes whose command line mentions this lab's run dir. */
export function processesOf(name: string): string[] {
  const marker = `${machineDirOf(name)}/run/`
  const found: string[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
      if (cmdline.includes(marker) && state !== 'Z') found.push(`${entry} ${cmdline}`)
    } catch {
      // gone meanwhile
    }
  }
  return found
}

export function mountsOf(name: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.includes(`/labs/${name}/`) || point.startsWith(`${machineDirOf(name)}/`))
}

/** Interfaces in the machine's own namespace carrying lab MACs (02:4c:41…): a leaked veth end. */
export async function leakedRootLinks(): Promise<string[]> {
  const result = await execa('ip', ['-j', 'link', 'show'], {reject: false})
  const links = JSON.parse(String(result.stdout) || '[]') as {ifname: string; address?: string}[]
  return links.filter((l) => l.address?.startsWith('02:4c:41')).map((l) => l.ifname)
}

export async function leftovers(name: string): Promise<{namespaces: string[]; processes: string[]; mounts: string[]; rootLinks: string[]; runDir: boolean}> {
  return {
    namespaces: namespacesOf(name),
    processes: processesOf(name),
    mounts: mountsOf(name),
    rootLinks: await leakedRootLinks(),
    // Nothing of it in /run/lab (run files, state, lock) nor in the rendered directory.
    runDir: existsSync(machineDirOf(name)) || existsSync(path.join(LABS, name, 'run')),
  }
}

export const NOTHING_LEFT = {namespaces: [], processes: [], mounts: [], rootLinks: [], runDir: false}

/** Every address each host answers on: eth addresses and, for BGP hosts, the loopback. */
export function hostAddresses(labPlan: LabPlan): Map<string, string[]> {
  return new Map(
    labPlan.nodes
      .filter((n) => n.role === 'host')
      .map((n) => [n.name, [...n.interfaces.map((i) => i.ipv4?.split('/')[0]).filter((a): a is string => Boolean(a)), ...(n.loopback ? [n.loopback.split('/')[0]] : [])]]),
  )
}

/** Every host pings every address of every other host (one packet each, in parallel). */
export async function pingMesh(name: string): Promise<string[]> {
  const addresses = hostAddresses(plan(name))
  const failures: string[] = []
  const pings: Promise<void>[] = []
  for (const from of addresses.keys()) {
    for (const [to, targets] of addresses) {
      if (to === from) continue
      for (const target of targets) {
        pings.push(
          lab(['exec', '--lab', name, from, '--', 'ping', '-c', '1', '-W', '2', target]).then((r) => {
            if (r.exitCode !== 0) failures.push(`${from} -> ${to} (${target}): ${r.stdout.trim().split('\n').at(-1)}`)
          }),
        )
      }
    }
  }
  await Promise.all(pings)
  return failures.sort()
}

/** Equal-cost next hops in the kernel of `node` towards `prefix`. */
export async function kernelPaths(name: string, node: string, address: string): Promise<number> {
  const result = await lab(['exec', '--lab', name, node, '--', 'ip', '-j', 'route', 'show', address])
  const routes = JSON.parse(result.stdout || '[]') as {nexthops?: unknown[]; gateway?: string; dev?: string}[]
  if (routes.length === 0) return 0
  return routes[0].nexthops?.length ?? 1
}

/** Teardown for afterAll/afterEach: down (idempotent), then the rendered files too. */
export async function removeLab(name: string): Promise<void> {
  await lab(['down', name])
  rmSync(path.join(LABS, name), {recursive: true, force: true})
}
