// Running Vagrant for a lab: in the lab directory, where libvirt's networks are (libvirt.ts), with the
// LAB_* variables the rendered Vagrantfile reads, `--machine-readable` parsed line by line as it comes
// so `lab up` can show each VM's progress. Cancelling sends SIGINT (Vagrant stops and cleans up),
// then SIGKILL if it does not end.
import {spawn} from 'node:child_process'
import {createWriteStream, mkdirSync} from 'node:fs'
import path from 'node:path'
import {createInterface} from 'node:readline'
import type {LibvirtHome} from './libvirt.js'
import {inLibvirtNetns} from './libvirt.js'
import {parseMachineReadable, type VagrantRecord} from './machine-readable.js'

/** What the rendered Vagrantfile reads (see Vagrantfile.hbs). */
export interface VagrantfileEnv {
  LAB_BOX?: string
  LAB_MEMORY?: string
  LAB_UDP_BASE: string
  LAB_LIBVIRT_DRIVER: 'kvm' | 'qemu'
  LAB_MGMT_NETWORK: string
  LAB_EMULATOR?: string
}

export interface VagrantRun {
  exitCode: number
  records: VagrantRecord[]
  stderr: string
}

const KILL_AFTER_MS = 30_000

export function vagrantEnv(env: VagrantfileEnv): Record<string, string> {
  return {...(env as unknown as Record<string, string>), VAGRANT_DEFAULT_PROVIDER: 'libvirt', VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1'}
}

export function runVagrant(
  labDir: string,
  home: LibvirtHome,
  env: VagrantfileEnv,
  args: readonly string[],
  options: {signal?: AbortSignal; onRecord?: (record: VagrantRecord) => void; /** Vagrant's raw output goes here too (for the error's fix, and to read later). */ log?: string} = {},
): Promise<VagrantRun> {
  const argv = inLibvirtNetns(home, ['vagrant', ...args, '--machine-readable'])
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {cwd: labDir, env: {...process.env, ...vagrantEnv(env)}, stdio: ['ignore', 'pipe', 'pipe']})
    const records: VagrantRecord[] = []
    if (options.log) {
      mkdirSync(path.dirname(options.log), {recursive: true})
      const log = createWriteStream(options.log)
      child.stdout.pipe(log)
      child.stderr.pipe(log)
    }
    const stderr: string[] = []
    createInterface({input: child.stdout}).on('line', (line) => {
      for (const record of parseMachineReadable(line)) {
        records.push(record)
        options.onRecord?.(record)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
    let killer: NodeJS.Timeout | undefined
    const onAbort = () => {
      child.kill('SIGINT')
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    }
    if (options.signal?.aborted) onAbort()
    else options.signal?.addEventListener('abort', onAbort, {once: true})
    child.on('error', (error) => stderr.push(String(error.message)))
    child.on('close', (code, signal) => {
      if (killer) clearTimeout(killer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve({exitCode: code ?? (signal ? 130 : 1), records, stderr: stderr.join('')})
    })
  })
}
