// Problems found in a topology, each tied to a place in the file.

export type Severity = 'error' | 'warning'
export type YamlPath = ReadonlyArray<string | number>

export interface Diagnostic {
  severity: Severity
  /** What is wrong, in the network's words. */
  message: string
  /** What to do about it. */
  fix?: string
  /** Where in the document (keys and indexes) the problem sits. */
  path: YamlPath
  /** When set, point at the key itself rather than its value (unknown keys, duplicate names). */
  atKey?: boolean
  file?: string
  line?: number
  column?: number
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ` : ''
  const fix = d.fix ? `\n  fix: ${d.fix}` : ''
  return `${where}${d.severity}: ${d.message}${fix}`
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** The topology is invalid; carries every diagnostic, not just the first. */
export class TopologyError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'))
    this.name = 'TopologyError'
  }
}
