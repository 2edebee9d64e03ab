// The human view of a VerifyResult: one line per check, then a summary line.
import type {CheckResult, VerifyResult} from '../types.js'

const MARK: Record<CheckResult['status'], string> = {pass: 'PASS', fail: 'FAIL', skip: 'SKIP'}

/** On a terminal, passing details are trimmed to its width; piped (CI logs), nothing is cut. */
export function formatTable(result: VerifyResult, width = process.stdout.isTTY ? process.stdout.columns : Number.POSITIVE_INFINITY): string {
  const kindWidth = Math.max(4, ...result.checks.map((c) => c.kind.length))
  const nameWidth = Math.min(36, Math.max(5, ...result.checks.map((c) => c.name.length)))
  const header = `${'     '} ${'KIND'.padEnd(kindWidth)}  ${'CHECK'.padEnd(nameWidth)}  ${'TIME'.padStart(7)}  DETAIL`
  const lines = result.checks.map((c) => {
    const time = c.status === 'skip' ? '' : formatMs(c.durationMs)
    const prefix = `${MARK[c.status]}  ${c.kind.padEnd(kindWidth)}  ${c.name.padEnd(nameWidth)}  ${time.padStart(7)}  `
    // Failures are the point: never cut their detail. Passing details may be trimmed to the terminal.
    const room = Math.max(20, width - prefix.length)
    const detail = c.status !== 'fail' && c.detail.length > room ? `${c.detail.slice(0, room - 1)}…` : c.detail
    return `${prefix}${detail}`
  })
  return [header, ...lines, '', summaryLine(result)].join('\n')
}

export function summaryLine(result: VerifyResult): string {
  const verdict = result.failed > 0 ? 'FAILED' : 'OK'
  return `${verdict}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped in ${formatMs(result.durationMs)} (lab ${result.lab}, provider ${result.provider})`
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
