variable "region" {
  description = "Region of the team's provider configuration."
  type        = string
  default     = "eu-west-1"
}

variable "deploy_role_arn" {
  description = "Role the provider assumes to deploy (the team's deployment role)."
  type        = string
}

variable "cost_center" {
  description = "Cost center tag every resource gets through the provider's default tags."
  type        = string
  default     = "analytics"
}

variable "name_prefix" {
  description = "Prefix of every resource name; bucket names are global, so make it unique."
  type        = string
  default     = "acme-shop"
}

variable "environment" {
  description = "Environment name (second part of every resource name)."
  type        = string
  default     = "prod"
}

variable "network" {
  description = "The team's existing network the Fargate tasks run in: private subnets (with NAT or VPC endpoints) and security groups allowing outbound HTTPS."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
}

variable "worker_image" {
  description = "Worker image URI, by digest (CI pushes it to ECR and passes repository@sha256:...)."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ECR repositories the task execution role may pull the worker image from."
  type        = list(string)
  default     = []
}

variable "lambda_zip_path" {
  description = "Path of the aggregator zip built by CI (make lambda-zip)."
  type        = string
}

variable "notification_email" {
  description = "E-mail subscribed to pipeline notifications; empty for none."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "The team's customer-managed KMS key for every store of the pipeline; empty for AWS-managed encryption."
  type        = string
  default     = ""
}
