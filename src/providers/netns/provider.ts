// The netns provider: a lab as network namespaces on this machine, veth pairs, real FRR per node.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import type {LabPlan} from '../../plan/plan.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {labsRoot} from '../../io/paths.js'
import {mapLimit} from '../../util/pool.js'
import type {NodeExecutor} from '../../io/executor.js'
import type {LabStatus, Provider, UpOptions, UpResult} from '../provider.js'
import {configureNode, createNamespacesAndLinks} from './build.js'
import {explainSessions, waitConverged} from '../../frr/converge.js'
import {checkNode, NetnsExecutor, nodeArgv, nodeEnv} from './exec.js'
import {checkConfigs} from '../../frr/dryrun.js'
import {checkSocketPaths, startDaemons} from './frr.js'
import {netnsName, runRoot} from './names.js'
import {netnsPreflight} from './preflight.js'
import {readState, STATE_VERSION, writeState, type LabState} from './state.js'
import {netnsStatus} from './status.js'
import {labNamespaces, teardownLab} from './teardown.js'

/** Nodes built at once: enough to overlap process start-up, few enough for a 2-core machine. */
const BUILD_CONCURRENCY = 6

/** Thrown when BGP did not converge in time: the lab stays up so it can be inspected (and fixed: exercises). */
export class NotConvergedError extends OperationError {}

export const netnsProvider: Provider = {
  name: 'netns',

  async preflight(plan: LabPlan) {
    netnsPreflight(plan)
  },

  async up(plan: LabPlan, {labDir, signal, progress, timeoutMs}: UpOptions): Promise<UpResult> {
    const existing = labNamespaces().get(plan.name) ?? []
    if (existing.length > 0) {
      throw new UsageError(`lab ${plan.name} is already up (${existing.length} namespaces exist)`, `lab down ${plan.name}; or run a second copy with --name <other-name>`)
    }
    const long = checkSocketPaths(plan, labDir)
    if (long) throw new UsageError(`socket path too long for Unix sockets (${long.length} > 107 bytes): ${long}`, 'set LAB_HOME to a shorter directory')

    // Leftovers of a crashed run with no namespace left (state file, run dir, mounts): clear them first.
    if (readState(labDir) || existsSync(runRoot(labDir))) await teardownLab(plan.name, labDir)

    progress.step(`checking ${plan.nodes.filter((n) => n.daemons.length > 0).length} rendered frr.conf files with FRR`)
    await checkConfigs(labDir, plan.nodes)
    signal.throwIfAborted()

    const started = Date.now()
    // Written before anything is created: everything listed may exist from here on.
    const state: LabState = {
      version: STATE_VERSION,
      lab: plan.name,
      provider: 'netns',
      status: 'building',
      cliPid: process.pid,
      startedAt: new Date().toISOString(),
      labDir,
      namespaces: plan.nodes.map((n) => ({node: n.name, netns: netnsName(plan.name, n.name)})),
      daemons: [],
    }
    writeState(state)
    try {
      progress.step(`creating ${plan.nodes.length} namespaces and ${plan.links.length} veth pairs`)
      await createNamespacesAndLinks(plan)
      signal.throwIfAborted()

      progress.step('configuring nodes and starting FRR')
      // Every link up before any daemon starts: each zebra's first router advertisement then finds
      // its peer's end up, which is what lets BGP unnumbered open the session at once.
      await mapLimit(plan.nodes, BUILD_CONCURRENCY, async (node) => {
        signal.throwIfAborted()
        await configureNode(plan, labDir, node)
      })
      await mapLimit(plan.nodes, BUILD_CONCURRENCY, async (node) => {
        signal.throwIfAborted()
        await startDaemons(plan, labDir, node, (record) => {
          state.daemons.push(record)
          writeState(state)
        })
        progress.detail(`${node.name}: ${node.daemons.length > 0 ? node.daemons.join(', ') : `${node.interfaces.map((i) => i.ipv4).filter(Boolean).join(', ')}, default via ${node.gateway?.address}`}`)
      })
      const buildMs = Date.now() - started
      state.buildMs = buildMs

      const executor = new NetnsExecutor(plan.name, labDir)
      progress.step('waiting for BGP to converge')
      const result = await waitConverged(plan, executor, {timeoutMs, signal, progress})
      state.status = 'up'
      state.converged = result.converged
      state.convergenceMs = result.elapsedMs
      writeState(state)
      if (!result.converged) {
        const reasons = await explainSessions(executor, result.routers, signal)
        throw new NotConvergedError(
          `lab ${plan.name} did not converge within ${Math.round(timeoutMs / 1000)} s; it is left up so you can look:\n${reasons.map((r) => `  ${r}`).join('\n')}`,
          `lab status ${plan.name}; lab exec <node> -- vtysh -c 'show bgp summary'; lab down ${plan.name}`,
        )
      }
      return {lab: plan.name, provider: 'netns', nodes: plan.nodes.length, links: plan.links.length, sessions: result.sessions, buildMs, convergenceMs: result.elapsedMs}
    } catch (error) {
      if (error instanceof NotConvergedError) throw error
      state.status = 'failed'
      writeState(state)
      progress.step(signal.aborted ? 'interrupted: tearing down what was built' : 'failed: tearing down what was built')
      const {leftovers} = await teardownLab(plan.name, labDir)
      const left = leftovers.length > 0 ? ` (could not remove: ${leftovers.join('; ')})` : ''
      if (signal.aborted) {
        throw new OperationError(`interrupted (${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}): lab ${plan.name} was torn down${left}`, 'run lab up again')
      }
      if (error instanceof Error && left) error.message += left
      throw error
    }
  },

  async down(lab: string, labDir: string) {
    const {removed, leftovers} = await teardownLab(lab, labDir)
    if (leftovers.length > 0) throw new OperationError(`lab ${lab} was not fully removed: ${leftovers.join('; ')}`, `run lab down ${lab} again; see ip netns list`)
    return {removed}
  },

  executor(lab: string, labDir: string): NodeExecutor {
    return new NetnsExecutor(lab, labDir)
  },

  async status(lab: string, labDir: string): Promise<LabStatus> {
    return netnsStatus(lab, labDir)
  },

  async labs() {
    const names = new Set(labNamespaces().keys())
    const root = labsRoot()
    if (existsSync(root)) {
      for (const entry of readdirSync(root)) {
        const state = readState(path.join(root, entry))
        if (state && state.lab === entry) names.add(entry)
      }
    }
    return [...names].sort()
  },

  async attach(lab: string, labDir: string, node: string, argv: readonly string[]) {
    checkNode(readLabPlan(lab, labDir), node)
    const command = argv.length > 0 ? argv : [process.env.SHELL || '/bin/bash']
    const full = nodeArgv(lab, labDir, node, command)
    // Ctrl-C at the terminal reaches the command on the node (ping, a shell): lab itself must not die of it
    // and orphan the command. SIGTERM sent to lab is passed on.
    const ignore = () => {}
    process.on('SIGINT', ignore)
    process.on('SIGQUIT', ignore)
    const child = execa(full[0], full.slice(1), {stdio: 'inherit', reject: false, env: nodeEnv(labDir, lab, node)})
    const forward = () => child.kill('SIGTERM')
    process.on('SIGTERM', forward)
    try {
      const result = await child
      if (result.exitCode !== undefined) return result.exitCode
      return result.signal === 'SIGINT' ? 130 : result.signal ? 143 : 127
    } finally {
      process.off('SIGINT', ignore)
      process.off('SIGQUIT', ignore)
      process.off('SIGTERM', forward)
    }
  },
}
