/** The alerts the stack must define, in rule-file order: the specification the tests hold the rules to. */
export const EXPECTED_ALERTS = [
  "NomadServerDown",
  "NomadServersMissing",
  "NomadNoLeader",
  "ConsulServerDown",
  "ConsulServersMissing",
  "ConsulNoLeader",
  "FabioDown",
  "NameServerIndexFabioMissing",
  "NameServerIndexFabioHostMissing",
  "PrometheusFabioMissing",
  "PrometheusFabioHostMissing",
  "TargetDown",
  "PrometheusConfigReloadFailed",
] as const;
