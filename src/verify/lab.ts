// The plan of a lab that is up: labs/<name>/plan.json, written when it was rendered. Provider-neutral.
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan} from '../core/plan.js'
import {UsageError} from '../io/errors.js'

export function readLabPlanFile(lab: string, labDir: string): LabPlan {
  const file = path.join(labDir, 'plan.json')
  if (!existsSync(file)) throw new UsageError(`lab ${lab} has no plan (${file} is missing)`, `lab up <topology> --name ${lab}`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabPlan
  } catch (error) {
    throw new UsageError(`lab ${lab}'s plan ${file} is unreadable: ${(error as Error).message}`, `lab down ${lab}; lab up <topology> --name ${lab}`)
  }
}
