import {Flags} from '@oclif/core'
import {writeReportFile} from '../io/report-file.js'
import {labArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {OperationError, UsageError} from '../io/errors.js'
import {readLabPlan} from '../io/lab-plan.js'
import {resolveLab} from '../providers/registry.js'
import {formatJunit} from '../verify/report/junit.js'
import {formatTable} from '../verify/report/table.js'
import {CHECK_KINDS} from '../kinds/checks/index.js'
import type {VerifyResult} from '../verify/types.js'
import {verifyLab} from '../verify/verify.js'

export default class Verify extends BaseCommand<typeof Verify> {
  static summary = "Check a running lab: the default suite (BGP sessions, host-to-host pings, leaf-to-leaf ECMP) plus the topology's own checks"
  static needsRoot = true
  static description = `Reads state only; never changes the lab. The default suite always runs: every planned BGP session Established on every router; every host reaches every other host from its own address; every leaf reaches every other leaf's loopback over as many equal-cost paths as they share spines. Then the checks under the topology's \`verify:\` (${CHECK_KINDS.join(', ')}); one that asserts the same as a default check replaces it.

Checks run in parallel (--parallel); a failing check whose state may still be settling is retried until --wait seconds have passed since the start. iperf runs alone, at the end. Exit code 1 if any check fails.

Kinds for --only/--skip: ${CHECK_KINDS.join(', ')}.`
  static examples = [
    '<%= config.bin %> verify',
    '<%= config.bin %> verify two-spine-two-leaf --json',
    '<%= config.bin %> verify --junit reports/lab.xml --wait 30',
    '<%= config.bin %> verify --only bgp,ecmp',
    '<%= config.bin %> verify --skip iperf',
  ]
  static args = {lab: labArg}
  static flags = {
    wait: Flags.string({description: 'seconds to keep retrying failing checks while state settles (0: one attempt each)', default: '3'}),
    junit: Flags.string({description: 'also write a JUnit XML report to this file (for CI)'}),
    only: Flags.string({description: 'run only these kinds (comma-separated)', multiple: true, delimiter: ','}),
    skip: Flags.string({description: 'skip these kinds (comma-separated)', multiple: true, delimiter: ','}),
    parallel: Flags.integer({description: 'checks run at once', default: 6, min: 1, max: 64}),
  }

  async run(): Promise<VerifyResult> {
    const waitSeconds = Number(this.flags.wait)
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 3600) {
      throw new UsageError(`--wait ${this.flags.wait}: not a number of seconds`, 'give seconds between 0 and 3600, e.g. --wait 10')
    }
    const only = kinds('--only', this.flags.only)
    const skip = kinds('--skip', this.flags.skip)
    const {lab, dir, provider} = await resolveLab(this.args.lab, (lab) => `lab verify ${lab}`)
    if (!(await provider.labs()).includes(lab)) throw new UsageError(`lab ${lab} is not up`, `lab up <topology> --name ${lab}; lab status lists the labs that are up`)
    const plan = readLabPlan(lab, dir)

    const abort = new AbortController()
    const stop = () => abort.abort(new Error('interrupted'))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    // On a terminal, a line that counts up while checks finish (stderr: stdout stays the table).
    const live = process.stderr.isTTY && !this.jsonEnabled()
    let done = 0
    let failedSoFar = 0
    const onResult = live
      ? (check: {status: string}) => {
          done++
          if (check.status === 'fail') failedSoFar++
          process.stderr.write(`\r\u001B[2Kverifying ${lab}: ${done} checks done${failedSoFar ? `, ${failedSoFar} failed` : ''}…`)
        }
      : undefined
    let result: VerifyResult
    try {
      result = await verifyLab(plan, provider.executor(lab, dir), {
        onResult,
        provider: provider.name,
        concurrency: this.flags.parallel,
        waitMs: Math.round(waitSeconds * 1000),
        only,
        skip,
        signal: abort.signal,
      })
    } finally {
      if (live) process.stderr.write('\r\u001B[2K')
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }

    if (this.flags.junit) writeReportFile(this.flags.junit, formatJunit(result))
    if (!this.jsonEnabled()) this.log(formatTable(result))
    if (abort.signal.aborted) throw new OperationError('interrupted: some checks did not finish', 'run lab verify again')
    if (result.failed > 0) process.exitCode = 1
    return result
  }
}

function kinds(flag: string, values: string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined
  const list = values.map((v) => v.trim()).filter(Boolean)
  const unknown = list.filter((v) => !(CHECK_KINDS as readonly string[]).includes(v))
  if (unknown.length > 0) throw new UsageError(`${flag}: unknown check kind${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, `kinds are ${CHECK_KINDS.join(', ')}`)
  return list
}
