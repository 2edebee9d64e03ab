// writeLabDir replaces a lab directory atomically, and never a directory or file that is not one.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/io/errors.js'
import {writeLabDir} from '../../src/io/lab-dir.js'

const files = [{path: 'plan.json', content: '{}\n'}, {path: 'leaf1/frr.conf', content: '!\n'}]
const roots: string[] = []
const scratch = () => {
  const root = mkdtempSync(path.join(tmpdir(), 'lab-dir-'))
  roots.push(root)
  return root
}

describe('writeLabDir', () => {
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, {recursive: true, force: true})
  })

  it('writes a new directory, and replaces an earlier lab directory, keeping state.json and run/', () => {
    const dir = path.join(scratch(), 'lab')
    writeLabDir(dir, files)
    writeFileSync(path.join(dir, 'state.json'), '{"kept":true}')
    writeFileSync(path.join(dir, 'stale.txt'), 'old render')
    writeLabDir(dir, files)
    expect(readFileSync(path.join(dir, 'leaf1/frr.conf'), 'utf8')).toBe('!\n')
    expect(readFileSync(path.join(dir, 'state.json'), 'utf8')).toBe('{"kept":true}')
    expect(existsSync(path.join(dir, 'stale.txt'))).toBe(false)
  })

  it('writes into an empty directory', () => {
    const dir = scratch()
    writeLabDir(dir, files)
    expect(existsSync(path.join(dir, 'plan.json'))).toBe(true)
  })

  it('refuses a directory with other files in it (--out .) and a file, and leaves them as they were', () => {
    const dir = scratch()
    writeFileSync(path.join(dir, 'notes.txt'), 'precious')
    expect(() => writeLabDir(dir, files)).toThrow(UsageError)
    expect(() => writeLabDir(dir, files)).toThrow(/not a lab directory/)
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('precious')
    expect(existsSync(path.join(dir, 'plan.json'))).toBe(false)
    const file = path.join(dir, 'notes.txt')
    expect(() => writeLabDir(file, files)).toThrow(/is a file/)
    expect(readFileSync(file, 'utf8')).toBe('precious')
  })
})
