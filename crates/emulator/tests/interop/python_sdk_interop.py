#!/usr/bin/env python3
"""Interop check: the official Python SDK (the reference peer) against our emulator.

Uses tencentcloud-sdk-python-cvm==3.1.178 / tencentcloud-sdk-python-common==3.1.178
(pinned in requirements.txt beside this script). The SDK signs `content-type;host`, sends
`Host: <endpoint>` and, with HttpProfile(protocol="http"), talks to http://<endpoint>/.

The emulator must be running with the given credential and at least these instances,
RUNNING and POSTPAID_BY_HOUR: ins-00000000 ... ins-00000004 (`--instances 5`), and a
rate limit of at least 20 requests per second. With --prepaid ID, that instance must be
RUNNING and PREPAID, with the ExpiredTime given by --prepaid-expires (a month ahead at a
price of 100 per 30 days: the refund is then just under 100).

Besides TerminateInstances, it reads the emulator with DescribeInstances (by ID, and
paged through every instance), DescribeInstancesStatus and InquiryPriceTerminateInstances,
and checks that after a terminate, DescribeInstances names that terminate's RequestId as
the instances' LatestOperationRequestId.

With --selection CI,WEB,CI_ZONE6,OTHER_REGION_ID it also selects with Filters, as the SDK
sends them: the emulator must hold CI instances tagged team=ci and WEB tagged team=web in
zones of ap-guangzhou, CI_ZONE6 of the CI ones in ap-guangzhou-6, and the instance
OTHER_REGION_ID in another region; it pages through a filtered listing 5 at a time and
checks AND across filters, OR within one, and the documented refusals.

With --ca FILE it talks https to the endpoint, trusting the certificate in FILE (the
emulator's --tls-cert), through the SDK's own HttpProfile(certification=FILE).

    python crates/emulator/tests/interop/python_sdk_interop.py --endpoint 127.0.0.1:PORT \\
        --secret-id AKID... --secret-key ... [--prepaid ins-xxxxxxxx \\
        --prepaid-expires 2030-01-01T00:00:00Z] [--selection 12,17,5,ins-xxxxxxxx] [--ca FILE]

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


CA_FILE = None


def client(endpoint, secret_id, secret_key, unsigned_payload=False, language=None):
    # 3.1.178 names the scheme `protocol`; it sets `scheme` from it.
    if CA_FILE:
        http = HttpProfile(
            protocol="https",
            endpoint=endpoint,
            reqMethod="POST",
            reqTimeout=10,
            certification=CA_FILE,
        )
    else:
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


def call(c, method, model, **fields):
    """Returns (response, None) or (None, error_code)."""
    req = getattr(models, model)()
    for name, value in fields.items():
        setattr(req, name, value)
    try:
        return getattr(c, method)(req), None
    except TencentCloudSDKException as e:
        return None, e.get_code()


def describe(c, ids=None, offset=None, limit=None):
    fields = {}
    if ids is not None:
        fields["InstanceIds"] = list(ids)
    if offset is not None:
        fields["Offset"] = offset
    if limit is not None:
        fields["Limit"] = limit
    return call(c, "DescribeInstances", "DescribeInstancesRequest", **fields)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail):
        """Records a check whose outcome is `ok`; `detail` says what was seen."""
        if ok:
            self.passed += 1
            print("ok   %s: %s" % (name, detail))
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, detail), file=sys.stderr)
            print("FAIL %s" % name)

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
    parser.add_argument("--prepaid-expires", default=None)
    parser.add_argument("--selection", default=None)
    parser.add_argument("--ca", default=None)
    args = parser.parse_args()
    global CA_FILE
    CA_FILE = args.ca
    if not (args.endpoint and args.secret_id and args.secret_key):
        parser.error("--endpoint, --secret-id and --secret-key are required")
    if args.endpoint.startswith("http"):
        parser.error("--endpoint is host:port, without a scheme")

    good = client(args.endpoint, args.secret_id, args.secret_key)
    checks = Checks()

    read_checks(good, checks, args.prepaid, args.prepaid_expires)
    if args.selection:
        ci, web, ci_zone6, other_region_id = args.selection.split(",")
        selection_checks(good, checks, int(ci), int(web), int(ci_zone6), other_region_id)

    outcome = terminate(good, ["ins-00000000"])
    checks.expect("terminate one", outcome, "OK")
    resp, err = describe(good, ids=["ins-00000000"])
    seen = resp and resp.InstanceSet and resp.InstanceSet[0]
    checks.check(
        "describe after terminate names its RequestId",
        err is None
        and seen.InstanceState == "TERMINATING"
        and seen.LatestOperation == "TerminateInstances"
        and seen.LatestOperationState in ("OPERATING", "SUCCESS")
        and seen.LatestOperationRequestId == outcome[1],
        "%s, terminate RequestId %s" % (err or vars_of(seen), outcome[1]),
    )
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
        outcome = terminate(good, [args.prepaid])
        checks.expect("prepaid to recycle bin", outcome, "OK")
        resp, err = describe(good, ids=[args.prepaid])
        seen = resp and resp.InstanceSet and resp.InstanceSet[0]
        checks.check(
            "prepaid in the recycle bin",
            err is None
            and seen.InstanceState == "SHUTDOWN"
            and seen.IsolatedSource == "MANMADE"
            and seen.LatestOperationRequestId == outcome[1],
            err or vars_of(seen),
        )
        resp, err = call(
            good,
            "InquiryPriceTerminateInstances",
            "InquiryPriceTerminateInstancesRequest",
            InstanceIds=[args.prepaid],
        )
        checks.check(
            "recycled prepaid refunds nothing more",
            err is None and resp.InstanceRefundsSet[0].Refunds == 0,
            err or [vars_of(r) for r in resp.InstanceRefundsSet],
        )
        checks.expect("prepaid destroyed", terminate(good, [args.prepaid]), "OK")
        checks.expect(
            "prepaid gone",
            terminate(good, [args.prepaid]),
            "InvalidInstanceId.NotFound",
        )

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


def vars_of(model):
    """The fields an SDK model holds, for messages."""
    if not model:
        return model
    return {k.lstrip("_"): v for k, v in vars(model).items()}


def read_checks(c, checks, prepaid, prepaid_expires):
    """DescribeInstances, DescribeInstancesStatus and InquiryPriceTerminateInstances
    through the SDK, before anything is terminated."""
    wanted = ["ins-00000001", "ins-zzzzzzzz", "ins-00000002"]
    resp, err = describe(c, ids=wanted)
    got = [i.InstanceId for i in resp.InstanceSet] if resp else None
    checks.check(
        "describe by ID (absent ones missing)",
        err is None
        and resp.TotalCount == 2
        and got == ["ins-00000001", "ins-00000002"]
        and all(
            i.InstanceState == "RUNNING"
            and i.InstanceChargeType == "POSTPAID_BY_HOUR"
            and i.DisableApiTermination is False
            and i.ExpiredTime is None
            and i.IsolatedSource == "NOTISOLATED"
            and i.LatestOperation is None
            for i in resp.InstanceSet
        ),
        err or [vars_of(i) for i in resp.InstanceSet],
    )

    first, err = describe(c, offset=0, limit=2)
    total = first.TotalCount if first else None
    ids, offset, pages = [], 0, 0
    while err is None and pages < 50:
        page, err = describe(c, offset=offset, limit=2)
        if err is not None or not page.InstanceSet:
            break
        ids.extend(i.InstanceId for i in page.InstanceSet)
        offset += 2
        pages += 1
    checks.check(
        "describe paged through every instance",
        err is None and total == len(ids) == len(set(ids)) and total >= 5 and pages == (total + 1) // 2,
        err or "%d instances in %d pages of 2, TotalCount %s" % (len(ids), pages, total),
    )

    resp, err = call(
        c,
        "DescribeInstancesStatus",
        "DescribeInstancesStatusRequest",
        InstanceIds=["ins-00000003", "ins-00000004"],
    )
    checks.check(
        "describe status by ID",
        err is None
        and resp.TotalCount == 2
        and [(s.InstanceId, s.InstanceState) for s in resp.InstanceStatusSet]
        == [("ins-00000003", "RUNNING"), ("ins-00000004", "RUNNING")],
        err or [vars_of(s) for s in resp.InstanceStatusSet],
    )
    resp, err = call(
        c, "DescribeInstancesStatus", "DescribeInstancesStatusRequest", Offset=0, Limit=100
    )
    checks.check(
        "describe status paged",
        err is None and resp.TotalCount == total == len(resp.InstanceStatusSet),
        err or "TotalCount %s, %d entries" % (resp.TotalCount, len(resp.InstanceStatusSet)),
    )

    ids = ["ins-00000001"] + ([prepaid] if prepaid else [])
    resp, err = call(
        c,
        "InquiryPriceTerminateInstances",
        "InquiryPriceTerminateInstancesRequest",
        InstanceIds=ids,
    )
    refunds = {r.InstanceId: r for r in resp.InstanceRefundsSet} if resp else {}
    postpaid = refunds.get("ins-00000001")
    checks.check(
        "refund of pay-as-you-go is 0",
        err is None and postpaid is not None and postpaid.Refunds == 0 and isinstance(postpaid.PriceDetail, str),
        err or [vars_of(r) for r in refunds.values()],
    )
    if prepaid:
        r = refunds.get(prepaid)
        checks.check(
            "refund of prepaid follows the time left",
            r is not None and 99 < r.Refunds <= 100 and "100" in r.PriceDetail,
            vars_of(r),
        )
        resp, err = describe(c, ids=[prepaid])
        seen = resp and resp.InstanceSet and resp.InstanceSet[0]
        checks.check(
            "prepaid ExpiredTime",
            err is None
            and seen.InstanceChargeType == "PREPAID"
            and seen.ExpiredTime == prepaid_expires,
            err or vars_of(seen),
        )

    resp, err = call(c, "DescribeRegions", "DescribeRegionsRequest")
    regions = {r.Region: r for r in resp.RegionSet} if resp else {}
    checks.check(
        "describe regions",
        err is None
        and resp.TotalCount == len(resp.RegionSet)
        and "ap-guangzhou" in regions
        and regions["ap-guangzhou"].RegionState == "AVAILABLE",
        err or sorted(regions),
    )

    _, err = describe(c, limit=101)
    checks.check("describe Limit over 100", err == "InvalidParameterValue.LimitExceeded", err)
    _, err = call(
        c,
        "InquiryPriceTerminateInstances",
        "InquiryPriceTerminateInstancesRequest",
        InstanceIds=["ins-zzzzzzzz"],
    )
    checks.check("refund of an absent instance", err == "InvalidInstanceId.NotFound", err)


def tag_filter(name, values):
    f = models.Filter()
    f.Name = name
    f.Values = list(values)
    return f


def filtered(c, filters, offset=None, limit=None):
    fields = {"Filters": filters}
    if offset is not None:
        fields["Offset"] = offset
    if limit is not None:
        fields["Limit"] = limit
    return call(c, "DescribeInstances", "DescribeInstancesRequest", **fields)


def tags_of(instance):
    return {t.Key: t.Value for t in (instance.Tags or [])}


def selection_checks(c, checks, ci, web, ci_zone6, other_region_id):
    """Selection with Filters, through the SDK's own Filter model, and paging."""
    team_ci = tag_filter("tag:team", ["ci"])
    seen, offset, pages, totals, err = [], 0, 0, set(), None
    while pages < 50:
        page, err = filtered(c, [team_ci], offset=offset, limit=5)
        if err is not None:
            break
        totals.add(page.TotalCount)
        if not page.InstanceSet:
            break
        seen.extend(page.InstanceSet)
        offset += len(page.InstanceSet)
        pages += 1
    ids = [i.InstanceId for i in seen]
    checks.check(
        "filter tag:team=ci paged 5 at a time",
        err is None
        and totals == {ci}
        and len(ids) == len(set(ids)) == ci
        and pages == (ci + 4) // 5
        and all(tags_of(i).get("team") == "ci" for i in seen),
        err or "%d instances in %d pages, TotalCount %s" % (len(ids), pages, totals),
    )
    checks.check(
        "filtered entries carry placement and creation time",
        all(
            i.Placement.Zone.startswith("ap-guangzhou-")
            and len(i.CreatedTime) == 20
            and i.CreatedTime.endswith("Z")
            for i in seen
        ),
        [(i.InstanceId, i.Placement.Zone, i.CreatedTime) for i in seen[:3]],
    )
    resp, err = filtered(c, [team_ci, tag_filter("zone", ["ap-guangzhou-6"])], limit=100)
    checks.check(
        "filters AND across",
        err is None
        and resp.TotalCount == ci_zone6 == len(resp.InstanceSet)
        and all(i.Placement.Zone == "ap-guangzhou-6" for i in resp.InstanceSet),
        err or "TotalCount %s" % resp.TotalCount,
    )
    resp, err = filtered(c, [tag_filter("tag:team", ["ci", "web"])], limit=1)
    checks.check(
        "filter values OR within",
        err is None and resp.TotalCount == ci + web and len(resp.InstanceSet) == 1,
        err or "TotalCount %s" % resp.TotalCount,
    )
    resp, err = describe(c, ids=[other_region_id])
    checks.check(
        "another region's instance is not seen",
        err is None and resp.TotalCount == 0 and resp.InstanceSet == [],
        err or [vars_of(i) for i in resp.InstanceSet],
    )
    _, err = filtered(c, [tag_filter("instance-type", ["S5.MEDIUM2"])])
    checks.check("unknown filter name", err == "InvalidFilter", err)
    _, err = call(
        c,
        "DescribeInstances",
        "DescribeInstancesRequest",
        InstanceIds=["ins-00000001"],
        Filters=[team_ci],
    )
    checks.check("InstanceIds with Filters", err == "InvalidParameter", err)
    _, err = filtered(c, [tag_filter("zone", ["ap-shanghai-2"])])
    checks.check("zone of another region", err == "InvalidZone.MismatchRegion", err)
    _, err = filtered(c, [tag_filter("tag-key", ["a", "b", "c", "d", "e", "f"])])
    checks.check("six values", err == "InvalidFilterValue.LimitExceeded", err)


if __name__ == "__main__":
    sys.exit(main())
