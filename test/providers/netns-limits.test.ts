// The preflight estimate of what a netns lab needs from the machine, and its verdict: which shared
// limits are raised, and the refusal message with the numbers when the machine cannot hold the lab.
import {describe, expect, it} from 'vitest'
import {loadTopology} from '../../src/topology/load.js'
import {planLab, type LabPlan} from '../../src/plan/plan.js'
import {describeNeeds, estimateNeeds, judgeLimits, neighbourChanges, refusalMessage, timesLabs, type MachineLimits} from '../../src/providers/netns/limits.js'
import {ensureMachineLimits, parseCacheEntries, parseProcessLimit} from '../../src/providers/netns/machine.js'

function fabric(spines: number, leaves: number, hosts: number): LabPlan {
  const text = `name: f\nfabric: { spines: ${spines}, leaves: ${leaves}, hosts_per_leaf: ${hosts} }\naddressing: { hosts: 10.128.0.0/12 }\n`
  const {topology, diagnostics} = loadTopology(text, 'f.yaml')
  if (!topology) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return planLab(topology)
}

const roomy: MachineLimits = {
  neighbours: [
    {family: 'ipv4', entries: 100, thresh: [128, 512, 1024]},
    {family: 'ipv6', entries: 300, thresh: [128, 512, 1024]},
  ],
  memAvailableMb: 20_000,
  tasks: 600,
  pidMax: 32_768,
  threadsMax: 190_000,
  processLimit: undefined,
  filesOpen: 2_000,
  fileMax: 2_000_000,
}

describe('estimate of what a lab needs', () => {
  it('counts neighbour entries per link end, daemons, memory, threads and the busiest router', () => {
    // 8 × 124 × 7 = 1,000 nodes: 992 fabric links + 868 host links; 132 routers run zebra and bgpd.
    const needs = estimateNeeds(fabric(8, 124, 7))
    expect(needs.nodes).toBe(1000)
    expect(needs.ipv6Neighbours).toBe(2 * (992 + 868))
    expect(needs.ipv4Neighbours).toBe(2 * (992 + 868))
    expect(needs.daemons).toBe(132 * 2)
    expect(needs.memoryMb).toBe(Math.ceil(1000 * 2.5 + 132 * (8 + 14)))
    expect(needs.tasks).toBe(264 * 6)
    expect(needs.busiestRouter).toEqual({node: 'spine1', sessions: 124})
  })

  it('a small lab changes nothing on a default machine', () => {
    expect(judgeLimits(estimateNeeds(fabric(2, 2, 1)), roomy)).toEqual({raise: [], refuse: []})
  })
})

describe('neighbour tables', () => {
  it('raise all three thresholds from the next power of two of what will be in the table, never lower', () => {
    const changes = neighbourChanges({family: 'ipv6', entries: 334, thresh: [128, 512, 1024]}, 3720)
    expect(changes.map((c) => [c.key, c.from, c.to])).toEqual([
      ['net.ipv6.neigh.default.gc_thresh1', 128, 4096],
      ['net.ipv6.neigh.default.gc_thresh2', 512, 8192],
      ['net.ipv6.neigh.default.gc_thresh3', 1024, 16384],
    ])
    expect(changes[0].why).toBe('334 entries now + 3720 for this lab')
    expect(neighbourChanges({family: 'ipv4', entries: 10, thresh: [4096, 8192, 16384]}, 3720)).toEqual([])
    // Already higher than wanted in part: only the lower ones move.
    expect(neighbourChanges({family: 'ipv4', entries: 0, thresh: [128, 512, 99_999]}, 600).map((c) => c.key)).toEqual(['net.ipv4.neigh.default.gc_thresh1', 'net.ipv4.neigh.default.gc_thresh2'])
  })

  it('the 488-node fabric of issue 12 raises both families on a default machine', () => {
    const {raise, refuse} = judgeLimits(estimateNeeds(fabric(8, 120, 3)), roomy)
    expect(refuse).toEqual([])
    expect(raise.map((c) => `${c.key}=${c.to}`)).toEqual([
      'net.ipv4.neigh.default.gc_thresh1=4096', 'net.ipv4.neigh.default.gc_thresh2=8192', 'net.ipv4.neigh.default.gc_thresh3=16384',
      'net.ipv6.neigh.default.gc_thresh1=4096', 'net.ipv6.neigh.default.gc_thresh2=8192', 'net.ipv6.neigh.default.gc_thresh3=16384',
    ])
  })

  it('reads the table-wide entry count from /proc/net/stat (hex)', () => {
    expect(parseCacheEntries('entries  allocs   destroys\n0000014e 00003838 0000356a\n0000014e 00000001 00000002\n')).toBe(334)
    expect(parseProcessLimit('Max processes             95964                95964                processes\n')).toBe(95964)
    expect(parseProcessLimit('Max processes             unlimited            unlimited            processes\n')).toBeUndefined()
  })
})

describe('refusal', () => {
  it('names every shortfall with its numbers and the fix', () => {
    const tight: MachineLimits = {...roomy, memAvailableMb: 3_000, tasks: 30_000, threadsMax: 30_500, processLimit: 1_000, filesOpen: 1_999_000}
    const {refuse} = judgeLimits(estimateNeeds(fabric(8, 124, 7)), tight)
    const {message, fix} = refusalMessage('lab z12-big', refuse)
    expect(message).toBe([
      'this machine cannot run lab z12-big:',
      '  - not enough memory: the lab needs about 5,404 MB (1000 namespaces, 264 FRR daemons) and 512 MB stays free for the machine, but only 3,000 MB is available',
      '  - too many threads: 30000 run now and the lab\'s 264 FRR daemons add about 1584, above kernel.threads-max = 30500',
      '  - the process limit (ulimit -u = 1000) is below the 1584 threads the lab\'s 264 FRR daemons need',
      '  - too many open files: 1999000 open now + about 10560 for 264 FRR daemons > fs.file-max = 2000000',
    ].join('\n'))
    expect(fix).toBe('take down other labs (lab status), use a smaller fabric, or split it across servers (lab export --format containerlab); ' +
      'sysctl -w kernel.threads-max=65536 (if memory allows), or a smaller fabric; ulimit -u 8192 (or unlimited) in the shell that runs lab up; sysctl -w fs.file-max=4194304')
  })

  it('refuses a spine with more sessions than bgpd has file descriptors', () => {
    // A fabric stops at 512 leaves; a topology with explicit nodes and links can go past the fd table.
    const needs = {...estimateNeeds(fabric(2, 2, 0)), busiestRouter: {node: 'spine1', sessions: 1000}}
    expect(judgeLimits(needs, roomy).refuse.map((p) => p.problem)).toEqual(['spine1 would have 1000 BGP sessions, but each FRR daemon runs with --limit-fds 1024 (960 sessions at most)'])
  })

  it('raises kernel.pid_max when the tasks would not fit', () => {
    const {raise} = judgeLimits(estimateNeeds(fabric(8, 124, 7)), {...roomy, tasks: 31_000})
    expect(raise.filter((c) => c.key === 'kernel.pid_max').map((c) => [c.from, c.to])).toEqual([[32_768, 131_072]])
  })

  it('the preflight throws a usage error (exit 2) before anything is built', () => {
    const steps: string[] = []
    const progress = {step: (s: string) => steps.push(s), detail: () => {}}
    expect(() => ensureMachineLimits(fabric(8, 124, 7), progress, {...roomy, memAvailableMb: 1_000})).toThrow(/not enough memory: the lab needs about 5,404 MB/)
    expect(steps).toEqual([])
  })
})

describe('a class: one lab per student, judged together', () => {
  // two-spine-two-leaf: 6 nodes, 6 links, 4 routers (zebra + bgpd each).
  const one = estimateNeeds(fabric(2, 2, 1))

  it('is one lab\'s needs times the students; the busiest router stays one router', () => {
    const class30 = timesLabs(one, 30)
    expect(class30).toEqual({
      labs: 30,
      nodes: 30 * one.nodes,
      daemons: 30 * one.daemons,
      ipv4Neighbours: 30 * one.ipv4Neighbours,
      ipv6Neighbours: 30 * one.ipv6Neighbours,
      memoryMb: 30 * one.memoryMb,
      tasks: 30 * one.tasks,
      files: 30 * one.files,
      busiestRouter: one.busiestRouter,
    })
  })

  it('a class whose labs together pass the neighbour table raises it, as lab up does, instead of refusing', () => {
    // 100 students × 12 link ends = 1,200 entries + 300 now > gc_thresh2 512.
    const {raise, refuse} = judgeLimits(timesLabs(one, 100), roomy)
    expect(refuse).toEqual([])
    expect(raise.filter((c) => c.key.startsWith('net.ipv6')).map((c) => `${c.key}=${c.to}`)).toEqual([
      'net.ipv6.neigh.default.gc_thresh1=2048', 'net.ipv6.neigh.default.gc_thresh2=4096', 'net.ipv6.neigh.default.gc_thresh3=8192',
    ])
    expect(raise[0].why).toBe('100 entries now + 1200 for this lab')
  })

  it('a class too big for memory is refused with the class\'s numbers and a fix for the teacher', () => {
    const steps: string[] = []
    const progress = {step: (s: string) => steps.push(s), detail: () => {}}
    let message = ''
    let fix = ''
    try {
      ensureMachineLimits(fabric(2, 2, 1), progress, {...roomy, memAvailableMb: 2_000}, 30, 'a class of 30 labs of link-down')
    } catch (error) {
      message = (error as Error).message
      fix = (error as {fix?: string}).fix ?? ''
    }
    expect(message).toBe([
      'this machine cannot run a class of 30 labs of link-down:',
      `  - not enough memory: the 30 labs need about ${(30 * one.memoryMb).toLocaleString('en-US')} MB (180 namespaces, 240 FRR daemons) and 512 MB stays free for the machine, but only 2,000 MB is available`,
    ].join('\n'))
    expect(fix).toBe(`split the class (fewer names in the students file; each lab takes about ${one.memoryMb} MB), or take down other labs (lab status)`)
    expect(steps).toEqual([])
  })
})

describe('lab validate: what a large lab needs, from the plan alone', () => {
  it('says nothing of a small lab', () => {
    expect(describeNeeds(estimateNeeds(fabric(2, 2, 1)))).toBeUndefined()
  })

  it('a 1,000-node fabric: memory, daemons, threads, files and the neighbour tables lab up will raise', () => {
    expect(describeNeeds(estimateNeeds(fabric(8, 124, 7)))).toBe([
      'on one machine (netns) this lab needs about 5,404 MB of memory (1,000 namespaces, 264 FRR daemons), 1,584 threads and 10,560 open files',
      "it adds 3,720 entries to the kernel's IPv6 and IPv4 neighbour tables, shared by every lab on the machine (the default table keeps 1,024: lab up raises net.ipv{4,6}.neigh.default.gc_thresh1/2/3 and says so)",
      'lab up holds this against the machine before building anything',
    ].join('\n'))
  })

  it('names a router with more sessions than FRR has file descriptors', () => {
    const needs = {...estimateNeeds(fabric(2, 2, 0)), busiestRouter: {node: 'spine1', sessions: 1000}}
    expect(describeNeeds(needs)).toMatch(/^spine1 would have 1,000 BGP sessions, more than FRR's --limit-fds 1024 allows: lab up refuses it$/m)
  })
})

