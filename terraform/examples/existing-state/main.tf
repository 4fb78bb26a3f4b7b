# A platform team's own root configuration calling the pipeline module: its backend (its existing
# state), its provider (assumed role, region, default tags) under an alias, and its network passed
# in. Copy this directory into your infrastructure repository and change `source` to where you
# vendor or fetch the module, e.g.
#   source = "git::https://github.com/<org>/ecommerce-pipeline.git//terraform/modules/ecommerce-pipeline?ref=<tag>"

terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The team's existing state bucket; S3-native locking (no DynamoDB table) needs terraform 1.11.
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "data-platform/ecommerce-pipeline.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

# The only provider configuration here is aliased: the module uses exactly the one it is handed.
provider "aws" {
  alias  = "shop"
  region = var.region

  assume_role {
    role_arn     = var.deploy_role_arn
    session_name = "ecommerce-pipeline"
  }

  default_tags {
    tags = {
      team        = "data-platform"
      cost-center = var.cost_center
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}

module "shop" {
  source = "../../modules/ecommerce-pipeline"
  # A child module without provider blocks can be counted, iterated and depended on.
  count     = 1
  providers = { aws = aws.shop }

  name_prefix         = var.name_prefix
  environment         = var.environment
  subnet_ids          = var.network.subnet_ids
  security_group_ids  = var.network.security_group_ids
  validate_image      = var.worker_image
  transform_image     = var.worker_image
  ecr_repository_arns = var.ecr_repository_arns
  lambda_zip_path     = var.lambda_zip_path
  notification_email  = var.notification_email
  kms_key_arn         = var.kms_key_arn
}

output "landing_bucket" {
  description = "Bucket the shop uploads to"
  value       = module.shop[0].landing_bucket
}

output "state_machine_arn" {
  description = "The pipeline state machine"
  value       = module.shop[0].state_machine_arn
}

output "topic_arn" {
  description = "SNS topic of batch notifications and alarms"
  value       = module.shop[0].topic_arn
}
