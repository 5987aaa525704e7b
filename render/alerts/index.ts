// Every alert of a stack, in rule-file order.
import type { StackModel } from "../../model";
import { SCRAPE_JOBS } from "../prometheus-config";
import { consulNoLeader } from "./consul";
import type { AlertDefinition } from "./definition";
import { fabioDown, fabioMissing } from "./fabio";
import { lookupAlerts } from "./lookups";
import { nomadNoLeader } from "./nomad";
import { prometheusConfigReloadFailed } from "./prometheus";
import { anyTargetDown, serverDown, serversMissing } from "./targets";

export * from "./definition";
export * from "./causes";

export function alertDefinitions(model: StackModel): AlertDefinition[] {
  const cfg = model.config;
  const cluster = cfg.clusterName;
  const specific = [
    serverDown("Nomad", SCRAPE_JOBS.nomadServers, cluster),
    serversMissing("Nomad", SCRAPE_JOBS.nomadServers, cfg.images.nomadServer.bootstrapExpect, cluster),
    nomadNoLeader(cfg),
    serverDown("Consul", SCRAPE_JOBS.consulServers, cluster),
    serversMissing("Consul", SCRAPE_JOBS.consulServers, cfg.images.consulServer.bootstrapExpect, cluster),
    consulNoLeader(cfg),
    fabioDown(cfg),
    ...fabioMissing(model),
    ...lookupAlerts(model),
  ];
  return [...specific, anyTargetDown(cfg, specific), prometheusConfigReloadFailed(cfg)];
}
