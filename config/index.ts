export * from "./errors";
export * from "./primitives";
export * from "./schema";
export * from "./prometheus-schema";
export * from "./images-schema";
export * from "./load";
export * from "./acl-policy-name";
export * from "./stack-file";
