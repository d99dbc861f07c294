output "app_name" {
  description = "Name of the deployed application."
  value       = juju_application.tls_certificates_operator.name
}

output "provides" {
  description = "Endpoints this application provides, for juju_integration resources."
  value = {
    certificates      = "certificates"
    trust_certificate = "trust_certificate"
  }
}

output "requires" {
  description = "Endpoints this application requires, for juju_integration resources."
  value = {
    tracing = "tracing"
  }
}
