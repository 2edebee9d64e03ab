// Parse YAML keeping source positions, so every diagnostic can name file:line:column.
import {isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node} from 'yaml'
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
  const syntaxError = (offset: number, message: string, fix: string): Diagnostic => ({
    severity: 'error',
    message,
    fix,
    path: [],
    file,
    ...position(offset >= contentEnd && contentEnd > 0 ? contentEnd : offset),
  })
  const syntaxErrors: Diagnostic[] = doc.errors.map((error) => {
    const offset = error.pos[0]
    switch (error.code) {
      case 'DUPLICATE_KEY':
        return syntaxError(offset, `duplicate key ${keyAt(text, offset)}: a key must appear only once in a mapping`, 'remove or rename one of the two')
      case 'MULTIPLE_DOCS':
        return syntaxError(offset, 'a second YAML document starts here; a topology file holds one', 'remove the "---" line and what follows it, or move it to a file of its own')
      case 'TAB_AS_INDENT':
        return syntaxError(offset, 'YAML: a tab is used for indentation', 'indent with spaces')
      default:
        return syntaxError(offset, `YAML: ${error.message.split('\n')[0]}`, 'fix the YAML syntax at this place')
    }
  })
  // Aliases are resolved only when converting: an alias to an anchor that is not set yet throws there.
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) === undefined) {
        syntaxErrors.push(syntaxError(alias.range?.[0] ?? 0, `YAML: alias *${alias.source} refers to no anchor &${alias.source} set before it`, `define "&${alias.source}" on an earlier value, or write the value here`))
      }
    },
    // YAML 1.2 has no merge keys: `<<: *base` would silently become a key named "<<" (a node "<<").
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        syntaxErrors.push(syntaxError(pair.key.range?.[0] ?? 0, 'YAML merge keys ("<<") are not supported in a topology file', 'write the merged keys out in full (an alias *name may still stand for a whole value)'))
      }
    },
  })
  let data: unknown
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({maxAliasCount: 100})
    } catch (error) {
      // Alias expansion beyond maxAliasCount (a "billion laughs" file) and anything else toJS refuses.
      syntaxErrors.push(syntaxError(0, `YAML: ${(error as Error).message}`, 'write the values out instead of through so many aliases'))
    }
  }
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
