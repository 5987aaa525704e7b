// Pure rendering: typed stack config in, text out. Never imports Pulumi.

export * from "./hcl";
export * from "./regex";
export * from "./nameserver-index";
export * from "./fabio-properties";
export * from "./fabio-job";
export * from "./placement";
export * from "./nomad-variables";
export * from "./consul-acl";
export * from "./prometheus-config";
export * from "./alerts";
export * from "./prometheus-rules";
export * from "./prometheus-rule-tests";
export * from "./prometheus-job";
export * from "./alertmanager";
export * from "./rendered-job";
export * from "./jobs";
export * from "./agents";
export * from "./artifacts";
export * from "./manifest";
export * from "./summary";
export * from "./lookup-probes";
export * from "./alert-delivery";
export * from "./dashboard";
export * from "./consul-template";
export * from "./task-paths";
