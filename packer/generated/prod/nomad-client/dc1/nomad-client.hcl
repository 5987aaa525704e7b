# Nomad client agent config for NameServer hosts in datacenter dc1 (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Per machine: name is unset, so the agent uses the hostname; the advertise addresses are go-sockaddr
# templates the agent evaluates when it starts. Servers and clients find each other through the local
# Consul agent (consul.server_auto_join / client_auto_join, on by default), under this stack's service names.
# The host_volume holds Prometheus' TSDB (prometheus.storage). Nomad refuses to start while its path is
# missing: the image build creates it for uid 65534 (nobody, the prom/prometheus user).
# Consul ACLs are on and Nomad's Consul token is not in this image. The boot step gives it one, which
# Nomad merges with the consul block below:
#   write /etc/nomad.d/consul-token.hcl (root, mode 0600): consul { token = "<token>" }
#     policy nomad-agent: agent_prefix "" read, node_prefix "" read, service_prefix "" write

region     = "global"
datacenter = "dc1"
data_dir   = "/opt/nomad"
bind_addr  = "0.0.0.0"

advertise {
  http = "{{ GetPrivateIP }}"
  rpc  = "{{ GetPrivateIP }}"
  serf = "{{ GetPrivateIP }}"
}

client {
  enabled    = true
  node_class = "nameServer"

  host_volume "prometheus" {
    path      = "/opt/prometheus"
    read_only = false
  }
}

consul {
  address             = "127.0.0.1:8500"
  server_service_name = "prod-nomad"
  client_service_name = "prod-nomad-client"
  tags                = ["cluster-prod"]
}

telemetry {
  collection_interval        = "1s"
  disable_hostname           = true
  prometheus_metrics         = true
  publish_allocation_metrics = true
  publish_node_metrics       = true
}
