# Consul server image: the server agent config and the consul_http service Prometheus scrapes.
build {
  name = "consul-server"

  source "source.ucloud-uhost.base" {
    image_name = "${var.image_name_prefix}-consul-server-${var.stack}-${local.build_time}"
  }

  provisioner "shell" {
    inline = ["mkdir -p ${local.staging}/consul.d"]
  }

  # consul_http's definition: consul_service.json without Consul ACLs, consul_service.boot.json with them
  # (generated/<stack>/ holds one of the two). install_consul_boot_service moves the latter out of the agent's
  # config directory, to /etc/consul-boot/, where the boot step registers it with consul_http's own token.
  provisioner "file" {
    sources = [
      for name in local.consul_server_files : "${local.generated}/${name}"
      if fileexists("${local.generated}/${name}")
    ]
    destination = "${local.staging}/consul.d/"
  }

  provisioner "shell" {
    environment_vars = ["CONSUL_DATA_DIR=${var.consul_data_dir}", "CONSUL_VERSION=${var.consul_version}"]
    execute_command  = local.as_root
    inline           = concat(local.install_consul_boot_service, local.install_consul_config, local.clean_staging)
  }
}
