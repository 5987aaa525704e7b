// The variables file packer builds the images with: which generated/<stack> directory to upload, and the
// data directories the provisioners create (the same values the agent configs carry).
import type { StackConfig } from "../../config";
import { hclString } from "../hcl";
import { writeHcl } from "./hcl-writer";
import { prometheusHostVolume } from "./nomad";
import { generatedBy } from "./provenance";

/** Packer reads HCL 2, so the project's HCL escape applies as is. */
export function packerVarsHcl(cfg: StackConfig, stack: string, source?: string): string {
  return writeHcl(
    [
      ["stack", stack],
      ["consul_data_dir", cfg.images.consul.dataDir],
      ["nomad_data_dir", cfg.images.nomad.dataDir],
      // The Nomad client image creates it; empty when Prometheus keeps its TSDB on Nomad's ephemeral disk.
      ["prometheus_volume_path", prometheusHostVolume(cfg)?.path ?? ""],
    ],
    hclString,
    `${generatedBy("Packer variables for the image builds", stack, source)}\n` +
      `Build an image (consul-server, nomad-server or nomad-client) from the project directory:\n` +
      `  packer build -var-file=packer/generated/${stack}/images.pkrvars.hcl -var source_image_id=<uimage-id> \\\n` +
      `    -only='consul-server.*' packer/`,
  );
}
