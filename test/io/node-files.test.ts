// Files in a node's run dir, which root inside the node may rewrite: lab never follows a link there.
import {linkSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {readNodeText, writeNodeFile} from '../../src/io/node-files.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-node-files-'))
const secret = path.join(dir, 'machine-secret')
writeFileSync(secret, 'the machine\'s\n')
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('node files', () => {
  it('reads a plain file', () => {
    writeFileSync(path.join(dir, 'zebra.pid'), '42\n')
    expect(readNodeText(path.join(dir, 'zebra.pid'))).toBe('42\n')
  })

  it('refuses a symbolic link put in place of a file', () => {
    symlinkSync(secret, path.join(dir, 'capture.pcap'))
    expect(() => readNodeText(path.join(dir, 'capture.pcap'))).toThrow(/ELOOP|not a plain file/)
  })

  it('refuses a hard link to another file', () => {
    linkSync(secret, path.join(dir, 'bgpd.log'))
    expect(() => readNodeText(path.join(dir, 'bgpd.log'))).toThrow('is not a plain file of the node')
  })

  it('refuses a FIFO without blocking', async () => {
    const {execa} = await import('execa')
    await execa('mkfifo', [path.join(dir, 'fifo')])
    expect(() => readNodeText(path.join(dir, 'fifo'))).toThrow('is not a plain file of the node')
  })

  it('writes a new file in place of a link, leaving the link target alone', () => {
    const file = path.join(dir, 'frr.edited.conf')
    symlinkSync(secret, file)
    writeNodeFile(file, 'router bgp 65001\n')
    expect(lstatSync(file).isSymbolicLink()).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe('router bgp 65001\n')
    expect(readFileSync(secret, 'utf8')).toBe('the machine\'s\n')
  })
})
