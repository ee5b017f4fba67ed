#!/usr/bin/env python3
"""Interop check: the official Python SDK (the reference peer) against our emulator.

Uses tencentcloud-sdk-python-cvm==3.1.178 / tencentcloud-sdk-python-common==3.1.178
(pinned in requirements.txt beside this script). The SDK signs `content-type;host`, sends
`Host: <endpoint>` and, with HttpProfile(protocol="http"), talks to http://<endpoint>/.

The emulator must be running with the given credential and at least these instances,
RUNNING and POSTPAID_BY_HOUR: ins-00000000 ... ins-00000004 (`--instances 5`), and a
rate limit of at least 20 requests per second. With --prepaid ID, that instance must be
RUNNING and PREPAID.

    python crates/emulator/tests/interop/python_sdk_interop.py --endpoint 127.0.0.1:PORT \\
        --secret-id AKID... --secret-key ... [--prepaid ins-xxxxxxxx]

The endpoint and credentials may also come from TCCVM_EMULATOR_ENDPOINT,
TCCVM_SECRET_ID and TCCVM_SECRET_KEY. Prints one line per check and a final
`N passed, M failed`; exits 1 if any check failed, 2 on usage errors, 3 if the SDK
cannot be imported.
"""

import argparse
import os
import sys
import uuid

try:
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client, models
except ImportError as e:  # pragma: no cover - reported to the caller
    print("SDK unavailable: %s" % e, file=sys.stderr)
    sys.exit(3)


def client(endpoint, secret_id, secret_key, unsigned_payload=False, language=None):
    # 3.1.178 names the scheme `protocol`; it sets `scheme` from it.
    http = HttpProfile(protocol="http", endpoint=endpoint, reqMethod="POST", reqTimeout=10)
    profile = ClientProfile(httpProfile=http)
    if unsigned_payload:
        profile.unsignedPayload = True
    if language:
        profile.language = language
    cred = credential.Credential(secret_id, secret_key)
    return cvm_client.CvmClient(cred, "ap-guangzhou", profile)


def terminate(c, ids, **flags):
    """Returns ("OK", request_id) or (error_code, request_id)."""
    req = models.TerminateInstancesRequest()
    req.InstanceIds = list(ids)
    for name, value in flags.items():
        setattr(req, name, value)
    try:
        resp = c.TerminateInstances(req)
        return "OK", resp.RequestId
    except TencentCloudSDKException as e:
        return e.get_code(), e.get_request_id()


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def expect(self, name, outcome, code):
        got, request_id = outcome
        ok = got == code
        if ok and got != "ClientNetworkError":
            try:
                ok = uuid.UUID(str(request_id)).version == 4
            except ValueError:
                ok = False
        if ok:
            self.passed += 1
            print("ok   %s: %s (RequestId %s)" % (name, got, request_id))
        else:
            self.failed += 1
            print(
                "FAIL %s: expected %s, got %s (RequestId %r)" % (name, code, got, request_id),
                file=sys.stderr,
            )
            print("FAIL %s" % name)


def main():
    # The emulator is on loopback: never route to it through a proxy from the environment.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(var, None)
        os.environ.pop(var.lower(), None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default=os.environ.get("TCCVM_EMULATOR_ENDPOINT"))
    parser.add_argument("--secret-id", default=os.environ.get("TCCVM_SECRET_ID"))
    parser.add_argument("--secret-key", default=os.environ.get("TCCVM_SECRET_KEY"))
    parser.add_argument("--prepaid", default=None)
    args = parser.parse_args()
    if not (args.endpoint and args.secret_id and args.secret_key):
        parser.error("--endpoint, --secret-id and --secret-key are required")
    if args.endpoint.startswith("http"):
        parser.error("--endpoint is host:port, without a scheme")

    good = client(args.endpoint, args.secret_id, args.secret_key)
    checks = Checks()

    checks.expect("terminate one", terminate(good, ["ins-00000000"]), "OK")
    checks.expect(
        "terminate two", terminate(good, ["ins-00000001", "ins-00000002"]), "OK"
    )
    checks.expect(
        "terminating again",
        terminate(good, ["ins-00000000"]),
        "UnsupportedOperation.InstanceStateTerminating",
    )
    wrong_key = client(args.endpoint, args.secret_id, args.secret_key + "x")
    checks.expect(
        "wrong SecretKey",
        terminate(wrong_key, ["ins-00000003"]),
        "AuthFailure.SignatureFailure",
    )
    unknown_id = client(args.endpoint, args.secret_id + "x", args.secret_key)
    checks.expect(
        "unknown SecretId",
        terminate(unknown_id, ["ins-00000003"]),
        "AuthFailure.SecretIdNotFound",
    )
    checks.expect(
        "unknown instance",
        terminate(good, ["ins-zzzzzzzz"]),
        "InvalidInstanceId.NotFound",
    )
    # The SDK validates nothing client-side: the malformed ID reaches the server.
    checks.expect(
        "malformed instance ID",
        terminate(good, ["ins-BAD"]),
        "InvalidInstanceId.Malformed",
    )
    checks.expect("no instance IDs", terminate(good, []), "MissingParameter")
    unsigned = client(args.endpoint, args.secret_id, args.secret_key, unsigned_payload=True)
    checks.expect("unsigned payload", terminate(unsigned, ["ins-00000003"]), "OK")
    english = client(args.endpoint, args.secret_id, args.secret_key, language="en-US")
    checks.expect(
        "release flags, en-US",
        terminate(
            english,
            ["ins-00000004"],
            ReleaseAddress=True,
            ReleasePrepaidDataDisks=False,
        ),
        "OK",
    )
    if args.prepaid:
        checks.expect("prepaid to recycle bin", terminate(good, [args.prepaid]), "OK")
        checks.expect("prepaid destroyed", terminate(good, [args.prepaid]), "OK")
        checks.expect(
            "prepaid gone",
            terminate(good, [args.prepaid]),
            "InvalidInstanceId.NotFound",
        )

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
