// Stack config of the Prometheus service job.
import { z } from "zod";
import { dnsName, nodeMetaKey, pinnedImage, safeToken } from "./primitives";

// Prometheus' own duration syntax (units largest first), which also feeds its command-line flags.
const PROM_DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

/** A positive Prometheus duration such as `5s`, `1m30s` or `15d`. */
export const promDuration = z
  .string()
  .regex(PROM_DURATION, "must be a Prometheus duration such as 15s, 5m or 15d")
  .refine((d) => d !== "" && /[1-9]/.test(d), "must be a duration above zero");

/** Where Prometheus runs: by default on the NameServer hosts, as the seed did. */
const placement = z.discriminatedUnion("by", [
  z.strictObject({ by: z.literal("nameServerHosts") }),
  z.strictObject({ by: z.literal("nodeClass"), nodeClass: safeToken }),
  z.strictObject({ by: z.literal("meta"), key: nodeMetaKey, value: safeToken }),
  z.strictObject({ by: z.literal("anyHost") }),
]);

/** Where the TSDB lives so data survives restarts and rescheduling. */
const storage = z.discriminatedUnion("kind", [
  /** A Nomad host volume (client `host_volume` stanza) mounted at /prometheus. */
  z.strictObject({ kind: z.literal("hostVolume"), volume: safeToken }),
  /** Nomad's ephemeral disk, sticky and migrated between allocations. */
  z.strictObject({ kind: z.literal("ephemeralDisk"), sizeMb: z.number().int().min(100).default(2048) }),
]);

export const prometheusSchema = z.strictObject({
  /** Nomad job ID, also the Consul service name Prometheus registers under. */
  jobName: dnsName.default("prometheus"),
  /** Prometheus container image, pinned. */
  image: pinnedImage.default("prom/prometheus:v2.53.4"),
  /** How often targets are scraped. */
  scrapeInterval: promDuration.default("15s"),
  /** How often alert rules are evaluated. */
  evaluationInterval: promDuration.default("15s"),
  /** `--storage.tsdb.retention.time`. */
  retentionTime: promDuration.default("15d"),
  /** `--storage.tsdb.retention.size`, e.g. `10GB`; unset means no size limit. */
  retentionSize: z
    .string()
    .regex(/^[1-9][0-9]*(?:B|KB|MB|GB|TB|PB|EB)$/, "must be a size such as 512MB or 10GB")
    .optional(),
  placement: placement.default({ by: "nameServerHosts" }),
  storage: storage.default({ kind: "ephemeralDisk", sizeMb: 2048 }),
  /**
   * Consul service name of the Alertmanager(s) to send alerts to. Unset, alerts are only visible in
   * Prometheus itself (/alerts).
   */
  alertmanagerService: dnsName.optional(),
  /** How long a scrape target must stay down before the TargetDown alert fires. */
  targetDownFor: promDuration.default("5m"),
  resources: z
    .strictObject({
      cpu: z.number().int().min(1).default(500),
      memory: z.number().int().min(64).default(1024),
    })
    .prefault({}),
});

export type PrometheusConfig = z.infer<typeof prometheusSchema>;
