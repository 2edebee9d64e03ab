// Vagrant's --machine-readable output: one record per line, `timestamp,target,type,data…`, where
// data fields have their commas written as `%!(VAGRANT_COMMA)` and newlines as `\n`. Pure.

export interface VagrantRecord {
  timestamp: number
  /** The machine the record is about ('' for the whole environment). */
  target: string
  type: string
  data: string[]
}

export function unescapeField(field: string): string {
  return field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r')
}

/** Every well-formed record; other lines (a plugin printing on its own, stderr mixed in) are skipped. */
export function parseMachineReadable(output: string): VagrantRecord[] {
  const records: VagrantRecord[] = []
  for (const line of output.split('\n')) {
    const match = /^(\d+),([^,]*),([^,]+),?(.*)$/.exec(line.replace(/\r$/, ''))
    if (!match) continue
    records.push({timestamp: Number(match[1]), target: match[2], type: match[3], data: match[4] === '' ? [] : match[4].split(',').map(unescapeField)})
  }
  return records
}

/** What a `ui` record says about one machine, without Vagrant's `==> node: ` prefix. */
export interface MachineEvent {
  machine: string
  level: string
  text: string
}

/** `ui` records of machines (info, success, warn, error), one per line of text, prefixes removed. */
export function machineEvents(records: readonly VagrantRecord[]): MachineEvent[] {
  const events: MachineEvent[] = []
  for (const record of records) {
    if (record.type !== 'ui' || !record.target || record.data.length < 2) continue
    for (const line of record.data[1].split('\n')) {
      const text = line.replace(new RegExp(`^(==> |    )?${escapeRegExp(record.target)}: ?`), '').trim()
      if (text) events.push({machine: record.target, level: record.data[0], text})
    }
  }
  return events
}

/** The error Vagrant exited with: its class and message (`error-exit` record), if any. */
export function errorExit(records: readonly VagrantRecord[]): {kind: string; message: string} | undefined {
  const record = [...records].reverse().find((r) => r.type === 'error-exit')
  return record ? {kind: record.data[0] ?? '', message: (record.data[1] ?? '').trim()} : undefined
}

/** `vagrant status --machine-readable`: each machine's state (running, shutoff, not_created, …). */
export function machineStates(records: readonly VagrantRecord[]): Map<string, string> {
  const states = new Map<string, string>()
  for (const record of records) if (record.type === 'state' && record.target) states.set(record.target, record.data[0] ?? '')
  return states
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface SshConfig {
  host: string
  port: number
  user: string
  identityFile: string
}

/** `vagrant ssh-config --machine-readable`: an `ssh-config` record per machine holding an ssh_config(5) block. */
export function sshConfigs(records: readonly VagrantRecord[]): Map<string, SshConfig> {
  const configs = new Map<string, SshConfig>()
  for (const record of records) {
    if (record.type !== 'ssh-config' || !record.target) continue
    const option = (name: string) => new RegExp(`^\\s*${name}\\s+"?([^"\\n]+?)"?\\s*$`, 'im').exec(record.data[0] ?? '')?.[1] ?? ''
    configs.set(record.target, {host: option('HostName'), port: Number(option('Port') || 22), user: option('User'), identityFile: option('IdentityFile')})
  }
  return configs
}
