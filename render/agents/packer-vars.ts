// The variables files packer builds the images with: which generated/<stack> files to upload, and the data
// directories the provisioners create (the same values the agent configs carry). One file for the images a
// stack builds once (consul-server, nomad-server), one per Nomad datacenter for the nomad-client image.
import type { StackConfig } from "../../config";
import type { StackModel } from "../../model";
import { hclString } from "../hcl";
import { writeHcl, type HclEntry } from "./hcl-writer";
import { prometheusHostVolume } from "./nomad";
import { generatedBy } from "./provenance";

/** The image builds of packer/*.pkr.hcl. */
export type ImageBuild = "consul-server" | "nomad-server" | "nomad-client";

/** Run once in the project directory before the first build: installs the builder plugin. */
export const PACKER_INIT_COMMAND = "packer init packer/";

/** The one way every image is built, from the project directory. */
export function packerBuildCommand(varFile: string, image: ImageBuild): string {
  return `packer build -var-file=${varFile} -var source_image_id=<uimage-id> -only='${image}.*' packer/`;
}

/** Directory of one Nomad datacenter's client image files, relative to generated/<stack>/. */
export function nomadClientDir(datacenter: string): string {
  return `nomad-client/${datacenter}`;
}

export const PACKER_VARS_FILE = "images.pkrvars.hcl";

function sharedVars(cfg: StackConfig, stack: string): HclEntry[] {
  return [
    ["stack", stack],
    ["consul_data_dir", cfg.images.consul.dataDir],
    ["nomad_data_dir", cfg.images.nomad.dataDir],
    // The Nomad client image creates it; empty when Prometheus keeps its TSDB on Nomad's ephemeral disk.
    ["prometheus_volume_path", prometheusHostVolume(cfg)?.path ?? ""],
    // The builds refuse a source image with other agent versions: the alert rules read these versions' metrics.
    ["consul_version", cfg.images.consul.version],
    ["nomad_version", cfg.images.nomad.version],
  ];
}

function buildHeader(model: StackModel, what: string, varFile: string, images: readonly ImageBuild[]): string {
  const commands = images.map((image) => `  ${packerBuildCommand(varFile, image)}`).join("\n");
  return (
    `${generatedBy(`Packer variables for ${what}`, model)}\n` +
    `Build from the project directory, once \`${PACKER_INIT_COMMAND}\` has installed the builder plugin:\n${commands}`
  );
}

/**
 * The consul-server and nomad-server images: one of each per stack. Nomad servers serve the whole region, so
 * building them once per datacenter would double the voters `bootstrap_expect` counts.
 */
export function packerVarsHcl(model: StackModel): string {
  return writeHcl(
    sharedVars(model.config, model.stack),
    hclString,
    buildHeader(
      model,
      "the consul-server and nomad-server images, built once per stack",
      `packer/generated/${model.stack}/${PACKER_VARS_FILE}`,
      ["consul-server", "nomad-server"],
    ),
  );
}

/** The nomad-client image of one datacenter: the only image that differs between datacenters. */
export function nomadClientPackerVarsHcl(model: StackModel, datacenter: string): string {
  return writeHcl(
    [...sharedVars(model.config, model.stack), ["nomad_client_datacenter", datacenter]],
    hclString,
    buildHeader(
      model,
      `the nomad-client image of datacenter ${datacenter}`,
      `packer/generated/${model.stack}/${nomadClientDir(datacenter)}/${PACKER_VARS_FILE}`,
      ["nomad-client"],
    ),
  );
}
