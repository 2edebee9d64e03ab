// The outside programs the netns provider runs. FRR's location can be overridden (LAB_FRR_DIR,
// LAB_VTYSH) for packaged builds in other places, and so tests can show the preflight message.
import {accessSync, constants} from 'node:fs'
import path from 'node:path'

export function frrDir(): string {
  return process.env.LAB_FRR_DIR ?? '/usr/lib/frr'
}

export function frrDaemon(daemon: string): string {
  return path.join(frrDir(), daemon)
}

/** frr-reload.py (Debian: frr-pythontools), beside the daemons. */
export function frrReloadPath(): string {
  return path.join(frrDir(), 'frr-reload.py')
}

export function vtyshPath(): string {
  return process.env.LAB_VTYSH ?? which('vtysh') ?? '/usr/bin/vtysh'
}

/** Where `name` is on PATH (or the sbin directories root's PATH usually has), if anywhere. */
export function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin']
  for (const dir of dirs) {
    const candidate = path.join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Programs resolved once per process: ip, nsenter, unshare, sysctl. */
const resolved = new Map<string, string>()
export function tool(name: 'ip' | 'bridge' | 'nsenter' | 'unshare' | 'sysctl' | 'iperf3' | 'setpriv'): string {
  let found = resolved.get(name)
  if (!found) {
    found = which(name) ?? name
    resolved.set(name, found)
  }
  return found
}
