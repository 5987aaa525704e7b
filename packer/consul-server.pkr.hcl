# Consul server image: the server agent config and the consul_http service Prometheus scrapes.
build {
  name = "consul-server"

  source "source.ucloud-uhost.base" {
    image_name = "${var.image_name_prefix}-consul-server-${var.stack}-${local.build_time}"
  }

  provisioner "shell" {
    inline = ["mkdir -p ${local.staging}/consul.d"]
  }

  provisioner "file" {
    sources     = ["${local.generated}/consul-server.hcl", "${local.generated}/consul_service.json"]
    destination = "${local.staging}/consul.d/"
  }

  provisioner "shell" {
    environment_vars = ["CONSUL_DATA_DIR=${var.consul_data_dir}"]
    execute_command  = local.as_root
    inline           = concat(local.install_consul_config, local.clean_staging)
  }
}
