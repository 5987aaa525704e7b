// Everything the render CLI writes for a stack, as relative paths and file contents.
import type { StackConfig } from "../config";
import { renderJobs } from "./index";

export interface Artifact {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  content: string;
}

export function renderArtifacts(cfg: StackConfig, stack: string): Artifact[] {
  return renderJobs(cfg, stack).map((job) => ({ path: `jobs/${job.name}.nomad.hcl`, content: job.hcl }));
}
