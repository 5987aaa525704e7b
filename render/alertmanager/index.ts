export * from "./config";
export * from "./job";
