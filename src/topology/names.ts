// Lab and node names: they become namespace names, hostnames and process arguments. Kept apart from
// schema.ts so the commands that only check a name (exec, status, verify, down) do not load zod.
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/
