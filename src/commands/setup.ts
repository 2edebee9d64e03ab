import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {STUDENT_LABS_ROOT} from '../io/acting-user.js'
import {readClassSetup, removeClassGroup, setUpClassGroup} from '../io/class-group.js'
import {UsageError} from '../io/errors.js'

export default class Setup extends BaseCommand<typeof Setup> {
  static summary = 'Set a shared server up once for students without root (a class group allowed to run lab through sudo)'
  static description = `With --class-group G, members of group G (created if missing) run every lab command as themselves; lab reaches root through sudo and one root-owned helper script only (${'/etc/sudoers.d/lab-class'}, checked with visudo). lab then acts for the member: they up, exec into, verify and take down their own labs only; another user's lab is refused; their rendered files go to ${STUDENT_LABS_ROOT}/<user>/; a file they name is read or written with their own rights; teacher commands (class, box build, setup) stay root's. Root sees and can stop every lab.

Without flags, shows the current setup. --remove undoes it (the group and students' files stay). Needs root and the sudo package.`
  static examples = ['sudo <%= config.bin %> setup --class-group netlab', 'sudo usermod -aG netlab alice', '<%= config.bin %> setup', 'sudo <%= config.bin %> setup --remove']
  static teacherOnly = true
  static flags = {
    'class-group': Flags.string({description: 'group whose members may run lab without root (created if missing)'}),
    remove: Flags.boolean({description: 'undo the class-group setup'}),
  }

  async run(): Promise<{group?: string; files: string[]; createdGroup?: boolean}> {
    const group = this.flags['class-group']
    if (group && this.flags.remove) throw new UsageError('give --class-group or --remove, not both', 'lab setup --remove')
    if (this.flags.remove) {
      const files = removeClassGroup()
      this.say(files.length > 0 ? `removed ${files.join(', ')}; class members now need root again` : 'no class group was set up; nothing to remove')
      return {files}
    }
    if (group) {
      const result = await setUpClassGroup(group)
      if (result.created) this.say(`created group ${group}`)
      this.say(`wrote ${result.files.join(', ')}`)
      this.say(`members of ${group} now run lab as themselves (add one: usermod -aG ${group} <user>; they log in again)`)
      return {group, files: result.files, createdGroup: result.created}
    }
    const setup = readClassSetup()
    this.say(setup ? `class group: ${setup.group} (helper ${setup.helper}); students' labs in ${STUDENT_LABS_ROOT}/<user>/` : 'no class group: only root runs lab (sudo lab setup --class-group <group> to change that)')
    return {...(setup && {group: setup.group}), files: []}
  }
}
