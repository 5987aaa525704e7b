// Stack config of the Prometheus service job.
import { z } from "zod";
import { ALERTMANAGER_SERVICE_MOVED, alertingSchema } from "./alerting-schema";
import { parsePrometheusDuration, prometheusDurationMs } from "./durations";
import { dnsName, nodeMetaKey, pinnedImage, resources, safeToken, wholeNumberBetween } from "./primitives";

/** A positive Prometheus duration such as `5s`, `1m30s` or `15d` (Prometheus' own syntax, which feeds its flags). */
const PROM_DURATION_RULE = "must be a Prometheus duration such as 15s, 5m or 15d";
export const promDuration = z
  .string({ error: PROM_DURATION_RULE })
  .refine((d) => parsePrometheusDuration(d) !== undefined, PROM_DURATION_RULE)
  .refine((d) => (parsePrometheusDuration(d) ?? 1) > 0, "must be a duration above zero");

/** A Prometheus duration from `min` to `max` (both Prometheus durations), `why` saying what lies outside. */
function promDurationBetween(min: string, max: string, why: string) {
  return promDuration.refine((d) => {
    const ms = parsePrometheusDuration(d) ?? 0;
    return ms >= prometheusDurationMs(min) && ms <= prometheusDurationMs(max);
  }, `must be from ${min} to ${max}: ${why}`);
}

// Prometheus looks 5m back for a series' latest sample: much beyond 2m between samples and series drop out of
// queries and alerts between scrapes; below 1s it scrapes or evaluates faster than the targets refresh.
const INTERVAL_WHY =
  "faster loads the targets for nothing, slower than 2m lets series drop out of queries between samples";

/** Where the runbooks live unless the stack says otherwise: docs/runbooks in this repository. */
export const DEFAULT_RUNBOOK_BASE_URL =
  "https://github.com/rocketmq-platform/rocketmq-system-jobs/blob/main/docs/runbooks";

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
  z.strictObject({
    kind: z.literal("ephemeralDisk"),
    sizeMb: wholeNumberBetween(
      100,
      1_048_576,
      "MB",
      " (Nomad places the job only on a host with that much disk free)",
    ).default(2048),
  }),
]);

/**
 * The longest a NameServer lookup probe waits: the 3 s a RocketMQ client gives its own address-server lookup
 * (TopAddressing#fetchNSAddr, 3000 ms), so an answer the clients give up on is a failed probe, not a slow one.
 */
export const LOOKUP_TIMEOUT = "3s";

export const prometheusSchema = z.strictObject({
  /**
   * Nomad job ID, also the Consul service name Prometheus registers under: a DNS label, distinct from both
   * Fabios and from every service Prometheus discovers for another purpose (`<clusterName>-nomad`,
   * `<clusterName>-nomad-client`, `consul_http`, each Fabio's `<job>-metrics`, the Alertmanager service of
   * `alerting`: the list is `discoveredServices` in config/naming.ts).
   */
  jobName: dnsName.default("prometheus"),
  /** Prometheus container image, pinned to a tag other than `latest` or to a digest. */
  image: pinnedImage.default("prom/prometheus:v2.53.4"),
  /**
   * How often targets are scraped: a Prometheus duration from `1s` to `2m` (slower lets series drop out of
   * queries between samples).
   */
  scrapeInterval: promDurationBetween("1s", "2m", INTERVAL_WHY).default("15s"),
  /** How often alert rules are evaluated: a Prometheus duration from `1s` to `2m`. */
  evaluationInterval: promDurationBetween("1s", "2m", INTERVAL_WHY).default("15s"),
  /** `--storage.tsdb.retention.time`: a Prometheus duration from `2h` (one TSDB block) to `5y` (`y` is 365 days). */
  retentionTime: promDurationBetween(
    "2h",
    "5y",
    "Prometheus cuts a block every 2h, and years beyond that belong in long-term storage, not on a NameServer host",
  ).default("15d"),
  /** `--storage.tsdb.retention.size`, a size such as `512MB` or `40GB`; unset means no size limit. */
  retentionSize: z
    .string()
    .regex(/^[1-9][0-9]*(?:B|KB|MB|GB|TB|PB|EB)$/, "must be a size such as 512MB or 10GB")
    .optional(),
  /**
   * Which Nomad clients Prometheus may run on: the NameServer hosts, a node class, a node meta value (`key`
   * as for `nameServerHosts`) or any host. With host-volume storage, only hosts whose image declares the volume.
   */
  placement: placement.default({ by: "nameServerHosts" }),
  /**
   * Where the TSDB lives so data survives restarts and rescheduling: Nomad's ephemeral disk (`sizeMb`, a whole
   * number from 100 to 1048576, sticky and migrated) or a Nomad host volume (`volume`, declared by the
   * NameServer hosts' client image at `images.nomad.prometheusVolumePath`).
   */
  storage: storage.default({ kind: "ephemeralDisk", sizeMb: 2048 }),
  /** Replaced by `alerting`; a stack file that still sets it is told the new form. */
  alertmanagerService: z.never({ error: ALERTMANAGER_SERVICE_MOVED }).optional(),
  /**
   * Where alerts go: a discovered Alertmanager (`delivery: discovered` + `service`), one this program deploys
   * (`delivery: deployed` + `route`, `receivers`, `inhibitRules`), or none (`delivery: none` + `reason`). No
   * default: a stack that does not choose is refused. See docs/alerting.md.
   */
  alerting: alertingSchema,
  /**
   * Base URL of the runbooks: each alert's `runbook_url` is `<runbookBaseUrl>/<AlertName>.md`.
   * Default: this repository's docs/runbooks on GitHub.
   */
  runbookBaseUrl: z
    .string()
    .regex(/^https?:\/\/[^\s"'<>]+[^/\s"'<>]$/, "must be an http(s) URL without a trailing '/'")
    .default(DEFAULT_RUNBOOK_BASE_URL),
  /** How long a scrape target must stay down before the TargetDown alert fires: from `1m` to `1d`. */
  targetDownFor: promDurationBetween(
    "1m",
    "1d",
    "shorter fires on every slow scrape, longer leaves a dead target unreported for days",
  ).default("5m"),
  /** What Nomad reserves for the Prometheus task. */
  resources: resources({ cpu: 500, memory: 1024, minMemory: 64 }).prefault({}),
  /** The NameServer lookup probes: a blackbox_exporter task beside Prometheus (docs/lookup-probes.md). */
  lookupProbes: z
    .strictObject({
      /** blackbox_exporter container image, pinned. */
      image: pinnedImage.default("prom/blackbox-exporter:v0.25.0"),
      /** A lookup that succeeds but takes longer than this raises NameServerLookupSlow. */
      slowAfter: promDurationBetween(
        "10ms",
        "2s",
        `a probe gives up after ${LOOKUP_TIMEOUT}, a RocketMQ client's own lookup timeout, so a slower threshold could never be crossed by a lookup that succeeds`,
      ).default("1s"),
      /** Nomad reservation of the blackbox-exporter task. */
      resources: resources({ cpu: 100, memory: 64, minMemory: 16 }).prefault({}),
    })
    .prefault({}),
});

export type PrometheusConfig = z.infer<typeof prometheusSchema>;
