// The box cache: what makes a cached box current, and what mmdebstrap is asked for.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {BOX_PACKAGES, boxPaths, boxState, MANIFEST_VERSION, recipeHash} from '../../src/box/box.js'
import {mmdebstrapArgv} from '../../src/box/build.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

function fakeBox(recipe: string, leaveOut: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-box-test-'))
  dirs.push(dir)
  const paths = boxPaths(dir)
  for (const file of [paths.disk, paths.kernel, paths.initrd, paths.key, paths.hostKey]) if (!leaveOut.includes(path.basename(file))) writeFileSync(file, 'x')
  writeFileSync(paths.manifest, JSON.stringify({version: MANIFEST_VERSION, name: 'debian12-frr', recipe, files: {}}))
  return dir
}

describe('box cache', () => {
  it('the recipe hash is stable', () => {
    expect(recipeHash()).toMatch(/^[0-9a-f]{16}$/)
    expect(recipeHash()).toBe(recipeHash())
  })

  it('is ready with every file and the current recipe; stale with another; incomplete without a file; missing when empty', () => {
    expect(boxState(fakeBox(recipeHash())).state).toBe('ready')
    expect(boxState(fakeBox('0000000000000000')).state).toBe('stale')
    const incomplete = boxState(fakeBox(recipeHash(), ['root.qcow2']))
    expect(incomplete).toEqual({state: 'incomplete', missing: ['root.qcow2']})
    const empty = mkdtempSync(path.join(tmpdir(), 'lab-box-test-'))
    dirs.push(empty)
    expect(boxState(empty).state).toBe('missing')
    mkdirSync(path.join(empty, 'leftover'))
    expect(boxState(empty).state).toBe('incomplete')
  })
})

describe('mmdebstrap', () => {
  it('builds bookworm in root mode with every package and the customize hook, quoted', () => {
    const argv = mmdebstrapArgv('/stage/rootfs', '/stage dir/guest')
    expect(argv.slice(0, 3)).toEqual(['mmdebstrap', '--mode=root', '--variant=apt'])
    const include = argv.find((a) => a.startsWith('--include='))!.slice('--include='.length).split(',')
    expect(include).toEqual([...BOX_PACKAGES])
    for (const needed of ['frr', 'ifupdown2', 'iproute2', 'iperf3', 'traceroute', 'tcpdump', 'iputils-ping', 'openssh-server', 'sudo', 'systemd-sysv', 'linux-image-cloud-amd64']) expect(include).toContain(needed)
    expect(argv).toContain(`--customize-hook=sh '/stage dir/guest/customize.sh' "$1" '/stage dir/guest'`)
    const suite = argv.indexOf('bookworm')
    expect(argv[suite + 1]).toBe('/stage/rootfs')
  })
})
