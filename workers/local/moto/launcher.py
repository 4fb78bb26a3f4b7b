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

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
