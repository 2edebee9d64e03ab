import {labArg} from '../cli/flags.js'
import {describeImpairment} from '../linux/tc.js'
import {BaseCommand} from '../cli/base-command.js'
import type {LabStatus} from '../providers/provider.js'
import {resolveLab} from '../providers/registry.js'

export default class Status extends BaseCommand<typeof Status> {
  static summary = 'Nodes, daemons, links and BGP sessions of a lab, as they are now (exit 1 when degraded)'
  static needsRoot = true
  static examples = ['<%= config.bin %> status', '<%= config.bin %> status two-spine-two-leaf --json']
  static args = {lab: labArg}

  async run(): Promise<LabStatus> {
    const {lab, dir, provider} = await resolveLab(this.args.lab, (lab) => `lab status ${lab}`)
    const status = await provider.status(lab, dir)
    if (!this.jsonEnabled()) this.log(formatStatus(status))
    if (status.state === 'degraded') process.exitCode = 1 // scripts and CI see a sick lab without parsing it
    return status
  }
}

export function formatStatus(status: LabStatus): string {
  if (status.state === 'down') return `${status.lab}: down (nothing of it runs)`
  const lines = [`${status.lab} (${status.provider}${status.owner ? `, owner ${status.owner}` : ''}): ${status.state}${status.convergenceMs === undefined ? '' : `, converged in ${(status.convergenceMs / 1000).toFixed(1)} s when it came up`}`, '', 'nodes']
  const width = Math.max(...status.nodes.map((n) => n.name.length), 4)
  for (const node of status.nodes) {
    const daemons = node.daemons.length === 0 ? '(no daemons)' : node.daemons.map((d) => `${d.name}${d.alive ? ` ${d.pid}` : ' DEAD'}`).join(', ')
    lines.push(`  ${node.name.padEnd(width)}  ${node.role.padEnd(6)}  ${node.running ? 'running' : 'MISSING'}  ${daemons}`)
    for (const impairment of node.impairments ?? []) lines.push(`  ${''.padEnd(width)}  impaired ${describeImpairment(impairment)}`)
  }
  lines.push('', 'links')
  for (const link of status.links) lines.push(`  ${link.a} -- ${link.b}  ${link.up ? 'up' : 'DOWN'}`)
  if (status.bgp.length > 0 || !status.ospf) lines.push('', 'bgp')
  for (const router of status.bgp) {
    const up = router.sessions.filter((s) => s.state === 'Established').length
    lines.push(`  ${router.node.padEnd(width)}  ${up}/${router.sessions.length} Established${router.problem ? `  (${router.problem})` : ''}`)
    for (const session of router.sessions) {
      const name = session.peerHostname ? `${session.peerHostname}(${session.neighbor})` : `${session.peer}(${session.neighbor})`
      lines.push(`    ${name.padEnd(22)} ${session.state}${session.uptime ? `  up ${session.uptime}` : session.inStateFor ? `  for ${session.inStateFor}` : ''}${session.prefixesReceived === undefined ? '' : `  ${session.prefixesReceived} prefixes`}`)
    }
  }
  if (status.ospf) {
    lines.push('', 'ospf')
    for (const router of status.ospf) {
      const full = router.sessions.filter((s) => s.state === 'Full').length
      lines.push(`  ${router.node.padEnd(width)}  ${full}/${router.sessions.length} Full${router.problem ? `  (${router.problem})` : ''}`)
      for (const s of router.sessions) lines.push(`    ${`${s.peer}(${s.neighbor})`.padEnd(22)} ${s.state}`)
    }
  }
  return lines.join('\n')
}
