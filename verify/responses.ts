// The parts of Consul's, Nomad's and Prometheus' HTTP answers that `verify` reads, as zod schemas: an answer
// of another shape becomes a failed check naming the API, never a crash.
import { z } from "zod";

const consulCheck = z.object({ Name: z.string(), Status: z.string(), Output: z.string().default("") });

/** `/v1/health/service/<name>`: one entry per instance, with the node's checks and the service's. */
export const consulHealth = z.array(
  z.object({
    Node: z.object({ Node: z.string(), Address: z.string() }),
    Service: z.object({ ID: z.string(), Service: z.string(), Address: z.string().default(""), Port: z.number() }),
    Checks: z.array(consulCheck).default([]),
  }),
);

/** `/v1/catalog/services`: service name → the union of its instances' tags. */
export const consulServices = z.record(z.string(), z.array(z.string()).nullable().default([]));

/** `/v1/status/peers` (Consul and Nomad): the Raft peers' `ip:port`. */
export const raftPeers = z.array(z.string());

/** `/v1/nodes` (Nomad). */
export const nomadNodes = z.array(
  z.object({
    ID: z.string(),
    Name: z.string(),
    Address: z.string().default(""),
    Datacenter: z.string(),
    NodeClass: z.string().default(""),
    Status: z.string(),
  }),
);

/** `/v1/node/<id>` (Nomad): only what the host selection by meta needs. */
export const nomadNode = z.object({ Meta: z.record(z.string(), z.string()).nullable().default({}) });

/** `/v1/job/<id>/allocations` (Nomad). */
export const nomadAllocations = z.array(
  z.object({
    ID: z.string(),
    NodeID: z.string(),
    DesiredStatus: z.string(),
    ClientStatus: z.string(),
  }),
);

const prometheusEnvelope = <T extends z.ZodType>(data: T) => z.object({ status: z.literal("success"), data });

/** `/api/v1/targets?state=active`. */
export const prometheusTargets = prometheusEnvelope(
  z.object({
    activeTargets: z.array(
      z.object({
        scrapePool: z.string(),
        labels: z.record(z.string(), z.string()),
        health: z.string(),
        lastError: z.string().default(""),
      }),
    ),
  }),
);

/** `/api/v1/rules`. */
export const prometheusRules = prometheusEnvelope(
  z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        rules: z.array(
          z.object({ name: z.string(), health: z.string().default("unknown"), lastError: z.string().default("") }),
        ),
      }),
    ),
  }),
);

/** `/api/v1/alerts`. */
export const prometheusAlerts = prometheusEnvelope(
  z.object({ alerts: z.array(z.object({ labels: z.record(z.string(), z.string()), state: z.string() })) }),
);

/** `/api/v1/alertmanagers`. */
export const prometheusAlertmanagers = prometheusEnvelope(
  z.object({ activeAlertmanagers: z.array(z.object({ url: z.string() })) }),
);

export type ConsulHealth = z.infer<typeof consulHealth>;
export type NomadNodeStub = z.infer<typeof nomadNodes>[number];
export type NomadAllocation = z.infer<typeof nomadAllocations>[number];
export type ActiveTarget = z.infer<typeof prometheusTargets>["data"]["activeTargets"][number];
export type RuleGroup = z.infer<typeof prometheusRules>["data"]["groups"][number];
export type Alert = z.infer<typeof prometheusAlerts>["data"]["alerts"][number];
export type ActiveAlertmanager = z.infer<typeof prometheusAlertmanagers>["data"]["activeAlertmanagers"][number];

/** Parses a JSON answer; the error says what was expected in one line. */
export function parseAnswer<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AnswerError(`${what}: the answer is not JSON (${oneLine(text)})`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new AnswerError(`${what}: unexpected answer (${issue.path.join(".") || "top level"}: ${issue.message})`);
  }
  return result.data;
}

export class AnswerError extends Error {}

/** The start of a response body on one line, for details. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
