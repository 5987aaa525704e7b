// A real Alertmanager (the release the job deploys, built by install-test-tools.sh) started from the rendered
// config, and a webhook receiver on loopback that records what it is sent.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { DeployedAlerting } from "../../config";
import { alertmanagerYaml, secretFile } from "../../render";
import { freePort, http as get, start, tempDir, waitForReady, type Started } from "./processes";
import { withTestGrouping } from "./test-timing";

export interface AlertmanagerServer {
  readonly process: Started;
  readonly url: string;
}

/**
 * Writes alertmanager.yml as the job renders it, its secret files where the job's templates would (a temp dir
 * stands in for the task's secrets/), and starts Alertmanager on loopback without gossip (one instance).
 */
export async function startAlertmanager(
  alerting: DeployedAlerting,
  secrets: Record<string, string>,
): Promise<AlertmanagerServer> {
  const dir = tempDir("alertmanager");
  const secretsDir = path.join(dir, "secrets");
  fs.mkdirSync(secretsDir);
  for (const [name, value] of Object.entries(secrets)) fs.writeFileSync(secretFile(secretsDir, name), value);
  const configFile = path.join(dir, "alertmanager.yml");
  fs.writeFileSync(configFile, alertmanagerYaml(withTestGrouping(alerting), secretsDir));
  const port = await freePort();
  const proc = start("alertmanager", [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady("Alertmanager", url, proc);
  return { process: proc, url };
}

/** An alert as Alertmanager's v2 API lists it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: "active" | "suppressed" | "unprocessed"; inhibitedBy: string[]; silencedBy: string[] };
}

export async function alertmanagerAlerts(server: AlertmanagerServer): Promise<AmAlert[]> {
  const { text } = await get(`${server.url}/api/v2/alerts`);
  return JSON.parse(text) as AmAlert[];
}

/** What Alertmanager's webhook notifier posts. */
export interface WebhookPayload {
  receiver: string;
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: WebhookPayload[];
  close(): Promise<void>;
}

/** An HTTP server on loopback that records every JSON body posted to it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookPayload[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
