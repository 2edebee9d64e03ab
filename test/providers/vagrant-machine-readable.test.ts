// Vagrant's --machine-readable output, parsed from what the real runs here printed (test/fixtures/vagrant:
// `vagrant up spine1`, `status`, `ssh-config`, `box list`, `plugin list` of a lab under vagrant-libvirt).
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {boxVagrantfile, boxVersion, listedBoxes} from '../../src/box/vagrant-box.js'
import {boxPaths, type BoxManifest} from '../../src/box/box.js'
import {errorExit, machineEvents, machineStates, parseMachineReadable, sshConfigs, unescapeField} from '../../src/providers/vagrant/machine-readable.js'

const fixture = (name: string) => readFileSync(path.join('test/fixtures/vagrant', name), 'utf8')

describe('parseMachineReadable', () => {
  it('reads every record of a real `vagrant up` and nothing else', () => {
    const records = parseMachineReadable(fixture('up-spine1.txt'))
    expect(records.length).toBe(fixture('up-spine1.txt').split('\n').filter((l) => /^\d+,/.test(l)).length)
    expect(records[0]).toEqual({timestamp: 1795530163, target: 'spine1', type: 'metadata', data: ['provider', 'libvirt']})
    expect(records.at(-1)).toMatchObject({target: 'spine1', type: 'action', data: ['up', 'end']})
    expect(errorExit(records)).toBeUndefined()
  })

  it('unescapes commas and newlines inside fields', () => {
    expect(unescapeField('a%!(VAGRANT_COMMA) b\\nc')).toBe('a, b\nc')
    const [record] = parseMachineReadable('1,leaf1,ui,info,==> leaf1:  -- Image(vda): /x.img%!(VAGRANT_COMMA) virtio%!(VAGRANT_COMMA) 2G')
    expect(record.data).toEqual(['info', '==> leaf1:  -- Image(vda): /x.img, virtio, 2G'])
  })

  it("gives each machine's steps without Vagrant's prefix, in order", () => {
    const texts = machineEvents(parseMachineReadable(fixture('up-spine1.txt'))).map((e) => e.text)
    const order = ['Creating domain with the following settings...', 'Starting domain.', 'Waiting for domain to get an IP address...', 'Machine booted and ready!', 'Setting hostname...', 'Running provisioner: file...', 'Running provisioner: shell...', 'lab: spine1 provisioned']
    const positions = order.map((text) => texts.indexOf(text))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })

  it('reads the error Vagrant exits with', () => {
    const output = '1795529000,,ui,error,The box lab/x could not be found\n1795529000,,error-exit,Vagrant::Errors::BoxNotFound,The box%!(VAGRANT_COMMA) lab/x\\ncould not be found.\n'
    expect(errorExit(parseMachineReadable(output))).toEqual({kind: 'Vagrant::Errors::BoxNotFound', message: 'The box, lab/x\ncould not be found.'})
  })
})

describe('status, ssh-config, box list', () => {
  it("reads each machine's state from `vagrant status`", () => {
    expect(machineStates(parseMachineReadable(fixture('status.txt')))).toEqual(new Map([['spine1', 'running'], ['leaf1', 'running']]))
  })

  it('reads address, user, port and key from `vagrant ssh-config`, skipping the plain copy Vagrant also prints', () => {
    const configs = sshConfigs(parseMachineReadable(fixture('ssh-config.txt')))
    expect([...configs.keys()]).toEqual(['spine1', 'leaf1'])
    expect(configs.get('spine1')).toEqual({host: '10.255.0.100', port: 22, user: 'lab', identityFile: '/var/cache/lab/boxes/v8-debian12-frr/id_ed25519'})
    expect(configs.get('leaf1')!.host).toMatch(/^10\.255\.0\.\d+$/)
  })

  it('lists boxes with provider and version', () => {
    expect(listedBoxes(fixture('box-list.txt'))).toEqual([{name: 'lab/debian12-frr', provider: 'libvirt', version: '1.20261124.135538'}])
  })
})

describe('the Vagrant box', () => {
  it('has a numeric version from its build time', () => {
    expect(boxVersion({builtAt: '2026-11-24T13:55:38.405Z'} as BoxManifest)).toBe('1.20261124.135538')
    expect(boxVersion({builtAt: '2026-11-24T00:00:05.000Z'} as BoxManifest)).toBe('1.20261124.5')
  })

  it("boots its kernel directly and logs in as lab with lab's key", () => {
    const text = boxVagrantfile(boxPaths('/var/cache/lab/boxes/debian12-frr'))
    expect(text).toContain('config.ssh.username = "lab"')
    expect(text).toContain('config.ssh.private_key_path = "/var/cache/lab/boxes/debian12-frr/id_ed25519"')
    expect(text).toContain('lv.kernel = "/var/cache/lab/boxes/debian12-frr/vmlinuz"')
    expect(text).toContain('lv.initrd = "/var/cache/lab/boxes/debian12-frr/initrd.img"')
    expect(text).toMatch(/lv\.cmd_line = "root=\/dev\/vda rw .*net\.ifnames=0/)
  })
})
