# Nomad server agent config (image files of stack dev).
# Generated from Pulumi.dev.yaml by `npm run generate:packer`; do not edit.
# Per machine: name is unset, so the agent uses the hostname; the advertise addresses are go-sockaddr
# templates the agent evaluates when it starts. Servers and clients find each other through the local
# Consul agent (consul.server_auto_join / client_auto_join, on by default), under this stack's service names.

region     = "global"
datacenter = "dc1"
data_dir   = "/opt/nomad"
bind_addr  = "0.0.0.0"

advertise {
  http = "{{ GetPrivateIP }}"
  rpc  = "{{ GetPrivateIP }}"
  serf = "{{ GetPrivateIP }}"
}

server {
  enabled          = true
  bootstrap_expect = 1
}

consul {
  address             = "127.0.0.1:8500"
  server_service_name = "dev-nomad"
  client_service_name = "dev-nomad-client"
  tags                = ["cluster-dev"]
}

telemetry {
  collection_interval        = "1s"
  disable_hostname           = true
  prometheus_metrics         = true
  publish_allocation_metrics = true
  publish_node_metrics       = true
}
