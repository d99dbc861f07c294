resource "juju_application" "tls_certificates_operator" {
  name       = var.app_name
  model_uuid = var.model_uuid

  charm {
    name     = var.charm_name
    channel  = var.channel
    revision = var.revision
    base     = var.base
  }

  units       = var.units
  config      = var.config
  constraints = var.constraints
}
