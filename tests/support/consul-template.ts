// A real consul-template (the release Nomad 1.4 embeds) rendering templates the way a Nomad template stanza does.
import * as fs from "node:fs";
import * as path from "node:path";
import { start, tempDir, waitFor, type Started } from "./processes";

/**
 * Renders each template's `data` into its `destination`, again on every change in Consul it reads, and waits for
 * the first render of every one.
 */
export async function startConsulTemplate(
  consulAddr: string,
  templates: { data: string; destination: string }[],
): Promise<Started> {
  const dir = tempDir("consul-template");
  const args = templates.map(({ data, destination }, i) => {
    const source = path.join(dir, `${i}-${path.basename(destination)}.ctmpl`);
    fs.writeFileSync(source, data);
    return `-template=${source}:${destination}`;
  });
  const proc = start("consul-template", [`-consul-addr=${consulAddr}`, ...args, "-log-level=warn"], {
    // Its -kill-signal; SIGTERM would only be passed on to a child command it has none of.
    stopSignal: "SIGINT",
  });
  await waitFor(
    `consul-template to render ${templates.map((t) => path.basename(t.destination)).join(", ")}`,
    () => Promise.resolve(templates.every((t) => fs.existsSync(t.destination)) || undefined),
    { process: proc },
  );
  return proc;
}
