// The netns provider: a lab as network namespaces on this machine, veth pairs, real FRR per node.
import {existsSync, readdirSync} from 'node:fs'
import type {LabPlan} from '../../plan/plan.js'
import {OperationError} from '../../io/errors.js'
import type {NodeExecutor} from '../../io/executor.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {runAttached} from '../../io/attached.js'
import {MACHINE_ROOT} from '../../io/paths.js'
import type {LabStatus, Provider} from '../provider.js'
import {checkNode, NetnsExecutor, nodeArgv, nodeEnv} from './exec.js'
import {netnsDaemonControl} from './daemons.js'
import {labNamespaces} from './namespaces.js'
import {netnsPreflight} from './preflight.js'
import {readState} from './state.js'
import {netnsStatus} from './status.js'
import {teardownLab} from './teardown.js'
import {netnsUp} from './up.js'

export const netnsProvider: Provider = {
  name: 'netns',

  async preflight(plan: LabPlan) {
    netnsPreflight(plan)
  },

  up: netnsUp,

  async down(lab: string, labDir: string) {
    const {report, leftovers} = await teardownLab(lab, labDir)
    if (leftovers.length > 0) throw new OperationError(`lab ${lab} was not fully removed: ${leftovers.join('; ')}`, `run lab down ${lab} again; see ip netns list`)
    return report
  },

  executor(lab: string, labDir: string): NodeExecutor {
    return new NetnsExecutor(lab, labDir)
  },

  daemonControl: netnsDaemonControl,

  async status(lab: string, labDir: string): Promise<LabStatus> {
    return netnsStatus(lab, labDir)
  },

  async labs() {
    const names = new Set(labNamespaces().keys())
    if (existsSync(MACHINE_ROOT)) {
      for (const entry of readdirSync(MACHINE_ROOT)) if (readState(entry)) names.add(entry)
    }
    return [...names].sort()
  },

  async attach(lab: string, labDir: string, node: string, argv: readonly string[]) {
    checkNode(readLabPlan(lab, labDir), node)
    const command = argv.length > 0 ? argv : [process.env.SHELL || '/bin/bash']
    const full = nodeArgv(lab, node, command)
    return runAttached(full, nodeEnv(lab, node))
  },
}
