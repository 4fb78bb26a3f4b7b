"""Starts moto_server with the few patches this project needs (DESIGN.md section 12).

Usage: python3 launcher.py -H 127.0.0.1 -p PORT   (the same flags as moto_server)

moto is a real AWS API emulator, but a few calls the Terraform AWS provider 5.100 makes are
missing or answered differently from AWS; each patch below names the gap it closes. Patches only
add what AWS does; none of them fakes a result the project's code then relies on.
"""
import os
import sys

# AWS-managed policies (AWSLambdaBasicExecutionRole, ...) are opt-in in moto 5; must be set
# before moto is imported.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.core.responses import ActionResult  # noqa: E402
from moto.stepfunctions.responses import StepFunctionResponse  # noqa: E402


def _validate_state_machine_definition(self):
    # Provider 5.100 validates every definition before creating it; moto lacks the call and the
    # provider then retries for ever.
    return ActionResult({"result": "OK", "diagnostics": []})


def _list_state_machine_versions(self):
    return ActionResult({"stateMachineVersions": []})


StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition
StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions


def _patch_sqs_no_lambda_delivery():
    # moto would deliver SQS messages to Lambda through Docker, fail, and push them to the DLQ.
    # Locally the project's own poller plays the event-source mapping, so it must be the only
    # consumer.
    from moto.sqs import models as sqs_models

    original_init = sqs_models.Queue.__init__

    class _NoMappings(dict):
        def __setitem__(self, key, value):
            pass

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.lambda_event_source_mappings = _NoMappings()

    sqs_models.Queue.__init__ = __init__


_patch_sqs_no_lambda_delivery()


def _patch_s3_eventbridge_notification():
    import re

    # moto stores a bucket's EventBridgeConfiguration but never returns it, so the provider sees
    # `eventbridge = false` after every apply and plans the change again for ever.
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification
    tag = "<EventBridgeConfiguration></EventBridgeConfiguration>"
    closing = "</NotificationConfiguration>"

    def _with_eventbridge(body):
        text = body.decode() if isinstance(body, bytes) else body
        if "<EventBridgeConfiguration" not in text:
            if closing in text:
                text = text.replace(closing, tag + closing)
            else:
                # moto answers a configuration without topics, queues or functions as an empty element.
                text = re.sub(r"<NotificationConfiguration([^>]*?)\s*/>", r"<NotificationConfiguration\1>" + tag + closing, text)
        return text.encode() if isinstance(body, bytes) else text

    def get_bucket_notification(self):
        response = original(self)
        bucket = self.backend.get_bucket(self.bucket_name)
        config = bucket.notification_configuration
        if config is None or config.event_bridge is None:
            return response
        if isinstance(response, tuple):
            status, headers, body = response
            return status, headers, _with_eventbridge(body)
        return _with_eventbridge(response)

    S3Response.get_bucket_notification = get_bucket_notification


_patch_s3_eventbridge_notification()


def _patch_s3_secure_transport():
    # A TLS-only bucket policy denies every request whose aws:SecureTransport is false. moto does
    # not evaluate the Bool operator and so denies every object request. This launcher listens on
    # loopback only, and loopback counts as secure transport here: such Deny statements are left
    # out of the evaluation; every other statement still applies.
    import json

    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3 import models as s3_models

    def _is_tls_only_deny(statement):
        if statement.get("Effect") != "Deny":
            return False
        condition = statement.get("Condition") or {}
        values = (condition.get("Bool") or {}).get("aws:SecureTransport")
        if values is None:
            return False
        values = values if isinstance(values, list) else [values]
        return [str(v).lower() for v in values] == ["false"]

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        statements = statements if isinstance(statements, list) else [statements]
        kept = [s for s in statements if not _is_tls_only_deny(s)]
        if not kept:
            return PermissionResult.NEUTRAL
        document["Statement"] = kept
        return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)

    s3_models.FakeBucket.get_permission = get_permission


_patch_s3_secure_transport()


def _patch_sqs_compact_redrive_policy():
    # AWS returns RedrivePolicy as compact JSON; moto's `json.dumps` default adds spaces, which the
    # provider reads as a changed policy on every plan.
    import json

    from moto.sqs import models as sqs_models

    original = sqs_models.Queue.attributes.fget

    def attributes(self):
        result = original(self)
        if self.redrive_policy:
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        return result

    sqs_models.Queue.attributes = property(attributes)


_patch_sqs_compact_redrive_policy()


def _patch_lambda_logging_config():
    # moto drops a function's LoggingConfig; the provider then plans to set it again for ever.
    # Keep what was sent (AWS defaults: Text format, log group /aws/lambda/<name>) and return it.
    from moto.awslambda import models as lambda_models

    cls = lambda_models.LambdaFunction
    original_init = cls.__init__
    original_get = cls.get_configuration
    original_update = cls.update_configuration

    def _default(function_name):
        return {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function_name}"}

    def __init__(self, account_id, spec, *args, **kwargs):
        original_init(self, account_id, spec, *args, **kwargs)
        self.logging_config = {**_default(self.function_name), **(spec.get("LoggingConfig") or {})}

    def get_configuration(self, *args, **kwargs):
        config = original_get(self, *args, **kwargs)
        config["LoggingConfig"] = getattr(self, "logging_config", None) or _default(self.function_name)
        return config

    def update_configuration(self, config_updates):
        if config_updates.get("LoggingConfig"):
            current = getattr(self, "logging_config", None) or _default(self.function_name)
            self.logging_config = {**current, **config_updates["LoggingConfig"]}
        return original_update(self, config_updates)

    cls.__init__ = __init__
    cls.get_configuration = get_configuration
    cls.update_configuration = update_configuration


_patch_lambda_logging_config()


def _patch_docker_client_introspection():
    # /moto-api/data.json reads every public attribute of every model and skips those raising
    # AttributeError; a Lambda function's `docker_client` raises DockerException instead (there is
    # no Docker here), so once a function exists data.json answers 500. Report it as absent.
    from moto.utilities.docker_utilities import DockerModel

    original = DockerModel.docker_client

    def docker_client(self):
        try:
            return original.fget(self)
        except Exception as error:  # noqa: BLE001 - docker raises several unrelated types
            raise AttributeError(f"docker_client: Docker is not available ({error})") from error

    DockerModel.docker_client = property(docker_client)


_patch_docker_client_introspection()

def _patch_tags_by_local_arn():
    # Locally the provider skips looking up the account (skip_requesting_account_id), so it spells
    # the ARN of an Athena workgroup or a Glue database with an empty account field; moto keys tags
    # by the full ARN, so the tags it stored at create look absent (Glue: a diff on every plan), and
    # Athena answers an untagged resource "Does Not Exist" where AWS answers an empty list. Fill in
    # moto's account, and answer the empty list.
    from moto.athena import models as athena_models
    from moto.glue import models as glue_models

    def _full(backend, arn):
        parts = arn.split(":", 5)
        if len(parts) == 6 and parts[4] == "":
            parts[4] = backend.account_id
        return ":".join(parts)

    def _with_full_arn(original):
        def method(self, resource_arn, *args, **kwargs):
            return original(self, _full(self, resource_arn), *args, **kwargs)

        return method

    for cls, names in (
        (athena_models.AthenaBackend, ("tag_resource", "untag_resource")),
        (glue_models.GlueBackend, ("get_tags", "tag_resource", "untag_resource")),
    ):
        for name in names:
            setattr(cls, name, _with_full_arn(getattr(cls, name)))

    athena = athena_models.AthenaBackend
    listing = _with_full_arn(athena.list_tags_for_resource)

    def list_tags_for_resource(self, resource_arn):
        return listing(self, resource_arn) or {"Tags": []}

    athena.list_tags_for_resource = list_tags_for_resource


_patch_tags_by_local_arn()


def _patch_athena_delete_named_query():
    # moto has no DeleteNamedQuery (500: terraform destroy fails), and GetNamedQuery of an unknown
    # id fails with a 500 instead of AWS's InvalidRequestException (the provider's "gone" signal).
    from moto.athena import responses as athena_responses

    cls = athena_responses.AthenaResponse
    original_get = cls.get_named_query

    def delete_named_query(self):
        self.athena_backend.named_queries.pop(self._get_param("NamedQueryId"), None)
        return "{}"

    def get_named_query(self):
        query_id = self._get_param("NamedQueryId")
        if self.athena_backend.get_named_query(query_id) is None:
            return self.error(f"NamedQuery {query_id} was not found", 400)
        return original_get(self)

    cls.delete_named_query = delete_named_query
    cls.get_named_query = get_named_query


_patch_athena_delete_named_query()


if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
