# Nomad server image: a Nomad server and the local Consul client agent it joins through. One per stack: the
# servers serve the whole region (bootstrap_expect counts them all), whichever datacenter the jobs run in.
build {
  name = "nomad-server"

  source "source.ucloud-uhost.base" {
    image_name = "${var.image_name_prefix}-nomad-server-${var.stack}-${local.build_time}"
  }

  provisioner "shell" {
    inline = ["mkdir -p ${local.staging}/consul.d ${local.staging}/nomad.d"]
  }

  provisioner "file" {
    sources     = ["${local.generated}/consul-client.hcl"]
    destination = "${local.staging}/consul.d/"
  }

  provisioner "file" {
    sources     = ["${local.generated}/nomad-server.hcl"]
    destination = "${local.staging}/nomad.d/"
  }

  provisioner "shell" {
    environment_vars = [
      "CONSUL_DATA_DIR=${var.consul_data_dir}",
      "CONSUL_VERSION=${var.consul_version}",
      "NOMAD_DATA_DIR=${var.nomad_data_dir}",
      "NOMAD_VERSION=${var.nomad_version}",
    ]
    execute_command = local.as_root
    inline           = concat(local.install_consul_config, local.install_nomad_config, local.clean_staging)
  }
}
