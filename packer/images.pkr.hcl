# What the three image builds in this directory share: the UCloud builder, the variables, and the steps
# that install the generated agent config. Build from the project directory, once per stack for the
# consul-server and nomad-server images (Nomad servers serve the whole region) and once per Nomad
# datacenter for the nomad-client image:
#
#   packer init packer/
#   packer build -var-file=packer/generated/<stack>/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='consul-server.*' packer/
#   packer build -var-file=packer/generated/<stack>/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='nomad-server.*' packer/
#   packer build -var-file=packer/generated/<stack>/nomad-client/<dc>/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='nomad-client.*' packer/
#
# UCloud credentials come only from the environment: UCLOUD_PUBLIC_KEY, UCLOUD_PRIVATE_KEY and
# UCLOUD_PROJECT_ID. The source image must already carry the consul and nomad binaries and their systemd
# units (agents run with -config-dir=/etc/consul.d and /etc/nomad.d); these builds add the agent config
# generated into generated/<stack>/ by `npm run generate:packer`.

packer {
  required_version = ">= 1.7.0"
  required_plugins {
    ucloud = {
      version = ">= 1.0.0"
      source  = "github.com/hashicorp/ucloud"
    }
  }
}

# Set by generated/<stack>/images.pkrvars.hcl, from the stack's config.
variable "stack" {
  type        = string
  description = "Stack whose generated/<stack>/ files the image carries."
}

variable "consul_data_dir" {
  type        = string
  description = "data_dir of the Consul agent (images.consul.dataDir)."
}

variable "nomad_data_dir" {
  type        = string
  description = "data_dir of the Nomad agent (images.nomad.dataDir)."
}

variable "nomad_client_datacenter" {
  type        = string
  default     = ""
  description = "Datacenter whose nomad-client image to build: set by generated/<stack>/nomad-client/<dc>/images.pkrvars.hcl, which the nomad-client build needs (its files are under that directory)."
}

variable "prometheus_volume_path" {
  type        = string
  description = "Path of the Nomad client's host_volume for Prometheus (images.nomad.prometheusVolumePath); empty when prometheus.storage is not a host volume."
}

variable "consul_version" {
  type        = string
  description = "The Consul release (1.8.7) or release line (1.16) the source image must carry (images.consul.version: 1.8.x or 1.13 and later, the versions the alert rules read)."
}

variable "nomad_version" {
  type        = string
  description = "The Nomad release (1.4.3) or release line (1.4) the source image must carry (images.nomad.version: 1.4 and later)."
}

# UCloud access, from the environment only.
variable "ucloud_public_key" {
  type      = string
  default   = env("UCLOUD_PUBLIC_KEY")
  sensitive = true
}

variable "ucloud_private_key" {
  type      = string
  default   = env("UCLOUD_PRIVATE_KEY")
  sensitive = true
}

variable "ucloud_project_id" {
  type    = string
  default = env("UCLOUD_PROJECT_ID")
}

# Where and from what the build host runs.
variable "region" {
  type    = string
  default = "cn-bj2"
}

variable "availability_zone" {
  type    = string
  default = "cn-bj2-02"
}

variable "instance_type" {
  type    = string
  default = "n-basic-2"
}

variable "source_image_id" {
  type        = string
  description = "UHost image with consul and nomad (binaries and systemd units) installed."
}

variable "ssh_username" {
  type        = string
  default     = "root"
  description = "root for CentOS images, ubuntu for Ubuntu images (the ucloud-uhost builder's rule)."
}

variable "image_name_prefix" {
  type    = string
  default = "rocketmq"
}

locals {
  generated  = "${path.root}/generated/${var.stack}"
  # The nomad-client image's own files; with the consul-server/nomad-server variables file (no datacenter)
  # this directory does not exist and packer refuses the nomad-client build before it starts an instance.
  nomad_client_files = "${local.generated}/nomad-client/${var.nomad_client_datacenter}"
  build_time = formatdate("YYYYMMDDhhmmss", timestamp())
  # Uploads land here first: the file provisioner runs as the SSH user, which may not write /etc.
  staging = "/tmp/rocketmq-image"
  as_root = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"

  # The source image must carry the agent versions the alert rules read (consul_version, nomad_version): a
  # release (1.8.7) or a release line (1.4, any 1.4.x).
  check_consul_version = [
    "set -eu",
    "command -v consul >/dev/null || { echo 'the source image has no consul binary' >&2; exit 1; }",
    "v=$(consul version | head -n 1)",
    "case \"$v\" in \"Consul v$CONSUL_VERSION\" | \"Consul v$CONSUL_VERSION \"* | \"Consul v$CONSUL_VERSION.\"*) ;; *) echo \"the source image runs $v, not Consul $CONSUL_VERSION\" >&2; exit 1 ;; esac",
  ]
  check_nomad_version = [
    "set -eu",
    "command -v nomad >/dev/null || { echo 'the source image has no nomad binary' >&2; exit 1; }",
    "v=$(nomad version | head -n 1)",
    "case \"$v\" in \"Nomad v$NOMAD_VERSION\" | \"Nomad v$NOMAD_VERSION \"* | \"Nomad v$NOMAD_VERSION.\"*) ;; *) echo \"the source image runs $v, not Nomad $NOMAD_VERSION\" >&2; exit 1 ;; esac",
  ]

  # Consul runs as the consul user: root owns its config, the consul group may only read it.
  install_consul_config = concat(local.check_consul_version, [
    "id consul >/dev/null 2>&1 || useradd --system --home-dir /etc/consul.d --shell /bin/false consul",
    "install -d -o root -g consul -m 0750 /etc/consul.d",
    "install -d -o consul -g consul -m 0750 \"$CONSUL_DATA_DIR\"",
    "install -o root -g consul -m 0640 -t /etc/consul.d ${local.staging}/consul.d/*",
    "consul validate /etc/consul.d",
  ])

  # What the consul-server build uploads from generated/<stack>/, where present (see consul-server.pkr.hcl).
  consul_server_files = ["consul-server.hcl", "consul_service.json", "consul_service.boot.json"]

  # With Consul ACLs on, consul_http must not be loaded from /etc/consul.d (Consul 1.8 would register it with
  # the agent's default token, which token-less requests run under). The image keeps its definition, which
  # holds no token, in /etc/consul-boot for the boot step: consul services register -token=<token> <file>.
  install_consul_boot_service = [
    "set -eu",
    "if [ -f ${local.staging}/consul.d/consul_service.boot.json ]; then",
    "  install -d -o root -g root -m 0750 /etc/consul-boot",
    "  install -o root -g root -m 0640 ${local.staging}/consul.d/consul_service.boot.json /etc/consul-boot/",
    "  rm ${local.staging}/consul.d/consul_service.boot.json",
    "fi",
  ]

  # Nomad clients run as root (they isolate tasks), so Nomad's config and state stay root-only.
  install_nomad_config = concat(local.check_nomad_version, [
    "install -d -o root -g root -m 0750 /etc/nomad.d",
    "install -d -o root -g root -m 0700 \"$NOMAD_DATA_DIR\"",
    "install -o root -g root -m 0640 -t /etc/nomad.d ${local.staging}/nomad.d/*",
  ])

  # A Nomad client does not start while a host_volume path is missing. The prom/prometheus image runs as
  # nobody (uid/gid 65534): that user owns Prometheus' TSDB directory, other users may not read it.
  create_prometheus_volume = [
    "set -eu",
    "if [ -n \"$PROMETHEUS_VOLUME_PATH\" ]; then install -d -o 65534 -g 65534 -m 0750 \"$PROMETHEUS_VOLUME_PATH\"; fi",
  ]

  clean_staging = ["rm -rf ${local.staging}"]
}

source "ucloud-uhost" "base" {
  public_key        = var.ucloud_public_key
  private_key       = var.ucloud_private_key
  project_id        = var.ucloud_project_id
  region            = var.region
  availability_zone = var.availability_zone
  instance_type     = var.instance_type
  source_image_id   = var.source_image_id
  ssh_username      = var.ssh_username
}
