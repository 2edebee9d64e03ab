// A fault applied by hand (`lab link`, `lab impair`): the same kinds an exercise's faults use, checked
// against the running lab's plan (node and port exist, with "did you mean") before anything is done.
import {z} from 'zod'
import {UsageError} from '../io/errors.js'
import {readLabPlan} from '../io/lab-plan.js'
import {applyFault, faultReferences, FAULT_SPECS, type Fault} from '../kinds/faults/index.js'
import type {ReferenceContext} from '../kinds/checks/spec.js'
import type {LabPlan} from '../plan/plan.js'
import {resolveLab} from '../providers/registry.js'
import type {TopologyNode} from '../topology/model.js'
import {referenceContext} from '../topology/references.js'
import {Report} from '../topology/report.js'

export interface FaultByHand {
  lab: string
  fault: Fault
  /** What was done, in the network's words. */
  done: string
}

/** The schema's verdict and the references of one fault against a plan; the first problem as a UsageError. */
export function checkFaultAgainstPlan(fault: Fault, plan: LabPlan): void {
  const {kind, ...body} = fault
  const spec = FAULT_SPECS.find((s) => s.kind === kind)!
  const parsed = (spec.body(z) as z.ZodType).safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(`${kind}${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`, `lab ${kind === 'netem' ? 'impair' : kind} --help`)
  }
  checkAgainstPlan(plan, kind, (refs) => faultReferences(fault, refs))
}

/** Reference checks (nodes, `node:port`) against a running lab's plan: the first problem as a UsageError. */
export function checkAgainstPlan(plan: LabPlan, where: string, check: (refs: ReferenceContext) => void): void {
  const nodes = new Map(plan.nodes.map((n) => [n.name, {name: n.name, role: n.role, routing: n.routing} as TopologyNode]))
  const ports = new Map(plan.nodes.map((n) => [n.name, n.interfaces.map((i) => i.name)]))
  const report = new Report()
  check(referenceContext([where], nodes, report, ports))
  const problem = report.diagnostics.find((d) => d.severity === 'error')
  if (problem) throw new UsageError(problem.message, problem.fix)
}

/** `netem.delay: …` is `--delay: …` on the command line, and `link.endpoint: …` the `<node:port>` argument. */
export function inCommandLineWords(error: UsageError, kind: string): UsageError {
  const message = error.message.replace(new RegExp(`^${kind}\\.(\\w+):`), (_, key: string) => (key === 'endpoint' ? '<node:port>:' : `--${key}:`))
  return new UsageError(message, error.fix)
}

/** Resolve the lab, check the fault, apply it; Ctrl-C cancels what is still running. */
export async function applyFaultByHand(labName: string | undefined, fault: Fault, naming: (lab: string) => string): Promise<FaultByHand> {
  const {lab, dir, provider} = await resolveLab(labName, naming)
  if (!(await provider.labs()).includes(lab)) throw new UsageError(`lab ${lab} is not up`, `lab up <topology> --name ${lab}; lab status lists the labs that are up`)
  const plan = readLabPlan(lab, dir)
  try {
    checkFaultAgainstPlan(fault, plan)
  } catch (error) {
    throw error instanceof UsageError ? inCommandLineWords(error, fault.kind) : error
  }
  const abort = new AbortController()
  const stop = () => abort.abort(new Error('interrupted'))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    const done = await applyFault(fault, {plan, executor: provider.executor(lab, dir), labDir: dir, signal: abort.signal, daemons: provider.daemonControl?.(lab, dir)})
    return {lab, fault, done}
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
