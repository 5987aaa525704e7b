# Nomad agent config for `nomad agent -dev` on a workstation (the README's quick start) (image files of stack dev).
# Generated from Pulumi.dev.yaml by `npm run generate:packer`; do not edit.
# Not part of any image: -dev binds loopback, keeps its data in memory and runs one server that is also
# the NameServer host the Fabio jobs select.

region     = "global"
datacenter = "dc1"

client {
  node_class = "nameServer"
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
