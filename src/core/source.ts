// Parse YAML keeping source positions, so every diagnostic can name file:line:column.
import {isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import type {Diagnostic, YamlPath} from './diagnostics.js'

export interface SourceDocument {
  file: string
  data: unknown
  /** YAML syntax problems (already located). */
  syntaxErrors: Diagnostic[]
  locate(diagnostic: Diagnostic): Diagnostic
}

export function parseSource(text: string, file: string): SourceDocument {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, uniqueKeys: true, prettyErrors: false})
  const position = (offset: number) => {
    const {line, col} = lineCounter.linePos(offset)
    return {line, column: col}
  }
  // An error found at the end of the file (an unclosed [ or quote) belongs to the last line with content.
  const contentEnd = text.trimEnd().length
  const syntaxErrors: Diagnostic[] = doc.errors.map((error) => ({
    severity: 'error',
    message: error.code === 'DUPLICATE_KEY' ? `duplicate key ${keyAt(text, error.pos[0])}: a key must appear only once in a mapping` : `YAML: ${error.message.split('\n')[0]}`,
    fix: error.code === 'DUPLICATE_KEY' ? 'remove or rename one of the two' : 'fix the YAML syntax at this place',
    path: [],
    file,
    ...position(error.pos[0] >= contentEnd && contentEnd > 0 ? contentEnd : error.pos[0]),
  }))
  const data = syntaxErrors.length > 0 ? undefined : doc.toJS({maxAliasCount: 100})
  return {
    file,
    data,
    syntaxErrors,
    locate(diagnostic) {
      const offset = offsetOf(doc, diagnostic.path, diagnostic.atKey ?? false)
      return {...diagnostic, file, ...position(offset)}
    },
  }
}

/** The key written at `offset`, quoted for a message. */
function keyAt(text: string, offset: number): string {
  const token = /^("[^"\n]*"|'[^'\n]*'|[^:\s,{}[\]]+)/.exec(text.slice(offset))?.[1]
  return token ? `"${token.replace(/^["']|["']$/g, '')}"` : ''
}

/** Start offset of the deepest node on `path` that exists (so a missing key points at its parent). */
function offsetOf(doc: Document, path: YamlPath, atKey: boolean): number {
  let node: unknown = doc.contents
  let offset = rangeStart(node) ?? 0
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) break
      if (last && atKey) return rangeStart(pair.key) ?? offset
      node = pair.value
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment]
      offset = rangeStart(node) ?? offset
    } else break
  }
  return offset
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0]
}
