// dummy: a service address on a switch (`dummies: {svc0: 192.0.2.10/32}`), up whatever its links do
// and announced by the switch's BGP: the talk's "service addresses that integrate with BGP".
import {defineVirtual} from './virtual.js'

export const dummyKind = defineVirtual({
  kind: 'dummy',
  summary: 'dummy interface holding a service address the switch announces',
  driver: 'dummy',
  config: 'CONFIG_DUMMY',
  ifupdown2: () => ['    link-type dummy'],
})
