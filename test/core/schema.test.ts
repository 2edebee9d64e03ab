// The published JSON Schema (schema/topology.schema.json) is generated from src/core/schema.ts and
// must stay in step with it: regenerate with `npm run schema` (node bin/run.js schema > schema/topology.schema.json).
import Ajv2020 from 'ajv/dist/2020.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {topologyJsonSchema} from '../../src/topology/schema.js'
import {REPO, shippedTopologyNames} from '../support/paths.js'

const SCHEMA_FILE = path.join(REPO, 'schema', 'topology.schema.json')
const committed = readFileSync(SCHEMA_FILE, 'utf8')
const validate = new Ajv2020({allErrors: true, strict: true}).compile(JSON.parse(committed))
const readYaml = (file: string) => parse(readFileSync(path.join(REPO, file), 'utf8'))

describe('schema/topology.schema.json', () => {
  it('is exactly what `lab schema` generates from src/core/schema.ts', () => {
    expect(committed).toBe(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`)
  })

  it.each(shippedTopologyNames())('accepts the shipped topology %s, which points editors at it', (name) => {
    const file = `topologies/${name}.yaml`
    expect(validate(readYaml(file)), JSON.stringify(validate.errors)).toBe(true)
    expect(readFileSync(path.join(REPO, file), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/topology.schema.json')
  })

  // Shape errors an editor can flag as you type (semantic ones need `lab validate`).
  it.each([
    ['unknown-key-top', '/', 'additionalProperties'],
    ['unknown-key-node', '/nodes/host1', 'additionalProperties'],
    ['unknown-key-fabric', '/fabric', 'additionalProperties'],
    ['role-unknown', '/nodes/leaf2/role', 'enum'],
    ['lab-name-too-long', '/name', 'maxLength'],
    ['link-three-endpoints', '/links/1', 'maxItems'],
    ['name-missing', '/', 'required'],
    ['accept-wrong-value', '/nodes/host1/accept', 'anyOf'],
    ['accept-not-a-prefix', '/nodes/host1/accept/0', 'pattern'],
  ])('rejects test/fixtures/bad/%s.yaml at %s (%s)', (fixture, at, keyword) => {
    expect(validate(readYaml(`test/fixtures/bad/${fixture}.yaml`))).toBe(false)
    expect(validate.errors!.map((e) => [e.instancePath || '/', e.keyword])).toContainEqual([at, keyword])
  })
})
