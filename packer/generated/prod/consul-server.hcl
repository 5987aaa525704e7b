# Consul server agent config (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr
# template the agent evaluates when it starts.

datacenter       = "dc1"
data_dir         = "/opt/consul"
server           = true
bootstrap_expect = 3
retry_join       = ["10.10.0.11", "10.10.0.12", "10.10.0.13"]
ui               = true
client_addr      = "0.0.0.0"
bind_addr        = "{{ GetPrivateIP }}"

ports {
  http = 8500
}

telemetry {
  prometheus_retention_time = "10s"
  disable_hostname          = true
}
