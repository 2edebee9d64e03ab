import {Flags} from '@oclif/core'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {endpointArg, labFlag} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {checkAgainstPlan, inCommandLineWords} from '../cli/faults.js'
import {asClassMember} from '../io/acting-user.js'
import {OperationError, UsageError} from '../io/errors.js'
import type {NodeExecutor} from '../io/executor.js'
import {readLabPlan} from '../io/lab-plan.js'
import {machineDir} from '../io/paths.js'
import {splitEndpoint} from '../kinds/faults/endpoint.js'
import {captureArgv, captureEndedNormally, packetsCaptured, type CaptureRequest} from '../linux/tcpdump.js'
import {resolveLab} from '../providers/registry.js'

export interface CaptureResult {
  lab: string
  endpoint: string
  file?: string
  packets?: number
  /** Decoded packets, when there is no --out and the output was asked as JSON. */
  decoded?: string[]
}

export default class Capture extends BaseCommand<typeof Capture> {
  static summary = 'Capture packets on one end of a link (tcpdump inside the node), decoded or to a pcap file'
  static needsRoot = true
  static description = `Bounded: it stops after --count packets or --seconds seconds, whichever comes first (default: 10 s, or 60 s with --count), or on Ctrl-C; tcpdump always ends cleanly and the file is complete. With --out the file is written into the node's run directory (netns nodes see the machine read-only) and then moved to the path given. (A VM provider would write it on the VM and copy it back.)`
  static examples = ['<%= config.bin %> capture leaf1:swp51 --count 10', '<%= config.bin %> capture spine1:swp1 --seconds 30 --out /tmp/spine1-swp1.pcap', '<%= config.bin %> capture --lab second-copy host1:eth1 --count 5 --json']
  static args = {endpoint: endpointArg}
  static flags = {
    lab: labFlag,
    count: Flags.integer({description: 'stop after this many packets', min: 1, max: 1_000_000}),
    seconds: Flags.integer({description: 'stop after this many seconds (default 10, or 60 with --count)', min: 1, max: 86_400}),
    out: Flags.string({description: 'write a pcap file here instead of printing decoded packets'}),
  }

  async run(): Promise<CaptureResult> {
    const {count, out} = this.flags
    const file = out === undefined ? undefined : path.resolve(out)
    if (file && !existsSync(path.dirname(file))) throw new UsageError(`--out ${out}: directory ${path.dirname(file)} does not exist`, 'create it first, or write the file somewhere else')
    const {lab, dir, provider} = await resolveLab(this.flags.lab, (lab) => `lab capture --lab ${lab} ${this.args.endpoint}`)
    if (!(await provider.labs()).includes(lab)) throw new UsageError(`lab ${lab} is not up`, `lab up <topology> --name ${lab}; lab status lists the labs that are up`)
    try {
      checkAgainstPlan(readLabPlan(lab, dir), 'capture', (refs) => refs.endpoint('endpoint', this.args.endpoint))
    } catch (error) {
      throw error instanceof UsageError ? inCommandLineWords(error, 'capture') : error
    }
    const {node, port} = splitEndpoint(this.args.endpoint)
    // A netns node sees the machine read-only: tcpdump writes into the node's run dir (the same path
    // inside and out), and lab moves the file where it was asked.
    const inNode = file && provider.name === 'netns' ? path.join(machineDir(lab), 'run', node, `capture-${process.pid}.pcap`) : file
    const request: CaptureRequest = {port, seconds: this.flags.seconds ?? (count === undefined ? 10 : 60), ...(count !== undefined && {count}), ...(inNode && {file: inNode})}
    const argv = captureArgv(request)
    if (!file && !this.jsonEnabled()) {
      // Decoded packets live on the terminal; Ctrl-C reaches tcpdump, which stops and prints its counts.
      const exitCode = await provider.attach(lab, dir, node, argv)
      if (!captureEndedNormally(exitCode)) process.exitCode = exitCode === 127 ? 1 : exitCode
      return {lab, endpoint: this.args.endpoint}
    }
    try {
      return await this.captureToValue(lab, provider.executor(lab, dir), node, argv, file)
    } finally {
      if (file && inNode && inNode !== file && existsSync(inNode)) {
        const pcap = readFileSync(inNode)
        rmSync(inNode, {force: true})
        asClassMember(() => writeFileSync(file, pcap)) // a class member's file, with their own rights
      }
    }
  }

  /** Through the executor: the counts (and decoded lines) become the command's value. Ctrl-C ends tcpdump cleanly. */
  private async captureToValue(lab: string, executor: NodeExecutor, node: string, argv: string[], file: string | undefined): Promise<CaptureResult> {
    const abort = new AbortController()
    // Ctrl-C (or a SIGINT/SIGTERM to lab alone) ends tcpdump with SIGTERM through `timeout`, which passes
    // it on; tcpdump then flushes the file and prints its counts, and lab reports them.
    const interrupted = () => abort.abort(new Error('interrupted'))
    process.on('SIGINT', interrupted)
    process.on('SIGTERM', interrupted)
    try {
      const result = await executor.exec(node, argv, {signal: abort.signal})
      if (result.exitCode === 127) throw new OperationError(`tcpdump is not installed on ${node}`, 'install the tcpdump package (scripts/setup does)')
      if (!captureEndedNormally(result.exitCode)) throw new OperationError(`tcpdump on ${this.args.endpoint} failed (exit ${result.exitCode}): ${result.stderr.trim()}`)
      const packets = packetsCaptured(result.stderr)
      this.say(file ? `${lab}: ${packets ?? '?'} packets from ${this.args.endpoint} written to ${file}` : result.stdout.trimEnd())
      return {lab, endpoint: this.args.endpoint, ...(file && {file}), ...(packets !== undefined && {packets}), ...(!file && {decoded: result.stdout.split('\n').filter(Boolean)})}
    } finally {
      process.off('SIGINT', interrupted)
      process.off('SIGTERM', interrupted)
    }
  }
}
