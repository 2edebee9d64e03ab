#!/usr/bin/env node
// Write oclif.manifest.json after a build, so `lab <command>` imports only that command
// (without it oclif imports every command at start-up). Same content as `oclif manifest`.
import {Config} from '@oclif/core'
import {rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// oclif reads an existing manifest instead of the commands directory: a new command would be missed.
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
const config = await Config.load(root)
const plugin = config.plugins.get(config.pjson.name)
const manifest = {...plugin.manifest, version: config.version}
writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`oclif.manifest.json: ${Object.keys(manifest.commands).length} commands`)
