// The secret config keys a deployed Alertmanager's receivers name (webhook URLs, SMTP passwords). They are
// top-level keys set with `pulumi config set --secret`, never part of StackConfig, so nothing rendered holds them.
import type { AlertingConfig } from "./alerting-schema";

/** A secret a receiver names, with the config key path that names it. */
export interface AlertSecretReference {
  name: string;
  keyPath: (string | number)[];
}

/** The secrets a validated `prometheus.alerting` names, each once, in the order the stack file names them. */
export function alertSecretReferences(alerting: AlertingConfig): AlertSecretReference[] {
  if (alerting.delivery !== "deployed") return [];
  const found: AlertSecretReference[] = [];
  const add = (name: string | undefined, keyPath: (string | number)[]) => {
    if (name !== undefined && !found.some((f) => f.name === name)) found.push({ name, keyPath });
  };
  alerting.receivers.forEach((receiver, r) => {
    const base = ["prometheus", "alerting", "receivers", r];
    receiver.webhooks.forEach((w, i) => add(w.urlSecret, [...base, "webhooks", i, "urlSecret"]));
    receiver.emails.forEach((e, i) => add(e.authPasswordSecret, [...base, "emails", i, "authPasswordSecret"]));
  });
  return found;
}

/** The names of the secrets raw (unvalidated) `prometheus` config names, so they are not read as unknown keys. */
export function rawAlertSecretNames(rawPrometheus: unknown): string[] {
  const field = (value: unknown, key: string): unknown =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)[key]
      : undefined;
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const receivers = list(field(field(rawPrometheus, "alerting"), "receivers"));
  const names = receivers.flatMap((receiver) => [
    ...list(field(receiver, "webhooks")).map((w) => field(w, "urlSecret")),
    ...list(field(receiver, "emails")).map((e) => field(e, "authPasswordSecret")),
  ]);
  return names.filter((name): name is string => typeof name === "string");
}
