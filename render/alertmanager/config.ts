// alertmanager.yml as a typed object, serialized with a YAML library. Secrets are never in it: each receiver
// reads its webhook URL or SMTP password from a file the job's templates write from a Nomad Variable.
import * as path from "node:path";
import { stringify } from "yaml";
import type { AlertReceiver, AlertRoute, ChildRoute, DeployedAlerting } from "../../config";

export interface AlertmanagerRoute {
  receiver: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: AlertmanagerRoute[];
}

export interface AlertmanagerReceiver {
  name: string;
  webhook_configs?: { url_file: string; send_resolved: boolean }[];
  email_configs?: {
    to: string;
    from: string;
    smarthost: string;
    auth_username?: string;
    auth_password_file?: string;
    send_resolved: boolean;
  }[];
}

export interface AlertmanagerYaml {
  route: AlertmanagerRoute;
  receivers: AlertmanagerReceiver[];
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
}

/** The task's secrets directory, where the job's templates write one file per secret. */
export const ALERTMANAGER_SECRETS_DIR = "/secrets";
/** Where the task reads its config (local/: it holds no secret). */
export const ALERTMANAGER_CONFIG_PATH = "/local/alertmanager.yml";

/** The file a secret is read from: its name under `secretsDir`. */
export function secretFile(secretsDir: string, name: string): string {
  return path.posix.join(secretsDir, name);
}

function childRoute(route: ChildRoute): AlertmanagerRoute {
  return {
    receiver: route.receiver,
    matchers: route.matchers ?? [],
    ...(route.groupBy ? { group_by: route.groupBy } : {}),
    ...(route.continue !== undefined ? { continue: route.continue } : {}),
    ...(route.routes && route.routes.length > 0 ? { routes: route.routes.map(childRoute) } : {}),
  };
}

function topRoute(route: AlertRoute): AlertmanagerRoute {
  return {
    receiver: route.receiver,
    group_by: route.groupBy,
    group_wait: route.groupWait,
    group_interval: route.groupInterval,
    repeat_interval: route.repeatInterval,
    ...(route.routes.length > 0 ? { routes: route.routes.map(childRoute) } : {}),
  };
}

function receiver(r: AlertReceiver, secretsDir: string): AlertmanagerReceiver {
  return {
    name: r.name,
    ...(r.webhooks.length > 0
      ? {
          webhook_configs: r.webhooks.map((w) => ({
            url_file: secretFile(secretsDir, w.urlSecret),
            send_resolved: w.sendResolved,
          })),
        }
      : {}),
    ...(r.emails.length > 0
      ? {
          email_configs: r.emails.map((e) => ({
            to: e.to,
            from: e.from,
            smarthost: e.smarthost,
            ...(e.authUsername !== undefined ? { auth_username: e.authUsername } : {}),
            ...(e.authPasswordSecret !== undefined
              ? { auth_password_file: secretFile(secretsDir, e.authPasswordSecret) }
              : {}),
            send_resolved: e.sendResolved,
          })),
        }
      : {}),
  };
}

/** `secretsDir` is where the secret files are: the task's /secrets, or a test's temp dir. */
export function alertmanagerConfig(
  alerting: Pick<DeployedAlerting, "route" | "receivers" | "inhibitRules">,
  secretsDir = ALERTMANAGER_SECRETS_DIR,
): AlertmanagerYaml {
  return {
    route: topRoute(alerting.route),
    receivers: alerting.receivers.map((r) => receiver(r, secretsDir)),
    inhibit_rules: alerting.inhibitRules.map((rule) => ({
      source_matchers: rule.sourceMatchers,
      target_matchers: rule.targetMatchers,
      equal: rule.equal,
    })),
  };
}

export function alertmanagerYaml(
  alerting: Pick<DeployedAlerting, "route" | "receivers" | "inhibitRules">,
  secretsDir = ALERTMANAGER_SECRETS_DIR,
): string {
  return stringify(alertmanagerConfig(alerting, secretsDir), { lineWidth: 0, aliasDuplicateObjects: false });
}
