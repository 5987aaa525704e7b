// Paths inside a Nomad task: the task sees its task directory as `/` (local/, secrets/, alloc/ beneath it).

/** A `template` stanza's destination is relative to the task directory: the path the task sees, without `/`. */
export function templateDestination(taskPath: string): string {
  return taskPath.replace(/^\//, "");
}
