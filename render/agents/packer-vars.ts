// The variables file packer builds the images with: which generated/<stack> directory to upload, and the
// data directories the provisioners create (the same values the agent configs carry).
import type { StackConfig } from "../../config";
import { hclString } from "../hcl";
import { writeHcl } from "./hcl-writer";
import { prometheusHostVolume } from "./nomad";
import { generatedBy } from "./provenance";
import { AGENT_VERSIONS } from "./versions";

/** Packer reads HCL 2, so the project's HCL escape applies as is. */
export function packerVarsHcl(cfg: StackConfig, stack: string): string {
  return writeHcl(
    [
      ["stack", stack],
      ["consul_data_dir", cfg.images.consul.dataDir],
      ["nomad_data_dir", cfg.images.nomad.dataDir],
      // The Nomad client image creates it; empty when Prometheus keeps its TSDB on Nomad's ephemeral disk.
      ["prometheus_volume_path", prometheusHostVolume(cfg)?.path ?? ""],
      // The builds refuse a source image with other agent versions: the alert rules read these versions' metrics.
      ["consul_version", AGENT_VERSIONS.consul],
      ["nomad_version", AGENT_VERSIONS.nomad],
    ],
    hclString,
    `${generatedBy("Packer variables for the image builds", stack)}\n` +
      `Build an image (consul-server, nomad-server or nomad-client) from the project directory:\n` +
      `  packer build -var-file=packer/generated/${stack}/images.pkrvars.hcl -var source_image_id=<uimage-id> \\\n` +
      `    -only='consul-server.*' packer/`,
  );
}
