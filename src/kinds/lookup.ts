// The one lookup every kind registry uses: a value `{kind, ...body}` to the spec of its kind. The body
// is the value itself, so the spec's methods take it whole.

/** `specFor(value)` finds the spec registered for `value.kind`; an unregistered kind is a bug (the schema let it through). */
export function specLookup<S extends {kind: string}, V extends {kind: string}, Out>(specs: readonly S[], what: string): (value: V) => Out {
  const byKind = new Map<string, S>(specs.map((spec) => [spec.kind, spec]))
  return (value) => {
    const spec = byKind.get(value.kind)
    if (!spec) throw new Error(`no ${what} kind "${value.kind}" is registered`)
    return spec as unknown as Out
  }
}
