// The qemu provider's runtime: lab drives QEMU itself, one VM per node booted from the locally built
// box (`lab box build`) with the node's rendered files passed in through fw_cfg; links as UDP sockets
// on 127.0.0.1, SSH on a loopback port; no daemon, no bridge, no tap, no NAT.
import {accessSync, constants, existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {boxPaths, boxState} from '../../box/box.js'
import {OperationError, UsageError} from '../../io/errors.js'
import type {NodeExecutor} from '../../io/executor.js'
import {labsRoot} from '../../io/paths.js'
import {run} from '../../io/process.js'
import type {LabPlan} from '../../plan/plan.js'
import type {LabStatus, Provider} from '../provider.js'
import {attachQemu, qemuExecutor} from './executor.js'
import {readQemuState} from './state.js'
import {qemuStatus} from './status.js'
import {teardownQemu} from './teardown.js'
import {QEMU, qemuUp} from './up.js'

export const qemuProvider: Provider = {
  name: 'qemu',

  async preflight(plan: LabPlan) {
    const problems: string[] = []
    const fixes: string[] = []
    for (const [program, pkg] of [[QEMU, 'qemu-system-x86'], ['qemu-img', 'qemu-utils'], ['tar', 'tar']] as const) {
      const found = await run(['sh', '-c', 'command -v "$1"', 'sh', program])
      if (found.exitCode !== 0) {
        problems.push(`\`${program}\` is not installed`)
        fixes.push(`apt-get install ${pkg}`)
      }
    }
    const box = boxState()
    if (box.state !== 'ready') {
      problems.push(box.state === 'missing' ? 'the VM box is not built' : box.state === 'stale' ? 'the VM box was built from an older recipe' : `the VM box is incomplete (missing ${box.missing.join(', ')})`)
      fixes.push('lab box build')
    }
    if (box.state === 'ready') {
      try {
        accessSync(boxPaths().key, constants.R_OK)
      } catch {
        problems.push(`the box's SSH key ${boxPaths().key} cannot be read by this user`)
        fixes.push('run lab as the user that built the box (root: sudo lab …), or set LAB_BOX_DIR to a box of your own')
      }
    }
    if (problems.length > 0) throw new UsageError(`this machine cannot run a qemu lab: ${problems.join('; ')}`, [...new Set(fixes)].join('; then '))
  },

  up: qemuUp,

  async down(lab: string, labDir: string) {
    const {report, leftovers} = await teardownQemu(lab, labDir)
    if (leftovers.length > 0) throw new OperationError(`lab ${lab} was not fully removed: ${leftovers.join('; ')}`, `run lab down ${lab} again`)
    return report
  },

  executor(lab: string, labDir: string): NodeExecutor {
    return qemuExecutor(lab, labDir)
  },

  async status(lab: string, labDir: string): Promise<LabStatus> {
    return qemuStatus(lab, labDir, qemuExecutor(lab, labDir))
  },

  async labs() {
    const root = labsRoot()
    if (!existsSync(root)) return []
    return readdirSync(root)
      .filter((entry) => readQemuState(path.join(root, entry))?.lab === entry)
      .sort()
  },

  attach: attachQemu,
}
