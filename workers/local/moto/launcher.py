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

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
