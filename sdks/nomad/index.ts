// Entry point of the local @pulumi/nomad binding: the subset of the published package this project uses.
export { Job } from "./job";
export type { JobArgs, JobState } from "./job";
export { Provider } from "./provider";
export type { ProviderArgs } from "./provider";
export { Variable } from "./variable";
export type { VariableArgs, VariableState } from "./variable";
export * as types from "./types";
