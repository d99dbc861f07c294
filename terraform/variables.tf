variable "model_uuid" {
  description = "UUID of the Juju model to deploy into (juju_model.<name>.uuid, or `juju show-model <name> --format=json`)."
  type        = string
}

variable "app_name" {
  description = "Name of the application in the model."
  type        = string
  default     = "tls-certificates-operator"
}

variable "charm_name" {
  description = "Name of the charm on Charmhub."
  type        = string
  default     = "tls-certificates-operator"
}

variable "channel" {
  description = "Charmhub channel to deploy from."
  type        = string
  default     = "latest/stable"
}

variable "revision" {
  description = "Charm revision to pin; null follows the channel."
  type        = number
  default     = null
}

variable "base" {
  description = "Base the units run on."
  type        = string
  default     = "ubuntu@24.04"
}

variable "units" {
  description = "Number of units. Actions run on the leader; extra units only stand by."
  type        = number
  default     = 1
}

variable "config" {
  description = "Charm config options: expiry-warning-days, trusted-certificate-bundle, signing-policy."
  type        = map(string)
  default     = {}
}

variable "constraints" {
  description = "Juju constraints, e.g. \"arch=arm64\"."
  type        = string
  default     = "arch=amd64"
}
