// Files baked into the machine images: Consul and Nomad agent configs, plus packer's variables file.
import type { StackConfig } from "../../config";
import { consulClientHcl, consulServerHcl, consulServiceFileName, consulServiceJson } from "./consul";
import { nomadClientHcl, nomadServerHcl } from "./nomad";
import { packerVarsHcl } from "./packer-vars";

export * from "./agent-acl";
export * from "./consul";
export * from "./nomad";
export * from "./hcl1";
export * from "./packer-vars";
export * from "./versions";

export interface ImageFile {
  /** File name, the same under packer/generated/<stack>/, the render CLI's <out>/packer/ and on the image. */
  name: string;
  content: string;
}

/** Every image file of a stack, in a stable order. */
export function renderImageFiles(cfg: StackConfig, stack: string): ImageFile[] {
  return [
    { name: "consul-server.hcl", content: consulServerHcl(cfg, stack) },
    // consul_service.json (loaded from /etc/consul.d) without ACLs; with them consul_service.boot.json, which
    // the image keeps outside the config directory for the boot step to register with its own token.
    { name: consulServiceFileName(cfg), content: consulServiceJson(cfg) },
    { name: "consul-client.hcl", content: consulClientHcl(cfg, stack) },
    { name: "nomad-server.hcl", content: nomadServerHcl(cfg, stack) },
    { name: "nomad-client.hcl", content: nomadClientHcl(cfg, stack) },
    { name: "images.pkrvars.hcl", content: packerVarsHcl(cfg, stack) },
  ];
}
