// Running a command on a node: inside its sandbox (all its namespaces, capabilities that cannot
// escape; nsenter + setpriv, argv only), with `vtysh` pointed at the node's own daemons. Node names are checked against the plan first.
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan} from '../../plan/plan.js'
import {didYouMean, suggest} from '../../util/suggest.js'
import {UsageError} from '../../io/errors.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {PACKAGE_ROOT} from '../../io/paths.js'
import {run} from '../../io/process.js'
import type {ExecOptions, ExecResult, NodeExecutor} from '../../io/executor.js'
import {netnsName, netnsPath, nodeRunDir} from './names.js'
import {dropCapabilities, enterNode} from './sandbox.js'
import {frrReloadPath, vtyshPath} from '../../io/tools.js'

export function checkNode(plan: LabPlan, node: string): void {
  if (plan.nodes.some((n) => n.name === node)) return
  const names = plan.nodes.map((n) => n.name)
  const guess = suggest(node, names)
  throw new UsageError(`no node "${node}" in lab ${plan.name}${didYouMean(guess)}`, `nodes: ${names.join(', ')}`)
}

/**
 * `vtysh …` ⇒ the real vtysh on this node's sockets and config dir. `frr-reload.py …` ⇒ the installed
 * script told where: it runs `<bindir>/vtysh --config_dir <confdir> --vty_socket <sock>` for every
 * step (show running-config, configure), so these options alone make it reach this node's daemons;
 * --rundir is where it writes its temporary files (the node's run dir, not /var/run/frr). Anything
 * else is unchanged.
 */
export function rewriteVtysh(argv: readonly string[], runDir: string): string[] {
  const program = argv.length > 0 ? path.basename(argv[0]) : ''
  if (program === 'vtysh') return [vtyshPath(), '--vty_socket', runDir, '--config_dir', runDir, ...argv.slice(1)]
  if (program === 'frr-reload.py') {
    return [frrReloadPath(), ...argv.slice(1), '--bindir', path.dirname(vtyshPath()), '--confdir', runDir, '--vty_socket', runDir, '--rundir', runDir]
  }
  return [...argv]
}

/** The environment inside a node: PATH starts with the vtysh shim, so a vtysh typed in a shell works too. */
export function nodeEnv(lab: string, node: string): Record<string, string> {
  return {
    PATH: `${path.join(PACKAGE_ROOT, 'libexec')}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    LAB_FRR_RUN_DIR: nodeRunDir(lab, node),
    LAB_VTYSH: vtyshPath(),
    LAB_NAME: lab,
    LAB_NODE: node,
  }
}

export function nodeArgv(lab: string, node: string, argv: readonly string[]): string[] {
  const namespace = netnsName(lab, node)
  if (!existsSync(netnsPath(namespace))) {
    throw new UsageError(`node ${node} of lab ${lab} is not running (no namespace ${namespace})`, `lab status ${lab}; lab up <topology> --name ${lab}`)
  }
  return [...enterNode(lab, node, {pid: true}), ...dropCapabilities(), ...rewriteVtysh(argv, nodeRunDir(lab, node))]
}

export class NetnsExecutor implements NodeExecutor {
  private plan?: LabPlan
  constructor(private readonly lab: string, private readonly labDir: string) {}

  async exec(node: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.plan ??= readLabPlan(this.lab, this.labDir)
    checkNode(this.plan, node)
    if (argv.length === 0) throw new UsageError('no command to run', `lab exec ${node} -- <command…>`)
    return run(nodeArgv(this.lab, node, argv), {env: nodeEnv(this.lab, node), timeoutMs: options.timeoutMs, signal: options.signal})
  }
}
