// Stopping and starting one FRR daemon of a netns node (the `daemon` fault). Both go by the PID
// recorded in state.json (and only inside the node's namespace), never by name, and a restarted daemon's new PID and start time replace the
// old record, so `lab status` sees it and `lab down` ends it like any other.
import {currentFrrConfigPath} from '../../frr/edits.js'
import {OperationError, UsageError} from '../../io/errors.js'
import type {DaemonControl} from '../../io/executor.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {readPid, startDaemon} from './frr.js'
import {statSync} from 'node:fs'
import {netnsName, netnsPath} from './names.js'
import {isAlive, netnsOf, terminate} from './procs.js'
import {readState, statePath, writeState, type DaemonRecord, type LabState} from './state.js'

function labState(lab: string): LabState {
  const state = readState(lab)
  if (!state) throw new UsageError(`lab ${lab} is not up (no state in ${statePath(lab)})`, 'lab status lists the labs that are up')
  return state
}

/** Inside the node's own network namespace: what proves a PID is this node's daemon and no other process. */
function inNode(lab: string, node: string, pid: number): boolean {
  try {
    return netnsOf(pid) === `net:[${statSync(netnsPath(netnsName(lab, node))).ino}]`
  } catch {
    return false
  }
}

/** The daemon's PID if it runs: the recorded one (checked by start time), else its pid file's; either only inside the node. */
function runningPid(state: LabState, lab: string, node: string, daemon: string): number | undefined {
  const record = state.daemons.find((d) => d.node === node && d.daemon === daemon)
  if (record && isAlive(record.pid, record.startTime) && inNode(lab, node, record.pid)) return record.pid
  const pid = readPid(lab, node, daemon)
  // A pid file without a record is trusted only if the process is alive and was recorded nowhere else.
  return pid !== undefined && !record && isAlive(pid) && inNode(lab, node, pid) ? pid : undefined
}

export function netnsDaemonControl(lab: string, labDir: string): DaemonControl {
  const plannedNode = (node: string, daemon: string) => {
    const planned = readLabPlan(lab, labDir).nodes.find((n) => n.name === node)
    if (!planned) throw new UsageError(`no node "${node}" in lab ${lab}`, 'lab status lists the nodes')
    if (!planned.daemons.includes(daemon)) throw new UsageError(`${node} runs no ${daemon} (it runs ${planned.daemons.join(', ') || 'no FRR daemons'})`, `name one of: ${planned.daemons.join(', ')}`)
    return planned
  }
  return {
    async stop(node, daemon) {
      plannedNode(node, daemon)
      const pid = runningPid(labState(lab), lab, node, daemon)
      if (pid === undefined) return false
      const stuck = await terminate([pid])
      if (stuck.length > 0) throw new OperationError(`${node}: ${daemon} (pid ${pid}) did not exit`, `lab down ${lab}`)
      return true
    },
    async start(node, daemon) {
      const planned = plannedNode(node, daemon)
      const state = labState(lab)
      if (runningPid(state, lab, node, daemon) !== undefined) return false
      const record = (started: DaemonRecord) => {
        state.daemons = [...state.daemons.filter((d) => !(d.node === node && d.daemon === daemon)), started]
        writeState(state)
      }
      await startDaemon(readLabPlan(lab, labDir), labDir, planned, daemon, currentFrrConfigPath(labDir, node), record)
      return true
    },
  }
}
