// Output shapes of nested blocks (the published SDK's `types/output.ts`, reduced to what this binding exposes).

/** The `hcl2` block of `nomad.Job` as stored in state. */
export interface JobHcl2 {
  /** Whether HCL2 file-system functions were enabled. */
  allowFs?: boolean;
  /** Values passed to the jobspec's `variable` blocks. */
  vars?: { [key: string]: string };
}

/** A task group of a registered job, as read back from Nomad. */
export interface JobTaskGroup {
  /** Number of allocations the group asks for. */
  count: number;
  /** The group's `meta` block. */
  meta: { [key: string]: string };
  /** The group name. */
  name: string;
  /** The group's tasks. */
  tasks: JobTaskGroupTask[];
  /** The group's `volume` blocks. */
  volumes: JobTaskGroupVolume[];
}

/** A task of a registered job's task group. */
export interface JobTaskGroupTask {
  /** The task driver (`docker`, `exec`, `raw_exec`, …). */
  driver: string;
  /** The task's `meta` block. */
  meta: { [key: string]: string };
  /** The task name. */
  name: string;
  /** The task's `volume_mount` blocks. */
  volumeMounts: JobTaskGroupTaskVolumeMount[];
}

/** A `volume_mount` block of a task. */
export interface JobTaskGroupTaskVolumeMount {
  /** Path inside the task where the volume is mounted. */
  destination: string;
  /** Whether the mount is read-only. */
  readOnly: boolean;
  /** Name of the group volume that is mounted. */
  volume: string;
}

/** A `volume` block of a task group. */
export interface JobTaskGroupVolume {
  /** The volume name within the group. */
  name: string;
  /** Whether the volume is read-only. */
  readOnly: boolean;
  /** The host or CSI volume it refers to. */
  source: string;
  /** `host` or `csi`. */
  type: string;
}
