export * from "./fabio-system-job";
