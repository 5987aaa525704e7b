// Every file baked into a stack's machine images, with its path under packer/generated/<stack>/.
import type { StackModel } from "../../model";
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

/** Every image file of a stack, in a stable order. */
export function renderImageFiles(model: StackModel): ImageFile[] {
  return [
    { name: "consul-server.hcl", content: consulServerHcl(model) },
    // consul_service.json (loaded from /etc/consul.d) without ACLs; with them consul_service.boot.json, which
    // the image keeps outside the config directory for the boot step to register with its own token.
    { name: consulServiceFileName(model.config), content: consulServiceJson(model) },
    { name: "consul-client.hcl", content: consulClientHcl(model) },
    { name: "nomad-server.hcl", content: nomadServerHcl(model) },
    // No image carries it: the quick start's `nomad agent -dev` reads it beside the Consul files it uses.
    { name: NOMAD_DEV_AGENT_FILE, content: nomadDevAgentHcl(model) },
    { name: PACKER_VARS_FILE, content: packerVarsHcl(model) },
    // The Nomad client's datacenter is baked into its image: one client image per datacenter.
    ...model.config.nomad.datacenters.flatMap((dc) => [
      { name: `${nomadClientDir(dc)}/nomad-client.hcl`, content: nomadClientHcl(model, dc) },
      { name: `${nomadClientDir(dc)}/${PACKER_VARS_FILE}`, content: nomadClientPackerVarsHcl(model, dc) },
    ]),
  ];
}
