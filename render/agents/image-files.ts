// Every file baked into a stack's machine images, with its path under packer/generated/<stack>/.
import type { StackConfig } from "../../config";
import { consulClientHcl, consulServerHcl } from "./consul";
import { consulServiceFileName, consulServiceJson } from "./consul-service";
import { NOMAD_DEV_AGENT_FILE, nomadClientHcl, nomadDevAgentHcl, nomadServerHcl } from "./nomad";
import { nomadClientDir, nomadClientPackerVarsHcl, PACKER_VARS_FILE, packerVarsHcl } from "./packer-vars";

export interface ImageFile {
  /**
   * Path relative to packer/generated/<stack>/ and the render CLI's <out>/packer/, with `/` separators; its
   * last segment is the file's name on the image.
   */
  name: string;
  content: string;
}

/**
 * Every image file of a stack, in a stable order. `source` is the stack file the config was read from, named in every header (default `Pulumi.<stack>.yaml`).
 */
export function renderImageFiles(cfg: StackConfig, stack: string, source?: string): ImageFile[] {
  return [
    { name: "consul-server.hcl", content: consulServerHcl(cfg, stack, source) },
    // consul_service.json (loaded from /etc/consul.d) without ACLs; with them consul_service.boot.json, which
    // the image keeps outside the config directory for the boot step to register with its own token.
    { name: consulServiceFileName(cfg), content: consulServiceJson(cfg) },
    { name: "consul-client.hcl", content: consulClientHcl(cfg, stack, source) },
    { name: "nomad-server.hcl", content: nomadServerHcl(cfg, stack, source) },
    // No image carries it: the quick start's `nomad agent -dev` reads it beside the Consul files it uses.
    { name: NOMAD_DEV_AGENT_FILE, content: nomadDevAgentHcl(cfg, stack, source) },
    { name: PACKER_VARS_FILE, content: packerVarsHcl(cfg, stack, source) },
    // The Nomad client's datacenter is baked into its image: one client image per datacenter.
    ...cfg.nomad.datacenters.flatMap((dc) => [
      { name: `${nomadClientDir(dc)}/nomad-client.hcl`, content: nomadClientHcl(cfg, stack, dc, source) },
      { name: `${nomadClientDir(dc)}/${PACKER_VARS_FILE}`, content: nomadClientPackerVarsHcl(cfg, stack, dc, source) },
    ]),
  ];
}
