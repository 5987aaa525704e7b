import type { JobKind } from "../model";

/** A jobspec ready for Nomad, named by its job ID. */
export interface RenderedJob {
  /** Nomad job ID, also the file name `<name>.nomad.hcl`. */
  name: string;
  kind: JobKind;
  type: "system" | "service";
  hcl: string;
}
