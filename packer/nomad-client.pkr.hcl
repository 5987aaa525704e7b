# Nomad client image for NameServer hosts: a Nomad client marked as one, and its local Consul client agent.
build {
  name = "nomad-client"

  source "source.ucloud-uhost.base" {
    image_name = "${var.image_name_prefix}-nomad-client-${var.stack}-${local.build_time}"
  }

  provisioner "shell" {
    inline = ["mkdir -p ${local.staging}/consul.d ${local.staging}/nomad.d"]
  }

  provisioner "file" {
    sources     = ["${local.generated}/consul-client.hcl"]
    destination = "${local.staging}/consul.d/"
  }

  provisioner "file" {
    sources     = ["${local.generated}/nomad-client.hcl"]
    destination = "${local.staging}/nomad.d/"
  }

  provisioner "shell" {
    environment_vars = ["CONSUL_DATA_DIR=${var.consul_data_dir}", "NOMAD_DATA_DIR=${var.nomad_data_dir}"]
    execute_command  = local.as_root
    inline           = concat(local.install_consul_config, local.install_nomad_config, local.clean_staging)
  }
}
