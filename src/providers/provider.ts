// What every provider offers: a spec (name, limits, the files it adds to a lab, all pure and cheap to
// load) and a runtime loaded only when a lab is built or inspected. The runtime is kept to a handful
// of methods (containerlab's lesson: not a 40-method Node).
import type {DaemonControl, NodeExecutor} from '../io/executor.js'
import type {Progress} from '../io/progress.js'
import type {RouterStatus} from '../frr/sessions.js'
import type {ProviderFiles} from '../render/render.js'
import type {LabPlan} from '../plan/plan.js'

/** Who a lab belongs to (the real user behind sudo, or a class's student). */
export interface LabOwner {
  uid: number
  user: string
}

export interface UpOptions {
  labDir: string
  /** Recorded as the lab's owner; default: whoever runs lab. */
  owner?: LabOwner
  signal: AbortSignal
  progress: Progress
  /** Bound on the convergence wait. */
  timeoutMs: number
}

export interface UpResult {
  lab: string
  provider: string
  nodes: number
  links: number
  sessions: number
  buildMs: number
  convergenceMs: number
}

/** What `down` removed: counts and names, for people (`lab down`) and programs (--json) alike. */
export interface TeardownReport {
  lab: string
  /** Processes ended: daemons and anything else running in the lab's nodes. */
  processes: number
  /** Namespaces (netns) or machines (VMs) deleted. */
  namespaces: string[]
  /** Bind mounts undone. */
  mounts: number
  /** Files and directories removed (run directory, state file), relative to the working directory. */
  paths: string[]
}

export interface DaemonStatus {
  name: string
  pid?: number
  alive: boolean
}

export interface NodeStatus {
  name: string
  role: string
  /** netns: the node's namespace exists; vagrant: the VM runs. */
  running: boolean
  hostname?: string
  daemons: DaemonStatus[]
  /** Traffic impairments (netem and other root qdiscs) on its ports; absent when there are none or they could not be read. */
  impairments?: Impairment[]
}

/** A root qdisc on a port that changes traffic: `tc qdisc … netem delay 40ms loss 2%`. */
export interface Impairment {
  port: string
  /** The qdisc: netem (delay, jitter, loss, rate) or another shaper. */
  kind: string
  delay?: string
  jitter?: string
  loss?: string
  rate?: string
}

export interface LinkStatus {
  a: string
  b: string
  up: boolean
}

export interface LabStatus {
  lab: string
  provider: string
  /** up: all running and every session Established; degraded: something is not; down: nothing exists. */
  state: 'up' | 'degraded' | 'building' | 'down'
  healthy: boolean
  nodes: NodeStatus[]
  links: LinkStatus[]
  bgp: RouterStatus[]
  /** OSPF labs: each router's adjacencies (state Full when up). */
  ospf?: RouterStatus[]
  convergenceMs?: number
  /** Who brought it up, where the provider records it (netns). */
  owner?: string
}

export interface Provider {
  readonly name: string
  /** Check the machine can run the lab; throws UsageError with the fix. Creates nothing. */
  preflight(plan: LabPlan): Promise<void>
  up(plan: LabPlan, options: UpOptions): Promise<UpResult>
  down(lab: string, labDir: string): Promise<TeardownReport>
  executor(lab: string, labDir: string): NodeExecutor
  /** Stop/start single FRR daemons (the `daemon` fault); absent where the provider cannot. */
  daemonControl?(lab: string, labDir: string): DaemonControl
  /** What runs now: nodes, daemons, links, BGP sessions. */
  status(lab: string, labDir: string): Promise<LabStatus>
  /** Names of labs this provider has anything of on this machine (up, building, or left over). */
  labs(): Promise<string[]>
  /** An interactive shell (or argv with the terminal attached) on a node; resolves to its exit code. */
  attach(lab: string, labDir: string, node: string, argv: readonly string[]): Promise<number>
}

/** A provider's limit on links per node, checked at validate time. */
export interface LinkPortLimitSpec {
  maxLinkPorts: number
  /** Completes "<node> has N links; …". */
  why: string
  fix: string
}

export interface ProviderSpec {
  readonly name: string
  /** One line for help texts. */
  readonly summary: string
  readonly linkPortLimit?: LinkPortLimitSpec
  /** Files it adds to the lab directory beside plan.json and the FRR files. */
  readonly files?: ProviderFiles
  /** The runtime (processes, namespaces, VMs), loaded on first use. */
  load(): Promise<Provider>
}
