// An exercise file as written (the brief's "Exercises" contract): a topology, the faults that break
// it, graded checks and the solution. Kind entries (a check's kind, each fault) are checked against
// their own kind's schema in resolve.ts, so their messages match a topology's.
import {z} from 'zod'
import {NAME_PATTERN} from '../topology/names.js'

export const MAX_EXERCISE_ID = 40

const checkName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"').describe('Names the check in the score and in needs:')

/** A graded check: name, points, hint, needs, and one check kind (`bgp: {…}`), checked in resolve.ts. */
export const gradedCheckSchema = z
  .object({
    name: checkName,
    points: z.number().int().min(0).max(1000),
    hint: z.string().min(1).optional().describe('Shown to the student while the check fails'),
    needs: z.array(z.string().min(1)).optional().describe('Checks that must pass first; until they do this one is blocked, not failed'),
  })
  .catchall(z.unknown())

/** A fault or a solution step: one fault kind (`link: {…}`), checked in resolve.ts. */
const stepSchema = z.record(z.string(), z.unknown())

const variableValue = z.union([z.string().min(1), z.number()])

export const rawExerciseSchema = z
  .object({
    $schema: z.string().optional(),
    exercise: z.string().regex(NAME_PATTERN, 'must be lowercase letters, digits and "-", starting with a letter').max(MAX_EXERCISE_ID),
    title: z.string().min(1),
    topology: z.string().min(1).describe('A name from topologies/ or a path relative to this file'),
    brief: z.string().min(1).describe('What the student reads at start'),
    variables: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and "_"'), z.array(variableValue).min(1))
      .optional()
      .describe('Per-student choices: ${name} in faults, checks, solution, brief and hints takes one value, picked by --seed'),
    faults: z.array(stepSchema).min(1),
    checks: z.array(gradedCheckSchema).min(1),
    solution: z.array(stepSchema).min(1),
  })
  .strict()

export type RawExercise = z.infer<typeof rawExerciseSchema>
