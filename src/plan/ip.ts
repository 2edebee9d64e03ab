// Minimal IPv4 arithmetic for address planning. Pure; no dependencies.

export interface Ipv4Prefix {
  network: number // unsigned 32-bit network address
  length: number
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined
    const octet = Number(part)
    if (octet > 255) return undefined
    value = value * 256 + octet
  }
  return value
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.')
}

export function parsePrefix(text: string): Ipv4Prefix | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text)
  if (!match) return undefined
  const address = parseIpv4(match[1])
  const length = Number(match[2])
  if (address === undefined || length > 32) return undefined
  const size = 2 ** (32 - length)
  if (address % size !== 0) return undefined // host bits set: not a network
  return {network: address, length}
}

export function prefixSize(prefix: Ipv4Prefix): number {
  return 2 ** (32 - prefix.length)
}

/** The `index`-th subnet of length `length` inside `pool`, or undefined when the pool is exhausted. */
export function subnetAt(pool: Ipv4Prefix, length: number, index: number): Ipv4Prefix | undefined {
  if (length < pool.length) return undefined
  const size = 2 ** (32 - length)
  if ((index + 1) * size > prefixSize(pool)) return undefined
  return {network: pool.network + index * size, length}
}

export function formatPrefix(prefix: Ipv4Prefix): string {
  return `${formatIpv4(prefix.network)}/${prefix.length}`
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  const aEnd = a.network + prefixSize(a)
  const bEnd = b.network + prefixSize(b)
  return a.network < bEnd && b.network < aEnd
}

export function prefixContains(prefix: Ipv4Prefix, address: number): boolean {
  return address >= prefix.network && address < prefix.network + prefixSize(prefix)
}

/** The address an announced prefix is answered on: the first host address (the address itself for a /32), with the prefix's length. */
export function announcedAddress(text: string): string {
  const prefix = parsePrefix(text)!
  const offset = prefix.length >= 31 ? 0 : 1
  return `${formatIpv4(prefix.network + offset)}/${prefix.length}`
}
