// The NameServer lookup probes: blackbox_exporter's config, the consul-template that turns Consul's catalog into
// Prometheus file_sd targets (every index-Fabio host × every subgroup), and the two scrape jobs that use them.
// Pure functions over a narrow input (`LookupProbeInputs`), built from the stack config in one place.
import { LOOKUP_TIMEOUT } from "../config";
import { stringify } from "yaml";
import type { StackModel } from "../model";
import { SERVICE_INSTANCE_URL_HOST } from "./consul-template";
import { nameServerIndexMemberTag, nameServerIndexPath, type NameServerIndexStack } from "./nameserver-index";
import type { RelabelConfig, ScrapeConfig } from "./prometheus-config";
import { regexQuote } from "./regex";

/** What the probes are built from: nothing else of the stack reaches them. */
export interface LookupProbeInputs {
  /** The stack's clusterName and index Fabio tag prefix: the NameServer-index contract's stack. */
  indexStack: NameServerIndexStack;
  /** The index Fabio's Consul service (its job name), whose instances are the NameServer hosts. */
  indexFabioService: string;
  /** The tag only this stack's services carry (`cluster-<name>`). */
  clusterTag: string;
  /** The index Fabio's proxy port, where RocketMQ clients look up. */
  proxyPort: number;
}

export function lookupProbeInputs(model: StackModel): LookupProbeInputs {
  const index = model.fabios.nameServerIndex;
  return {
    indexStack: model.nameServerIndexStack,
    indexFabioService: index.name,
    clusterTag: model.clusterTag,
    proxyPort: index.ports.proxy,
  };
}

/** blackbox_exporter's modules: a RocketMQ lookup, and a TCP connect to a NameServer-index instance. */
export const BLACKBOX_MODULES = { lookup: "rocketmq_lookup", tcp: "tcp_connect" } as const;

/**
 * What RocketMQ's TopAddressing accepts: one or more `host:port` joined by `;` (it trims surrounding
 * whitespace). Go regexp without (?m): `^`/`$` are the start and end of the whole body.
 */
export const ADDRESS_LIST_REGEX = "^\\s*[A-Za-z0-9._-]+:[0-9]{1,5}(;[A-Za-z0-9._-]+:[0-9]{1,5})*\\s*$";

export interface BlackboxConfig {
  modules: Record<
    string,
    {
      prober: "http" | "tcp";
      timeout: string;
      http?: {
        method: "GET";
        valid_status_codes: number[];
        follow_redirects: boolean;
        preferred_ip_protocol: "ip4";
        fail_if_body_not_matches_regexp: string[];
      };
      tcp?: { preferred_ip_protocol: "ip4" };
    }
  >;
}

export function blackboxConfig(): BlackboxConfig {
  return {
    modules: {
      [BLACKBOX_MODULES.lookup]: {
        prober: "http",
        timeout: LOOKUP_TIMEOUT,
        http: {
          method: "GET",
          // Only a 200 counts: RocketMQ's client reads the body of a 200 and nothing else; a redirect is not followed.
          valid_status_codes: [200],
          follow_redirects: false,
          preferred_ip_protocol: "ip4",
          fail_if_body_not_matches_regexp: [ADDRESS_LIST_REGEX],
        },
      },
      [BLACKBOX_MODULES.tcp]: { prober: "tcp", timeout: LOOKUP_TIMEOUT, tcp: { preferred_ip_protocol: "ip4" } },
    },
  };
}

export function blackboxYaml(): string {
  return stringify(blackboxConfig(), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A Go template string literal: JSON's escapes are Go's for this ASCII text. */
const goString = (text: string): string => JSON.stringify(text);
const SUBGROUP_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

/**
 * The consul-template source of the file_sd list: one target per index-Fabio host × subgroup. A subgroup is
 * every one a service of this stack claims, by its marker tag (`nameServerIndexMarkerTag`) or its route tag
 * (`nameServerIndexTag`): a service that loses its route tag keeps its probes, and they fail. Hosts are all
 * instances of the index Fabio's service with this stack's cluster tag, passing or not (`|any`): a host whose
 * Fabio fails its check is still probed. Every value from Consul passes `toJSON`, so no name or address can
 * change the YAML's structure.
 */
export function lookupTargetsTemplate(inputs: LookupProbeInputs): string {
  const markerHead = `${nameServerIndexMemberTag(inputs.indexStack)}:`;
  const routeHead = `${inputs.indexStack.tagPrefix}${nameServerIndexPath("x").slice(0, -1)}`;
  const claims = [markerHead, routeHead].map(
    (head, i) =>
      `{{- ${i === 0 ? "if" : "else if"} regexMatch ${goString(`^${regexQuote(head)}${SUBGROUP_PATTERN}$`)} . -}}
{{- $subgroup := trimPrefix ${goString(head)} . -}}
{{- scratch.MapSet "subgroups" $subgroup $subgroup -}}
{{- scratch.Set (printf "service %s" $subgroup) $service -}}`,
  );
  const hosts = goString(`${inputs.clusterTag}.${inputs.indexFabioService}|any`);
  return `{{- /* NameServer lookup probe targets (Prometheus file_sd), rendered by Nomad's consul-template. */ -}}
{{- range services -}}
{{- $service := .Name -}}
{{- range .Tags -}}
${claims.join("\n")}
{{- end -}}
{{- end -}}
{{- end }}
# One probe per NameServer host and subgroup; empty while no service claims a subgroup.
{{- range $subgroup := scratch.MapValues "subgroups" }}
{{- range service ${hosts} }}${SERVICE_INSTANCE_URL_HOST}
- {"targets": [{{ printf "http://%s:%d/rocketmq/%s" $host ${inputs.proxyPort} $subgroup | toJSON }}], "labels": {"host": {{ .Node | toJSON }}, "subgroup": {{ $subgroup | toJSON }}, "service": {{ scratch.Get (printf "service %s" $subgroup) | toJSON }}}}
{{- end }}
{{- end }}
`;
}

/** The scrape jobs of the probes, part of SCRAPE_JOBS. */
export const LOOKUP_SCRAPE_JOBS = {
  nameServerLookups: "nameserver-lookups",
  nameServerIndexServices: "nameserver-index-services",
} as const;

/** Where blackbox_exporter reads its modules, in its own task directory. */
export const BLACKBOX_CONFIG_PATH = "/local/blackbox.yml";

/** Where the Prometheus task finds the file_sd list the template above renders. */
export const LOOKUP_TARGETS_PATH = "/local/lookup-targets/nameserver-lookups.yml";

/** The Nomad port label of blackbox_exporter's listener, which both tasks of the group see. */
export const BLACKBOX_PORT_LABEL = "blackbox";

/**
 * blackbox_exporter listens on loopback only (both tasks use host networking), at the group's dynamic port; the
 * prometheus.yml template fills the port in from the task's environment.
 */
export const BLACKBOX_ADDRESS = `127.0.0.1:{{ env "NOMAD_PORT_${BLACKBOX_PORT_LABEL}" }}`;

/** How often Prometheus re-reads the NameServer-index services' health from Consul. */
export const INDEX_SERVICES_REFRESH = "5s";

/** Relabeling that sends a target to blackbox_exporter: the target becomes the probe's `target` parameter. */
function throughBlackbox(): RelabelConfig[] {
  return [
    { source_labels: ["__address__"], target_label: "__param_target" },
    { source_labels: ["__param_target"], target_label: "instance" },
    { target_label: "__address__", replacement: BLACKBOX_ADDRESS },
  ];
}

/**
 * `nameserver-lookups` probes every file_sd target with `GET` (success: 200 and an address list);
 * `nameserver-index-services` discovers every instance of the stack's NameServer-index services (member tag)
 * with its Consul health, which the "no passing instance" alert counts (a TCP connect is the cheapest scrape
 * that keeps the series).
 */
export function lookupScrapeConfigs(
  inputs: LookupProbeInputs,
  consul: { server: string; token: string | undefined; clusterLabel: RelabelConfig },
): ScrapeConfig[] {
  const { server, token, clusterLabel } = consul;
  return [
    {
      job_name: LOOKUP_SCRAPE_JOBS.nameServerLookups,
      metrics_path: "/probe",
      params: { module: [BLACKBOX_MODULES.lookup] },
      file_sd_configs: [{ files: [LOOKUP_TARGETS_PATH], refresh_interval: "1m" }],
      relabel_configs: [...throughBlackbox(), clusterLabel],
    },
    {
      job_name: LOOKUP_SCRAPE_JOBS.nameServerIndexServices,
      metrics_path: "/probe",
      params: { module: [BLACKBOX_MODULES.tcp] },
      consul_sd_configs: [
        {
          server,
          tags: [nameServerIndexMemberTag(inputs.indexStack)],
          // Consul health is a label here: the default 30s would leave a failed check unseen that long, and a
          // re-registered (briefly critical) instance looking unhealthy just as long.
          refresh_interval: INDEX_SERVICES_REFRESH,
          ...(token ? { token } : {}),
        },
      ],
      relabel_configs: [
        ...throughBlackbox(),
        { source_labels: ["__meta_consul_service"], target_label: "service" },
        { source_labels: ["__meta_consul_health"], target_label: "health" },
        { source_labels: ["__meta_consul_node"], target_label: "host" },
        clusterLabel,
      ],
    },
  ];
}
