// The lookup prober as the Prometheus job runs it: a real blackbox_exporter on the rendered blackbox.yml, and a
// real consul-template (the release Nomad 1.4 embeds) rendering the lookup targets template into the file_sd
// list the rendered prometheus.yml reads.
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../../config";
import { blackboxYaml, lookupProbeInputs, lookupTargetsTemplate } from "../../render";
import { startConsulTemplate } from "./consul-template";
import { freePort, http, start, tempDir, waitFor, type Started } from "./processes";
import { modelOf } from "./stack";

export interface LookupProber {
  readonly blackbox: Started;
  /** host:port of blackbox_exporter: what the rendered config's `{{ env "NOMAD_PORT_blackbox" }}` stands for. */
  readonly blackboxAddr: string;
  readonly url: string;
}

/** Starts blackbox_exporter on a free loopback port with the rendered modules, and waits until it answers. */
export async function startBlackbox(): Promise<LookupProber> {
  const dir = tempDir("blackbox");
  const configFile = path.join(dir, "blackbox.yml");
  fs.writeFileSync(configFile, blackboxYaml());
  const port = await freePort();
  const blackboxAddr = `127.0.0.1:${port}`;
  const blackbox = start("blackbox_exporter", [`--config.file=${configFile}`, `--web.listen-address=${blackboxAddr}`]);
  const url = `http://${blackboxAddr}`;
  await waitFor(
    "blackbox_exporter to answer",
    async () => ((await http(`${url}/metrics`)).status === 200 ? true : undefined),
    {
      process: blackbox,
    },
  );
  return { blackbox, blackboxAddr, url };
}

/**
 * Runs consul-template as Nomad's template stanza would: the rendered lookup targets template, re-rendered on
 * every catalog change, into `targetsFile`. Waits for the first render.
 */
export function startLookupTargets(cfg: StackConfig, consulAddr: string, targetsFile: string): Promise<Started> {
  const data = lookupTargetsTemplate(lookupProbeInputs(modelOf(cfg)));
  return startConsulTemplate(consulAddr, [{ data, destination: targetsFile }]);
}
