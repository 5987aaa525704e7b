# Nomad client image for the NameServer hosts of one datacenter (var.nomad_client_datacenter): a Nomad client
# marked as one, its local Consul client agent, and the directory of Prometheus' host volume when the stack
# keeps the TSDB on one. The datacenter is baked into the client's config, so each datacenter has its image.
build {
  name = "nomad-client"

  source "source.ucloud-uhost.base" {
    image_name = "${var.image_name_prefix}-nomad-client-${var.stack}-${var.nomad_client_datacenter}-${local.build_time}"
  }

  provisioner "shell" {
    inline = ["mkdir -p ${local.staging}/consul.d ${local.staging}/nomad.d"]
  }

  provisioner "file" {
    sources     = ["${local.generated}/consul-client.hcl"]
    destination = "${local.staging}/consul.d/"
  }

  provisioner "file" {
    sources     = ["${local.nomad_client_files}/nomad-client.hcl"]
    destination = "${local.staging}/nomad.d/"
  }

  provisioner "shell" {
    environment_vars = [
      "CONSUL_DATA_DIR=${var.consul_data_dir}",
      "CONSUL_VERSION=${var.consul_version}",
      "NOMAD_DATA_DIR=${var.nomad_data_dir}",
      "NOMAD_VERSION=${var.nomad_version}",
      "PROMETHEUS_VOLUME_PATH=${var.prometheus_volume_path}",
    ]
    execute_command = local.as_root
    inline = concat(
      local.install_consul_config,
      local.install_nomad_config,
      local.create_prometheus_volume,
      local.clean_staging,
    )
  }
}
