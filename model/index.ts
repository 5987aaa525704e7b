// The stack model: every derived name of a stack, resolved once (see stack-model.ts).
export * from "./stack-model";
