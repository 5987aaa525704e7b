// Files baked into the machine images: Consul and Nomad agent configs, plus packer's variables file.
export * from "./agent-acl";
export * from "./consul";
export * from "./consul-service";
export * from "./nomad";
export * from "./hcl1";
export * from "./hcl-writer";
export * from "./packer-vars";
export * from "./image-files";
