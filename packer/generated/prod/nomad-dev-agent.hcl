# Nomad agent config for `nomad agent -dev` on a workstation (the README's quick start) (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Not part of any image: -dev binds loopback, keeps its data in memory and runs one server that is also
# the NameServer host the Fabio jobs select.
# The host_volume holds Prometheus' TSDB (prometheus.storage). Nomad refuses to start while its path is
# missing: the image build creates it for uid 65534 (nobody, the prom/prometheus user).
# Consul ACLs are on: give the agent a Consul token in one more -config file (consul { token = … }).

region     = "global"
datacenter = "dc1"

client {
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
