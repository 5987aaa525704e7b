export * from "./errors";
export * from "./namespaces";
export * from "./primitives";
export * from "./schema";
export * from "./prometheus-schema";
export * from "./load";
