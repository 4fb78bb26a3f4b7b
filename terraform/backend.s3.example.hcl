# Partial S3 backend configuration: `make plan BACKEND_CONFIG=terraform/backend.s3.example.hcl`
# writes terraform/backend_override.tf.json (`backend "s3" {}`, gitignored) and runs
# `terraform init -backend-config=<this file>`. Without BACKEND_CONFIG the state stays local.
# Each ENV is a workspace: its state lives at env:/<ENV>/<key> in the bucket.
bucket         = "acme-terraform-state"
key            = "ecommerce-pipeline/terraform.tfstate"
region         = "eu-west-1"
encrypt        = true
# Locking: an S3 lock file (Terraform >= 1.10) or, for older setups, a DynamoDB lock table.
use_lockfile   = true
# dynamodb_table = "acme-terraform-locks"
