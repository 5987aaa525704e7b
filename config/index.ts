// The stack config: schema, checks and loading. config/from-pulumi.ts is left out on purpose: it loads the
// Pulumi SDK, which the render CLI and the renderers never need; only index.ts imports it.
export * from "./errors";
export * from "./namespaces";
export * from "./primitives";
export * from "./schema";
export * from "./prometheus-schema";
export * from "./alerting-schema";
export * from "./alert-secrets";
export * from "./durations";
export * from "./images-schema";
export * from "./agent-versions";
export * from "./load";
export * from "./naming";
export * from "./stack-file";
export * from "./agent-ports";
