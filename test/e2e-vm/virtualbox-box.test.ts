// The VirtualBox box for real, as far as a machine without VirtualBox allows: `lab box build
// --provider virtualbox` makes the .box (cached: a second call is instant) and Vagrant accepts it
// for the virtualbox provider; then the disk taken out of that .box boots under QEMU the way
// VirtualBox would boot it: SeaBIOS (no -kernel: the disk's own MBR and syslinux), the disk on an IDE
// (PIIX) controller and the NIC model box.ovf names, with the MAC of the box Vagrantfile. The guest gets
// its address by DHCP on eth0, SSH works as the user and with the key shipped in the box, sudo
// works and FRR runs. One VM, one boot.
import {execFileSync} from 'node:child_process'
import {chmodSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const BIN = path.join(REPO, 'bin', 'run.js')
const BOX = 'lab/debian12-frr'

async function lab(args: string[], timeoutMs = 900_000) {
  const started = Date.now()
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, timeout: timeoutMs})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), ms: Date.now() - started}
}

interface Built {
  built: boolean
  virtualbox: {file: string; built: boolean; box: string; version: string; added: boolean}
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

const timings: Record<string, number> = {}
let built: Built
let qemu: ResultPromise | undefined
/** The .box unpacked, the overlay and the serial log (made in beforeAll: listing the tests leaves nothing). */
let WORK = ''

describe('VirtualBox box: built, added to Vagrant, booted from its own bootloader', () => {
  beforeAll(async () => {
    WORK = mkdtempSync(path.join(tmpdir(), 'lab-e2e-vbox-'))
    const build = await lab(['box', 'build', '--provider', 'virtualbox', '--json'])
    timings.build = build.ms
    expect(build.exitCode, build.stderr).toBe(0)
    built = JSON.parse(build.stdout) as Built
  }, 900_000)

  afterAll(async () => {
    if (qemu?.pid) {
      qemu.kill('SIGKILL')
      await qemu.catch(() => undefined)
    }
    if (WORK) rmSync(WORK, {recursive: true, force: true})
    process.stderr.write(`e2e-vm virtualbox timings (ms): ${JSON.stringify(timings)}\n`)
  }, 60_000)

  it('a second build is instant, and Vagrant lists the box for virtualbox at this version', async () => {
    const again = await lab(['box', 'build', '--provider', 'virtualbox', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    const result = JSON.parse(again.stdout) as Built
    expect(result.built).toBe(false)
    expect(result.virtualbox).toMatchObject({built: false, added: false, box: BOX, file: built.virtualbox.file, version: built.virtualbox.version})
    // Making it takes ≥ 40 s; a current one only the CLI's start and two marker checks (≈ 1–2 s, more on a loaded machine).
    expect(again.ms).toBeLessThan(10_000)
    const listed = execFileSync('vagrant', ['box', 'list', '--machine-readable'], {encoding: 'utf8'})
    // box-name, box-provider, box-version records per box
    expect(listed).toMatch(new RegExp(`,box-name,${BOX}\\n[^\\n]*,box-provider,virtualbox\\n[^\\n]*,box-version,${built.virtualbox.version.replace(/\./g, '\\.')}\\n`))
  }, 120_000)

  it('the .box holds box.ovf, the VMDK, metadata.json, the Vagrantfile and the key, owner-only', () => {
    const members = execFileSync('tar', ['-tf', built.virtualbox.file], {encoding: 'utf8'}).trim().split('\n')
    expect(members).toEqual(['box.ovf', 'box-disk001.vmdk', 'metadata.json', 'Vagrantfile', 'lab_ed25519'])
    execFileSync('tar', ['-xf', built.virtualbox.file, '-C', WORK])
    expect(JSON.parse(readFileSync(path.join(WORK, 'metadata.json'), 'utf8'))).toEqual({provider: 'virtualbox'})
    expect(execFileSync('qemu-img', ['info', path.join(WORK, 'box-disk001.vmdk')], {encoding: 'utf8'})).toMatch(/create type: streamOptimized/)
    expect(readFileSync(path.join(WORK, 'box.ovf'), 'utf8')).toContain('<rasd:ResourceSubType>PIIX4</rasd:ResourceSubType>')
    // The private key inside: not readable by other users of the machine.
    expect(execFileSync('stat', ['-c', '%a', built.virtualbox.file], {encoding: 'utf8'}).trim()).toBe('600')
  })

  it('its disk boots under SeaBIOS through its own syslinux: DHCP on eth0, SSH with the box key, sudo, FRR', async () => {
    const vagrantfile = readFileSync(path.join(WORK, 'Vagrantfile'), 'utf8')
    const user = vagrantfile.match(/config\.ssh\.username = "([^"]+)"/)![1]
    const mac = vagrantfile.match(/config\.vm\.base_mac = "([0-9A-F]{12})"/)![1].match(/../g)!.join(':').toLowerCase()
    const ovf = readFileSync(path.join(WORK, 'box.ovf'), 'utf8')
    const nic = ovf.match(/<rasd:ResourceSubType>(virtio-net|E1000)<\/rasd:ResourceSubType>/)![1] === 'virtio-net' ? 'virtio-net-pci' : 'e1000'
    const key = path.join(WORK, 'lab_ed25519')
    chmodSync(key, 0o600)
    const overlay = path.join(WORK, 'disk.qcow2')
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.join(WORK, 'box-disk001.vmdk'), '-F', 'vmdk', overlay])
    const port = await freePort()
    const serial = path.join(WORK, 'serial.log')
    const started = Date.now()
    // No -kernel: SeaBIOS reads the MBR. i440FX's PIIX IDE like VirtualBox's PIIX4; TCG (KVM is not usable on this machine kind).
    qemu = execa('qemu-system-x86_64', [
      '-machine', 'pc', '-accel', 'tcg,thread=multi,tb-size=64', '-m', '512', '-display', 'none', '-monitor', 'none', '-serial', `file:${serial}`,
      '-drive', `file=${overlay},format=qcow2,if=ide`,
      '-netdev', `user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`, '-device', `${nic},netdev=mgmt,mac=${mac}`,
    ], {reject: false})
    let exited: string | undefined
    void qemu.then((r) => (exited = `QEMU exited ${String(r.exitCode)}: ${String(r.stderr)}`))
    const ssh = (command: string) => execa('ssh', ['-i', key, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=20', `${user}@127.0.0.1`, command], {reject: false, timeout: 60_000})
    let up = false
    while (!up && Date.now() - started < 480_000 && exited === undefined) {
      up = (await ssh('true')).exitCode === 0
      if (!up) await new Promise((resolve) => setTimeout(resolve, 3000))
    }
    timings.bootToSsh = Date.now() - started
    expect(exited).toBeUndefined()
    const console = readFileSync(serial, 'utf8')
    expect(up, console.slice(-3000)).toBe(true)
    // The disk's own bootloader ran (SeaBIOS → MBR → syslinux), and the kernel came from its FAT partition.
    expect(console).toContain('SYSLINUX')
    const facts = await ssh([
      'cat /proc/cmdline', 'findmnt -no SOURCE /', 'ip -4 -o addr show dev eth0', 'cat /sys/class/net/eth0/address',
      'basename "$(readlink /sys/class/net/eth0/device/driver)"', 'sudo -n vtysh -c "show version" | head -1', 'pgrep -x zebra >/dev/null && echo zebra-running || echo no-zebra', 'systemctl --failed --no-legend --plain',
    ].join('; echo ---; '))
    expect(facts.exitCode, facts.stderr).toBe(0)
    const [cmdline, root, address, ethMac, driver, frr, zebra, failed] = String(facts.stdout).split(/\n---(?:\n|$)/).map((s) => s.trim())
    expect(cmdline).toMatch(/^BOOT_IMAGE=\/vmlinuz /) // set by syslinux, not by QEMU's direct kernel boot
    expect(cmdline).toContain('root=LABEL=lab-root')
    expect(root).toBe('/dev/sda2')
    // QEMU's user network DHCP server hands out 10.0.2.15, as VirtualBox's NAT does.
    expect(address).toMatch(/inet 10\.0\.2\.15\/24 .*dynamic/)
    expect(ethMac).toBe(mac)
    expect(driver).toBe(nic === 'virtio-net-pci' ? 'virtio_net' : 'e1000')
    expect(frr).toMatch(/^FRRouting \d+\.\d+/)
    expect(zebra).toBe('zebra-running')
    expect(failed).toBe('') // no unit failed: nothing in the image expects the virtio disk or lab's fw_cfg
  }, 600_000)
})
