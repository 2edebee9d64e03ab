// JUnit XML for CI systems: one testsuite per lab, one testcase per check (classname = lab.kind).
import {escapeXml} from '../../util/xml.js'
import type {VerifyResult} from '../types.js'

export {escapeXml}

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
