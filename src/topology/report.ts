// Collects a topology's problems while it is resolved: every problem at once, each at its place.
import {didYouMean, listNames, suggest} from '../util/suggest.js'
import type {Diagnostic, YamlPath} from './diagnostics.js'

export class Report {
  readonly diagnostics: Diagnostic[] = []

  error(path: YamlPath, message: string, fix?: string, atKey = false): void {
    this.diagnostics.push({severity: 'error', message, fix, path, atKey})
  }

  warning(path: YamlPath, message: string, fix?: string, atKey = false): void {
    this.diagnostics.push({severity: 'warning', message, fix, path, atKey})
  }

  /** A reference to a node that does not exist, with the closest name as the fix. */
  unknownNode(path: YamlPath, name: string, what: string, known: readonly string[]): void {
    const guess = suggest(name, known)
    this.error(path, `${what}: no node named "${name}" in this topology${didYouMean(guess)}`, guess ? `write "${guess}"` : `declare ${name} under nodes, or use one of: ${listNames(known)}`)
  }
}
