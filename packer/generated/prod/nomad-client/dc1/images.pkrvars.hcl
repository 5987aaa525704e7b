# Packer variables for the nomad-client image of datacenter dc1 (image files of stack prod).
# Generated from Pulumi.prod.yaml by `npm run generate:packer`; do not edit.
# Build from the project directory, once `packer init packer/` has installed the builder plugin:
#   packer build -var-file=packer/generated/prod/nomad-client/dc1/images.pkrvars.hcl -var source_image_id=<uimage-id> -only='nomad-client.*' packer/

stack                   = "prod"
consul_data_dir         = "/opt/consul"
nomad_data_dir          = "/opt/nomad"
prometheus_volume_path  = "/opt/prometheus"
consul_version          = "1.8.7"
nomad_version           = "1.4"
nomad_client_datacenter = "dc1"
