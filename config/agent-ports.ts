// The ports the Consul and Nomad agents listen on, on every host a Fabio runs on (their default ports; the
// images change only the Consul HTTP port, which the config names).

export interface AgentPort {
  port: number;
  /** What listens there, as an operator would say it. */
  agent: string;
}

/** Every host runs a Consul agent and a Nomad agent on these ports. */
export const AGENT_PORTS: readonly AgentPort[] = [
  { port: 8300, agent: "Consul's server RPC" },
  { port: 8301, agent: "Consul's Serf LAN" },
  { port: 8302, agent: "Consul's Serf WAN" },
  { port: 8500, agent: "Consul's HTTP API" },
  { port: 8600, agent: "Consul's DNS" },
  { port: 4646, agent: "Nomad's HTTP API" },
  { port: 4647, agent: "Nomad's RPC" },
  { port: 4648, agent: "Nomad's Serf" },
];

/** The port of `consul.address`, the local agent Nomad, Fabio and Prometheus talk to. */
export function consulAddressPort(cfg: { consul: { address: string } }): number {
  return Number(cfg.consul.address.slice(cfg.consul.address.lastIndexOf(":") + 1));
}
