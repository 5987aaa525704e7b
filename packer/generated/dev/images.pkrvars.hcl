# Packer variables for the consul-server and nomad-server images, built once per stack (image files of stack dev).
# Generated from Pulumi.dev.yaml by `npm run generate:packer`; do not edit.
# Build from the project directory, once `packer init packer/` has installed the builder plugin:
#   packer build -var-file=packer/generated/dev/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='consul-server.*' packer/
#   packer build -var-file=packer/generated/dev/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='nomad-server.*' packer/

stack                  = "dev"
consul_data_dir        = "/opt/consul"
nomad_data_dir         = "/opt/nomad"
prometheus_volume_path = ""
consul_version         = "1.8.7"
nomad_version          = "1.4"
