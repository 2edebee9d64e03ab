// `lab down` of a qemu lab stops only processes it can prove are the lab's: a recorded PID whose
// start time matches, or a PID file whose process's command line names the lab's VM directory.
// Real processes (idle node), never QEMU: a PID that is someone else's is left alone.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {procStat} from '../../src/providers/netns/procs.js'
import {labQemuPids, teardownQemu} from '../../src/providers/qemu/teardown.js'
import {vmDir, writeQemuState, type QemuState} from '../../src/providers/qemu/state.js'

const children: ChildProcess[] = []
const dirs: string[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

async function sleeper(...extra: string[]): Promise<number> {
  // One process whose /proc/PID/cmdline holds the marker, as a QEMU's holds its overlay's path.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...extra], {stdio: 'ignore'})
  children.push(child)
  await new Promise((resolve) => setTimeout(resolve, 100))
  return child.pid!
}

function labDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-qemu-teardown-'))
  dirs.push(dir)
  mkdirSync(vmDir(dir), {recursive: true})
  return dir
}

function state(dir: string, vms: {node: string; pid: number; startTime: number}[]): QemuState {
  return {
    version: 1, lab: 't', provider: 'qemu', status: 'up', cliPid: 0, startedAt: '', labDir: dir, accel: 'tcg', box: {dir: '/nonexistent', recipe: 'x'},
    vms: vms.map((v) => ({...v, sshPort: 0, overlay: path.join(vmDir(dir), `${v.node}.qcow2`), pidFile: path.join(vmDir(dir), `${v.node}.pid`), console: ''})),
  }
}

describe('qemu teardown', () => {
  it('takes a recorded PID only while its start time matches', async () => {
    const dir = labDir()
    const pid = await sleeper()
    const startTime = procStat(pid)!.startTime
    expect(labQemuPids(dir, state(dir, [{node: 'a', pid, startTime}]))).toEqual([pid])
    expect(labQemuPids(dir, state(dir, [{node: 'a', pid, startTime: startTime + 1}]))).toEqual([])
  })

  it('takes a PID file only if that process names the lab\'s VM directory', async () => {
    const dir = labDir()
    const ours = await sleeper(`${vmDir(dir)}/a.qcow2`)
    const stranger = await sleeper('/somewhere/else.qcow2')
    writeFileSync(path.join(vmDir(dir), 'a.pid'), `${ours}\n`)
    writeFileSync(path.join(vmDir(dir), 'b.pid'), `${stranger}\n`)
    expect(labQemuPids(dir, undefined)).toEqual([ours])
  })

  it('stops the lab\'s processes, removes overlays and state, and leaves a stranger running', async () => {
    const dir = labDir()
    const ours = await sleeper(`${vmDir(dir)}/a.qcow2`)
    const stranger = await sleeper()
    writeQemuState(state(dir, [{node: 'a', pid: ours, startTime: procStat(ours)!.startTime}, {node: 'b', pid: stranger, startTime: procStat(stranger)!.startTime + 7}]))
    writeFileSync(path.join(vmDir(dir), 'a.qcow2'), '')
    const {report, leftovers} = await teardownQemu('t', dir)
    expect(leftovers).toEqual([])
    expect(report).toMatchObject({lab: 't', processes: 1, namespaces: [], mounts: 0})
    expect(report.paths.map((p) => path.basename(p))).toEqual(['qemu', 'state.json'])
    expect(procStat(ours) === undefined || procStat(ours)!.state === 'Z').toBe(true)
    expect(procStat(stranger)?.state).not.toBe('Z')
    expect(existsSync(vmDir(dir))).toBe(false)
    expect(existsSync(path.join(dir, 'state.json'))).toBe(false)
    expect(await teardownQemu('t', dir)).toEqual({report: {lab: 't', processes: 0, namespaces: [], mounts: 0, paths: []}, leftovers: []})
  })
})
