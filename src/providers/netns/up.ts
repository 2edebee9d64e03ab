// `lab up` on netns: check the rendered configs, record what is about to exist, build namespaces and
// links, configure nodes, start FRR, wait for convergence. Any failure or signal tears down what was
// built; a convergence timeout leaves the lab up to inspect.
import {existsSync} from 'node:fs'
import {checkConfigs} from '../../frr/dryrun.js'
import {notConverged, NotConvergedError, waitConverged} from '../../frr/converge.js'
import {UsageError} from '../../io/errors.js'
import type {Progress} from '../../io/progress.js'
import type {LabPlan} from '../../plan/plan.js'
import {mapLimit} from '../../util/pool.js'
import {errorAfterTeardown} from '../failure.js'
import type {UpOptions, UpResult} from '../provider.js'
import {configureNode, createNamespacesAndLinks} from './build.js'
import {createContainerPorts} from './containers.js'
import {NetnsExecutor} from './exec.js'
import {checkSocketPaths, shareDaemonMemory, startDaemons} from './frr.js'
import {ensureMachineLimits} from './machine.js'
import {netnsName, runRoot} from './names.js'
import {currentOwner, readState, STATE_VERSION, writeState, type LabState} from './state.js'
import {teardownLab} from './teardown.js'

/** Nodes built at once: enough to overlap process start-up, few enough for a 2-core machine. */
const BUILD_CONCURRENCY = 6

export async function netnsUp(plan: LabPlan, {labDir, signal, progress, timeoutMs, owner}: UpOptions): Promise<UpResult> {
  await prepare(plan, labDir, signal, progress)
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
    owner: owner ?? currentOwner(),
    namespaces: plan.nodes.map((n) => ({node: n.name, netns: netnsName(plan.name, n.name)})),
    daemons: [],
  }
  try {
    writeState(state)
    await build(plan, labDir, state, signal, progress)
    state.buildMs = Date.now() - started
    const executor = new NetnsExecutor(plan.name, labDir)
    progress.step(`waiting for ${plan.protocol === 'ospf' ? 'OSPF' : 'BGP'} to converge`)
    const result = await waitConverged(plan, executor, {timeoutMs, signal, progress})
    Object.assign(state, {status: 'up', converged: result.converged, convergenceMs: result.elapsedMs})
    writeState(state)
    if (!result.converged) throw await notConverged(plan, executor, result, timeoutMs, signal)
    return {lab: plan.name, provider: 'netns', nodes: plan.nodes.length, links: plan.links.length, sessions: result.sessions, buildMs: state.buildMs, convergenceMs: result.elapsedMs}
  } catch (error) {
    if (error instanceof NotConvergedError) throw error
    throw await tearDownAfter(error, plan, labDir, state, signal, progress)
  }
}

/** Before anything is created: socket paths that fit, no leftovers of a crashed run, FRR accepts every config. */
async function prepare(plan: LabPlan, labDir: string, signal: AbortSignal, progress: Progress): Promise<void> {
  const long = checkSocketPaths(plan)
  if (long) throw new UsageError(`socket path too long for Unix sockets (${long.length} > 107 bytes): ${long}`, 'use a shorter lab name (--name)')
  // Leftovers of a crashed run with no namespace left (state file, run dir, mounts): clear them first.
  if (readState(plan.name) || existsSync(runRoot(plan.name))) await teardownLab(plan.name, labDir)
  ensureMachineLimits(plan, progress)
  shareDaemonMemory(plan, progress)
  progress.step(`checking ${plan.nodes.filter((n) => n.daemons.length > 0).length} rendered frr.conf files with FRR`)
  await checkConfigs(labDir, plan.nodes)
  signal.throwIfAborted()
}

async function build(plan: LabPlan, labDir: string, state: LabState, signal: AbortSignal, progress: Progress): Promise<void> {
  progress.step(`creating ${plan.nodes.length} namespaces and ${plan.links.length} veth pairs`)
  await createNamespacesAndLinks(plan)
  await createContainerPorts(plan)
  signal.throwIfAborted()
  progress.step('configuring nodes and starting FRR')
  // Every link up before any daemon starts: each zebra's first router advertisement then finds
  // its peer's end up, which is what lets BGP unnumbered open the session at once.
  let done = 0
  await mapLimit(plan.nodes, BUILD_CONCURRENCY, async (node) => {
    signal.throwIfAborted()
    await configureNode(plan, node)
    progress.count?.(++done, plan.nodes.length * 2)
  })
  await mapLimit(plan.nodes, BUILD_CONCURRENCY, async (node) => {
    signal.throwIfAborted()
    await startDaemons(plan, labDir, node, (record) => {
      state.daemons.push(record) // in memory first: the teardown after a failed write still knows it
      writeState(state)
    })
    progress.count?.(++done, plan.nodes.length * 2)
    progress.detail(`${node.name}: ${node.daemons.length > 0 ? node.daemons.join(', ') : `${node.interfaces.map((i) => i.ipv4).filter(Boolean).join(', ')}, ${node.gateway ? `default via ${node.gateway.address}` : `default dev ${node.interfaces[0]?.name}`}`}`)
  })
}

/**
 * The error to throw after tearing down what a failed or interrupted build left. Nothing is written
 * first (a full or read-only disk is often why it failed): the teardown works from the state in
 * memory, and a failure of its own is named with the original error, never instead of it.
 */
async function tearDownAfter(error: unknown, plan: LabPlan, labDir: string, state: LabState, signal: AbortSignal, progress: Progress): Promise<unknown> {
  progress.step(signal.aborted ? 'interrupted: tearing down what was built' : 'failed: tearing down what was built')
  let leftovers: string[]
  try {
    leftovers = (await teardownLab(plan.name, labDir, state)).leftovers
  } catch (teardownError) {
    leftovers = [`the teardown failed too: ${(teardownError as Error).message}; run lab down ${plan.name}`]
  }
  return errorAfterTeardown(error, plan.name, signal, leftovers)
}
