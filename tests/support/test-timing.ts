// The one place where the integration tests shorten the timing of a rendered Prometheus config or rule file
// before a real Prometheus runs it, so that tests wait for events rather than for production intervals. Only
// when things happen changes, never what: every value below is safe for the reason given beside it, and the
// files as rendered (production intervals, the real `for:`) are what promtool checks and tests.
// docs/testing.md lists these overrides too.
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import type { DeployedAlerting } from "../../config";
import type { RuleFile } from "../../render";

export const PROMETHEUS_TEST_TIMING = {
  /**
   * `global.scrape_interval` (and a scrape job's own `scrape_interval`, `scrape_timeout`): a new target is
   * first scraped at a random offset within the interval. The tests look at which targets Prometheus finds,
   * their labels and health; the rendered interval is bounded by the schema, checked by `promtool check config`
   * on the unmodified file and by the config-bounds test on Prometheus' own flags.
   */
  scrapeInterval: "1s",
  /**
   * `global.evaluation_interval`: rules are evaluated as often; what a rule computes and when it fires is
   * proven by `promtool test rules` on the rendered rules at their own evaluation interval.
   */
  evaluationInterval: "1s",
  /**
   * `refresh_interval` of every `*_sd_configs` entry (Consul and file discovery, the Alertmanagers' too),
   * left at Prometheus' default (30s) by the render: after each answer, Consul discovery waits that long
   * before its next (blocking) query, so a service deregistered meanwhile stays a target for up to 30s.
   * Which services and tags are discovered is unchanged. (Prometheus also batches discovery updates for 5s,
   * which no config changes.)
   */
  discoveryRefreshInterval: "1s",
  /**
   * Every alert's `for:`: the real one is proven by the alert's promtool scenario (prometheus.test.ts, "fires
   * after its `for:`"); a real-binary test proves that the alert reaches Prometheus' alerts and receivers with
   * its labels, which a short hold does not change.
   */
  alertFor: "1s",
  /**
   * `--rules.alert.resend-delay` (default 1m): a firing alert is sent to the Alertmanagers again only after it,
   * so one that fired before discovery found an Alertmanager would reach it a minute later. Which alerts are
   * sent, and where, is unchanged.
   */
  alertResendDelay: "1s",
} as const;

export const ALERTMANAGER_TEST_TIMING = {
  /**
   * The route's `group_wait` and `group_interval` (rendered 30s and 5m by default): how long Alertmanager holds
   * a new group, and a changed one, before notifying. Routing, grouping, receivers and inhibition are unchanged,
   * and they are what the tests look at. group_wait stays a few seconds: Alertmanager's inhibitor takes in a new
   * source alert asynchronously, and a target alert that arrived with it must not be flushed before it has
   * (with 1s, a loaded machine delivered ConsulNoLeader beside ConsulServersMissing).
   */
  groupWait: "5s",
  groupInterval: "1s",
  /**
   * `--cluster.gossip-interval` (default 200ms), given to the gossiping pair only: before it reports "ready",
   * an instance waits for the peer count to hold still over three checks ten gossip intervals apart (8 s by
   * default). Which peers join, from the flags the job's template renders, is unchanged.
   */
  gossipInterval: "50ms",
} as const;

/** The stack's deployed alerting with the test grouping waits above; everything else as configured. */
export function withTestGrouping(alerting: DeployedAlerting): DeployedAlerting {
  const { groupWait, groupInterval } = ALERTMANAGER_TEST_TIMING;
  return { ...alerting, route: { ...alerting.route, groupWait, groupInterval } };
}

function setEach(doc: Document, seqPath: string[], key: string, value: string, onlyIfSet = false): void {
  const seq = doc.getIn(seqPath);
  if (!isSeq(seq)) return;
  for (const item of seq.items) {
    if (isMap(item) && (!onlyIfSet || item.has(key))) item.set(key, value);
  }
}

/** Every `*_sd_configs` entry under each item of the sequence at `seqPath` gets the test refresh interval. */
function refreshDiscovery(doc: Document, seqPath: string[]): void {
  const seq = doc.getIn(seqPath);
  if (!isSeq(seq)) return;
  seq.items.forEach((item, i) => {
    if (!isMap(item)) return;
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      if (key.endsWith("_sd_configs")) {
        setEach(doc, [...seqPath, String(i), key], "refresh_interval", PROMETHEUS_TEST_TIMING.discoveryRefreshInterval);
      }
    }
  });
}

/** prometheus.yml text with the test timing above; everything else as given. */
export function withTestTiming(prometheusYml: string): string {
  const doc = parseDocument(prometheusYml);
  const { scrapeInterval, evaluationInterval } = PROMETHEUS_TEST_TIMING;
  doc.setIn(["global", "scrape_interval"], scrapeInterval);
  doc.setIn(["global", "evaluation_interval"], evaluationInterval);
  if (doc.hasIn(["global", "scrape_timeout"])) doc.setIn(["global", "scrape_timeout"], scrapeInterval);
  setEach(doc, ["scrape_configs"], "scrape_interval", scrapeInterval, true);
  setEach(doc, ["scrape_configs"], "scrape_timeout", scrapeInterval, true);
  refreshDiscovery(doc, ["scrape_configs"]);
  refreshDiscovery(doc, ["alerting", "alertmanagers"]);
  return doc.toString({ lineWidth: 0 });
}

/** The rule file with every alert's `for:` shortened to the test hold; expressions, labels, annotations kept. */
export function withTestFor(rules: RuleFile): RuleFile {
  return {
    groups: rules.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => ({ ...rule, for: PROMETHEUS_TEST_TIMING.alertFor })),
    })),
  };
}
