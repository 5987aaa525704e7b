# Consul server agent config (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Per machine: node_name is unset, so the agent uses the hostname; bind_addr is a go-sockaddr
# template the agent evaluates when it starts.
# Consul ACLs are on (default deny) and no token is in this image. The boot step sets, with a token
# allowed acl:write:
#   consul acl set-agent-token agent <token>
#     policy consul-agent: node_prefix "" write, service_prefix "" read
#   consul services register -token=<token> /etc/consul-boot/consul_service.boot.json
#     policy consul-http-service: service "consul_http" write
# The default token stays unset: a request without a token is anonymous and denied.
# consul_http is registered with its own token (the agent keeps both in data_dir), so its
# definition is outside this directory, not loaded from it.
# enable_token_persistence keeps the agent token in data_dir across restarts.

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

acl {
  enabled                  = true
  default_policy           = "deny"
  enable_token_persistence = true
}
