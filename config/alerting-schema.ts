// Stack config of where alerts go (`prometheus.alerting`): every stack chooses, and none is a config error.
import { z } from "zod";
import { parsePrometheusDuration } from "./durations";
import { dnsName, pinnedImage, resources, wholeNumberBetween } from "./primitives";

/** Alertmanager reads durations as Prometheus does. */
const amDuration = z
  .string()
  .refine((d) => parsePrometheusDuration(d) !== undefined, "must be a duration such as 30s, 5m or 4h")
  .refine((d) => (parsePrometheusDuration(d) ?? 1) > 0, "must be a duration above zero");

/** A Prometheus label name. */
const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a label name such as alertname or cluster");

/** One Alertmanager matcher as its docs write it: `severity="critical"`, `alertname=~"Fabio.*"`. */
const matcher = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(?:=|!=|=~|!~)"(?:[^"\\\n]|\\.)*"$/,
    'must be a matcher such as severity="critical" (label, one of = != =~ !~, a double-quoted value)',
  );

/**
 * The name of a top-level secret config key (`pulumi config set --secret <name> <value>`): also the Nomad
 * Variable item and the file name the Alertmanager reads it from, so letters, digits and '_' only.
 */
export const secretName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must be a secret config key name: a letter, then letters, digits or '_'");

const PLAIN_TEXT_URL =
  "is a webhook URL in plain text; store it with `pulumi config set --secret <name> <url>` and write urlSecret: <name>";
const PLAIN_TEXT_PASSWORD =
  "is an SMTP password in plain text; store it with `pulumi config set --secret <name> <password>` and write authPasswordSecret: <name>";

const webhook = z.strictObject({
  /** Refused: a URL in the stack file is a secret in plain text (checked first, so that is what a user reads). */
  url: z.never({ error: PLAIN_TEXT_URL }).optional(),
  /** The secret config key holding the URL; it reaches Alertmanager through a Nomad Variable only. */
  urlSecret: secretName,
  /** Whether resolved alerts are sent too. */
  sendResolved: z.boolean().default(true),
});

const email = z.strictObject({
  /** Recipient address. */
  to: z.string().regex(/^[^\s@"]+@[^\s@"]+$/, "must be an e-mail address"),
  /** Sender address. */
  from: z.string().regex(/^[^\s@"]+@[^\s@"]+$/, "must be an e-mail address"),
  /** SMTP server as host:port. */
  smarthost: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*:[0-9]{1,5}$/, "must be host:port, e.g. smtp.example.com:587"),
  /** SMTP user; unset sends without authentication. */
  authUsername: z.string().min(1).optional(),
  /** The secret config key holding the SMTP password. */
  authPasswordSecret: secretName.optional(),
  /** Refused: a password in the stack file is a secret in plain text. */
  authPassword: z.never({ error: PLAIN_TEXT_PASSWORD }).optional(),
  sendResolved: z.boolean().default(false),
});

const receiver = z
  .strictObject({
    /** Name routes refer to. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-'"),
    webhooks: z.array(webhook).default([]),
    emails: z.array(email).default([]),
  })
  .refine(
    (r) => r.webhooks.length + r.emails.length > 0,
    "has no destination: give it at least one of webhooks or emails",
  );

interface RouteInput {
  receiver: string;
  matchers?: string[];
  groupBy?: string[];
  continue?: boolean;
  routes?: RouteInput[];
}

/** A child route: alerts matching all `matchers` go to `receiver`. */
const childRoute: z.ZodType<RouteInput> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().min(1),
    matchers: z.array(matcher).min(1, "must list at least one matcher"),
    groupBy: z.array(labelName).optional(),
    continue: z.boolean().optional(),
    routes: z.array(childRoute).optional(),
  }),
);

const route = z.strictObject({
  /** Where everything no child route takes goes. */
  receiver: z.string().min(1),
  /** Labels alerts are grouped into one notification by. */
  groupBy: z.array(labelName).default(["alertname", "cluster"]),
  groupWait: amDuration.default("30s"),
  groupInterval: amDuration.default("5m"),
  repeatInterval: amDuration.default("4h"),
  routes: z.array(childRoute).default([]),
});

const inhibitRule = z.strictObject({
  /** While an alert matching these fires… */
  sourceMatchers: z.array(matcher).min(1, "must list at least one matcher"),
  /** …alerts matching these are muted… */
  targetMatchers: z.array(matcher).min(1, "must list at least one matcher"),
  /** …when these labels are equal on both. */
  equal: z.array(labelName).default([]),
});

const deployed = z
  .strictObject({
    delivery: z.literal("deployed"),
    /** Nomad job ID, also the Consul service Prometheus discovers it by (`<jobName>-cluster` for its peers). */
    jobName: dnsName
      .refine((name) => name.length <= 55, "must be at most 55 characters (its peers service is <jobName>-cluster)")
      .default("alertmanager"),
    /** Alertmanager container image, pinned. */
    image: pinnedImage.default("prom/alertmanager:v0.27.0"),
    /** Instances, each on its own host (distinct_hosts) among Prometheus' placement; they gossip to deduplicate. */
    count: wholeNumberBetween(1, 5, "instances", " (each on its own host; 2 or 3 survive a host loss)").default(2),
    resources: resources({ cpu: 100, memory: 128, minMemory: 32 }).prefault({}),
    route,
    receivers: z.array(receiver).min(1, "must list at least one receiver"),
    inhibitRules: z.array(inhibitRule).default([]),
  })
  .superRefine(checkRouteReceivers)
  .superRefine(checkTemplateDelimiters);

/** consul-template renders alertmanager.yml with `[% %]` delimiters (Alertmanager keeps its own `{{ }}`). */
function checkTemplateDelimiters(cfg: unknown, ctx: z.RefinementCtx): void {
  if (/\[%|%\]/.test(JSON.stringify(cfg))) {
    ctx.addIssue({ code: "custom", message: "must not contain [% or %] anywhere (the job's template delimiters)" });
  }
}

/** Every route names a receiver the stack defines: Alertmanager refuses the whole config otherwise. */
function checkRouteReceivers(
  cfg: { route: { receiver: string; routes: RouteInput[] }; receivers: { name: string }[] },
  ctx: z.RefinementCtx,
): void {
  const known = cfg.receivers.map((r) => r.name);
  known.forEach((name, i) => {
    if (known.indexOf(name) < i) {
      ctx.addIssue({
        code: "custom",
        path: ["receivers", i, "name"],
        message: `"${name}" is defined twice; name each receiver once`,
      });
    }
  });
  const check = (receiverName: string, path: (string | number)[]) => {
    if (!known.includes(receiverName)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "receiver"],
        message: `"${receiverName}" is not a receiver of this stack (receivers: ${known.join(", ")})`,
      });
    }
  };
  const walk = (routes: RouteInput[], path: (string | number)[]) =>
    routes.forEach((r, i) => {
      check(r.receiver, [...path, i]);
      walk(r.routes ?? [], [...path, i, "routes"]);
    });
  check(cfg.route.receiver, ["route"]);
  walk(cfg.route.routes, ["route", "routes"]);
}

const DELIVERY_CHOICE =
  "must say where alerts go: delivery: discovered (with service), deployed (with route and receivers) or none (with reason)";

export const alertingSchema = z.discriminatedUnion(
  "delivery",
  [
    z.strictObject({
      delivery: z.literal("discovered"),
      /** Consul service of the Alertmanager(s), among instances tagged `cluster-<clusterName>`. */
      service: dnsName,
    }),
    deployed,
    z.strictObject({
      delivery: z.literal("none"),
      /** Why this stack sends alerts nowhere, shown by render, diff and verify. */
      reason: z
        .string()
        .trim()
        .min(1, "must say why alerts go nowhere")
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\x00-\x1f\x7f]*$/, "must be one line (render, diff and verify print it in one)"),
    }),
  ],
  { error: DELIVERY_CHOICE },
);

export type AlertingConfig = z.infer<typeof alertingSchema>;
export type DeployedAlerting = Extract<AlertingConfig, { delivery: "deployed" }>;
export type AlertRoute = DeployedAlerting["route"];
export type AlertReceiver = DeployedAlerting["receivers"][number];
export type ChildRoute = RouteInput;

/** Moved to `prometheus.alerting`: named so an old stack file gets the new form, not "unknown key". */
export const ALERTMANAGER_SERVICE_MOVED =
  "moved: write prometheus.alerting: { delivery: discovered, service: <this name> } instead";

/** The Consul service of the Alertmanagers Prometheus sends to: none when the stack delivers nowhere. */
export function alertmanagerService(alerting: AlertingConfig): string | undefined {
  switch (alerting.delivery) {
    case "discovered":
      return alerting.service;
    case "deployed":
      return alerting.jobName;
    case "none":
      return undefined;
    default: {
      const never: never = alerting;
      return never;
    }
  }
}
