// How exercise commands show a brief and a score to a student.
import type {ExerciseResult} from '../exercise/grade.js'
import type {Exercise} from '../exercise/resolve.js'

export function formatBrief(exercise: Exercise, lab: string): string {
  const tasks = exercise.checks.map((c) => `  - ${c.name} (${c.points} points)`)
  return [`${exercise.title}  [${exercise.id}, lab ${lab}]`, '', exercise.brief.trim(), '', 'Checked:', ...tasks, '', `Work with: lab exec --lab ${lab} <node> -- …   ·   grade: lab exercise check ${lab}   ·   start over: lab exercise reset ${lab}`].join('\n')
}

const MARK = {pass: 'PASS', fail: 'FAIL', blocked: 'WAIT'} as const

export function formatScore(result: ExerciseResult): string {
  const width = Math.max(...result.checks.map((c) => c.name.length), 5)
  const lines = result.checks.flatMap((c) => [
    `${MARK[c.status]}  ${c.name.padEnd(width)}  ${`${c.status === 'pass' ? c.points : 0}/${c.points}`.padStart(7)}  ${c.detail}`,
    ...(c.hint ? [`      ${' '.repeat(width)}  hint: ${c.hint}`] : []),
  ])
  return [...lines, '', `score ${result.score}/${result.max}${result.score === result.max ? ': solved' : ''} (exercise ${result.exercise}, lab ${result.lab})`].join('\n')
}
