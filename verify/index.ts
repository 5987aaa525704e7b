// `verify`: checks a deployed stack from the outside. Pure planning, judging and formatting; I/O in http.ts.
export * from "./result";
export * from "./http";
export * from "./responses";
export * from "./views";
export * from "./discover";
export * from "./host-checks";
export * from "./probes";
export * from "./prometheus-checks";
export * from "./report";
export * from "./by-listener";
export * from "./mis-tagged";
export * from "./run";
