// Where a stack's alerts go, in one line: render's summary, diff and verify all print it.
import type { AlertingConfig } from "../config";

/** `tag` is the stack's cluster tag, which a discovered Alertmanager's service must carry. */
export function alertDeliveryLine(alerting: AlertingConfig, tag: string): string {
  switch (alerting.delivery) {
    case "discovered":
      return `alerts go to: the Alertmanagers Consul lists as service "${alerting.service}" tagged ${tag} (discovered)`;
    case "deployed": {
      const receivers = alerting.receivers.map((r) => {
        const kinds = [...(r.webhooks.length > 0 ? ["webhook"] : []), ...(r.emails.length > 0 ? ["email"] : [])];
        return `${r.name} (${kinds.join(", ")})`;
      });
      return `alerts go to: the Alertmanager job "${alerting.jobName}" this stack deploys (${alerting.count} instances), receivers ${receivers.join(", ")}`;
    }
    case "none":
      return `alerts go to: nowhere (delivery: none; ${alerting.reason}); they show only on Prometheus' /alerts page`;
    default: {
      const never: never = alerting;
      return never;
    }
  }
}
