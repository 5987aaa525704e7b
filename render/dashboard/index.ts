export * from "./panels";
export * from "./dashboard";
