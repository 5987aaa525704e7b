export * from "./fabio-system-job";
export * from "./prometheus-job";
export * from "./consul-access";
export * from "./nomad-job";
export * from "./alertmanager-job";
