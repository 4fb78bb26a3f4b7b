# Example variables for `make plan VAR_FILE=terraform/example.tfvars ENV=prod` or
# `terraform plan -var-file=example.tfvars`. Copy it, keep the copy next to your state config.
name_prefix        = "acme-shop"
environment        = "prod"
region             = "eu-west-1"

# The existing network: private subnets with a NAT gateway (or VPC endpoints for S3, DynamoDB,
# ECR and CloudWatch Logs) and a security group allowing outbound HTTPS.
subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
security_group_ids = ["sg-0a1b2c3d4e5f60718"]
assign_public_ip   = false

# One image holds both workers (see the Dockerfile); pin a digest in production.
validate_image      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-workers:1.4.0"
transform_image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-workers:1.4.0"
ecr_repository_arns = ["arn:aws:ecr:eu-west-1:123456789012:repository/acme-shop-workers"]

notification_email = "data-team@example.com"
max_reject_rate    = 0.05
lock_lease_seconds = 7200
log_level          = "info"
log_retention_days = 90

# Built by `make lambda-zip` (or your CI) from dist/aggregator.js; relative to terraform/.
lambda_zip_path = "../dist/aggregator.zip"
