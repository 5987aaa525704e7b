# Consul client agent config for Nomad hosts (image files of stack dev).
# Generated from Pulumi.dev.yaml by `npm run generate:packer`; do not edit.
# Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr
# template the agent evaluates when it starts.
# Nomad, Fabio and Prometheus reach this agent at the stack's consul.address.

datacenter  = "dc1"
data_dir    = "/opt/consul"
retry_join  = ["10.20.0.11"]
bind_addr   = "{{ GetPrivateIP }}"
client_addr = "127.0.0.1 {{ GetPrivateIP }}"

ports {
  http = 8500
}
