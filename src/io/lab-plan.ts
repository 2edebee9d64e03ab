// The plan of a rendered lab, read back: kept apart from lab-dir.ts so commands that only read a lab
// (exec, status, verify) do not load the template engine.
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan} from '../plan/plan.js'
import {UsageError} from './errors.js'

/** The plan of a rendered lab (labs/<name>/plan.json): every command that works on a lab reads it here. */
export function readLabPlan(lab: string, labDir: string): LabPlan {
  const file = path.join(labDir, 'plan.json')
  if (!existsSync(file)) throw new UsageError(`lab ${lab} has no plan (${file} is missing)`, `lab up <topology> --name ${lab}`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabPlan
  } catch (error) {
    throw new UsageError(`lab ${lab}'s plan ${file} is unreadable: ${(error as Error).message}`, `lab down ${lab}; lab up <topology> --name ${lab}`)
  }
}

/** The plan if the lab has a readable one: status shows what runs even when plan.json is gone. */
export function readLabPlanIfAny(lab: string, labDir: string): LabPlan | undefined {
  try {
    return readLabPlan(lab, labDir)
  } catch {
    return undefined
  }
}
