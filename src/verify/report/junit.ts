// JUnit XML for CI systems: one testsuite per lab, one testcase per check (classname = lab.kind).
import type {VerifyResult} from '../types.js'

/** Escape for XML text and attribute values, dropping characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

export function formatJunit(result: VerifyResult, timestamp = new Date()): string {
  const attrs = (pairs: Record<string, string | number>) =>
    Object.entries(pairs)
      .map(([key, value]) => `${key}="${escapeXml(String(value))}"`)
      .join(' ')
  const totals = {tests: result.checks.length, failures: result.failed, errors: 0, skipped: result.skipped, time: seconds(result.durationMs)}
  const cases = result.checks.map((check) => {
    const open = `    <testcase ${attrs({classname: `${result.lab}.${check.kind}`, name: check.name, time: seconds(check.durationMs)})}`
    if (check.status === 'fail') return `${open}>\n      <failure ${attrs({message: check.detail, type: check.kind})}>${escapeXml(check.detail)}</failure>\n    </testcase>`
    if (check.status === 'skip') return `${open}>\n      <skipped ${attrs({message: check.detail})}/>\n    </testcase>`
    return `${open}>\n      <system-out>${escapeXml(check.detail)}</system-out>\n    </testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs({name: 'lab verify', ...totals})}>`,
    `  <testsuite ${attrs({name: result.lab, ...totals, timestamp: timestamp.toISOString().replace(/\.\d+Z$/, '')})}>`,
    `    <properties>\n      <property ${attrs({name: 'provider', value: result.provider})}/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
