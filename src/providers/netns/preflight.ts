// Can this machine run a netns lab? Every problem found, each with its fix; nothing is created.
import {readFileSync} from 'node:fs'
import type {LabPlan} from '../../plan/plan.js'
import {UsageError} from '../../io/errors.js'
import {userExists} from '../../linux/accounts.js'
import {frrDaemon, frrDir, isExecutable, vtyshPath, which} from '../../io/tools.js'

const CAP_NET_ADMIN = 12
const CAP_SYS_ADMIN = 21

interface Problem {
  problem: string
  fix: string
  packages?: string[]
}

export function netnsPreflightProblems(plan: LabPlan): Problem[] {
  const problems: Problem[] = []
  if (process.platform !== 'linux') {
    return [{problem: `the netns provider needs Linux (this is ${process.platform})`, fix: 'use --provider vagrant'}]
  }
  if (!hasAdminCapabilities()) {
    problems.push({problem: 'lab needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) to create namespaces', fix: 'run it with sudo'})
  }
  if (!which('ip')) problems.push({problem: '`ip` (iproute2) is not installed', fix: 'apt-get install iproute2', packages: ['iproute2']})
  for (const name of ['nsenter', 'unshare', 'setpriv'] as const) {
    if (!which(name)) problems.push({problem: `\`${name}\` (util-linux) is not installed`, fix: 'apt-get install util-linux', packages: ['util-linux']})
  }
  if (!which('perl')) problems.push({problem: '`perl` is not installed (each node makes the machine read-only with it)', fix: 'apt-get install perl-base', packages: ['perl-base']})
  if (!which('sysctl')) problems.push({problem: '`sysctl` (procps) is not installed', fix: 'apt-get install procps', packages: ['procps']})

  const daemons = [...new Set(plan.nodes.flatMap((n) => n.daemons))]
  const missing = daemons.filter((d) => !isExecutable(frrDaemon(d)))
  if (missing.length > 0) {
    problems.push({problem: `FRR daemons not found in ${frrDir()}: ${missing.join(', ')}`, fix: 'apt-get install frr (or set LAB_FRR_DIR to where zebra and bgpd are)', packages: ['frr']})
  }
  if (daemons.length > 0 && !isExecutable(vtyshPath())) {
    problems.push({problem: `vtysh not found (${vtyshPath()})`, fix: 'apt-get install frr (or set LAB_VTYSH)', packages: ['frr']})
  }
  if (daemons.length > 0 && !userExists('frr')) {
    problems.push({problem: 'the `frr` user does not exist (FRR daemons run as frr)', fix: 'apt-get install frr (it creates the frr user and group)', packages: ['frr']})
  }
  if (!which('iperf3')) problems.push({problem: '`iperf3` is not installed (lab verify measures bandwidth with it)', fix: 'apt-get install iperf3', packages: ['iperf3']})
  return problems
}

export function netnsPreflight(plan: LabPlan): void {
  const problems = netnsPreflightProblems(plan)
  if (problems.length === 0) return
  const packages = [...new Set(problems.flatMap((p) => p.packages ?? []))]
  const fixes = [...new Set(problems.filter((p) => !p.packages).map((p) => p.fix))]
  const fix = [...fixes, ...(packages.length > 0 ? [`apt-get install ${packages.join(' ')}`] : [])].join('; then ')
  const message = problems.length === 1
    ? `this machine cannot run a netns lab: ${problems[0].problem}`
    : `this machine cannot run a netns lab:\n${problems.map((p) => `  - ${p.problem} (fix: ${p.fix})`).join('\n')}`
  throw new UsageError(message, fix)
}

function hasAdminCapabilities(): boolean {
  if (process.getuid?.() === 0) return true
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1]
    if (!hex) return false
    const caps = BigInt(`0x${hex}`)
    return ((caps >> BigInt(CAP_NET_ADMIN)) & 1n) === 1n && ((caps >> BigInt(CAP_SYS_ADMIN)) & 1n) === 1n
  } catch {
    return false
  }
}
