# Consul client agent config for Nomad hosts (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr
# template the agent evaluates when it starts.
# Nomad, Fabio and Prometheus reach this agent at the stack's consul.address.
# Consul ACLs are on (default deny) and no token is in this image. The boot step sets, with a token
# allowed acl:write:
#   consul acl set-agent-token agent <token>
#     policy consul-agent: node_prefix "" write, service_prefix "" read
# The default token stays unset: a request without a token is anonymous and denied.
# enable_token_persistence keeps the agent token in data_dir across restarts.

datacenter  = "dc1"
data_dir    = "/opt/consul"
retry_join  = ["10.10.0.11", "10.10.0.12", "10.10.0.13"]
bind_addr   = "{{ GetPrivateIP }}"
client_addr = "127.0.0.1 {{ GetPrivateIP }}"

ports {
  http = 8500
}

acl {
  enabled                  = true
  default_policy           = "deny"
  enable_token_persistence = true
}
