// Run async jobs with at most `limit` in flight: the machine has two cores, and each CLI or
// `vagrant validate` run is a whole Node or Ruby process.
import os from 'node:os'

export {mapLimit} from '../../src/util/pool.js'

export const PROCESS_LIMIT = Math.max(2, Math.min(4, os.availableParallelism()))
