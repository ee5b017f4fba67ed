#!/usr/bin/env python3
"""Capture TC3-HMAC-SHA256 reference vectors from the official Tencent Cloud Python SDK.

Run by hand (not in CI), from the repository root:

    python3 -m venv /tmp/tcsdk-venv
    /tmp/tcsdk-venv/bin/pip install -r crates/emulator/tests/interop/requirements.txt
    /tmp/tcsdk-venv/bin/python crates/core/tests/vectors/capture.py

(or activate the venv and run `python crates/core/tests/vectors/capture.py`).

What it does, for every case in CASES:
  * builds a TerminateInstances request THROUGH THE SDK's OWN CODE
    (cvm_client.CvmClient(...).TerminateInstances(models.TerminateInstancesRequest)),
  * pins the SDK's clock (the `time` module as tencentcloud.common.abstract_client
    sees it) and its uuid4 (used for the unsigned X-TC-TraceId header),
  * intercepts the request at urllib3's connection-pool `urlopen`, i.e. after
    requests has merged its default headers and added Content-Length, and just
    before urllib3 writes the headers to the socket (urllib3 adds nothing because
    Host, User-Agent, Accept-Encoding and Content-Length are already present;
    this is asserted), and answers with a canned success response,
  * refuses any socket connection, so nothing can reach the network,
  * recomputes the signature from scratch (hashlib/hmac, below) and asserts it
    matches the SDK's Authorization header,
  * writes crates/core/tests/vectors/<name>.json.

The credentials are the public documentation example values, not real secrets.
"""

import hashlib
import hmac
import importlib.metadata
import io
import json
import os
import re
import socket
import sys
import time as _real_time
import uuid as _real_uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent

SDK_VERSION = "3.1.178"
SDK_PIN = "tencentcloud-sdk-python-cvm==" + SDK_VERSION
EXPECTED_DISTS = {
    "tencentcloud-sdk-python-cvm": SDK_VERSION,
    "tencentcloud-sdk-python-common": SDK_VERSION,
}

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
FIXED_TRACE_ID = "00000000-0000-4000-8000-000000000000"
FAKE_RESPONSE = b'{"Response":{"RequestId":"00000000-0000-0000-0000-000000000000"}}'

TS_BASIC = 1551113065  # 2019-02-25T16:44:25Z
TS_BEFORE_MIDNIGHT = 1700006399  # 2023-11-14T23:59:59Z
TS_AFTER_MIDNIGHT = 1700006400  # 2023-11-15T00:00:00Z

DEFAULT_HOST = "cvm.tencentcloudapi.com"


def case(name, **kw):
    c = {
        "name": name,
        "token": None,
        "region": "ap-guangzhou",
        "language": None,  # None => no X-TC-Language header (see README)
        "endpoint": None,  # None => let the SDK derive the default host
        "timestamp": TS_BASIC,
        "instance_ids": ["ins-r8hr2upy"],
        "release_prepaid_data_disks": None,
        "release_address": None,
        "sdk_default_profile": False,
    }
    for k in kw:
        assert k in c, k
    c.update(kw)
    return c


CASES = [
    case("basic"),
    case("session_token", token="sentinel-token-1234"),
    case("language_en", language="en-US"),
    case("language_zh", language="zh-CN"),
    case("ids_100", instance_ids=["ins-%08d" % i for i in range(100)]),
    case("release_prepaid_data_disks", release_prepaid_data_disks=True),
    case("release_address", release_address=True),
    case("release_flags_false", release_prepaid_data_disks=False, release_address=False),
    case("regional_endpoint", endpoint="cvm.ap-shanghai.tencentcloudapi.com", region="ap-shanghai"),
    case("before_midnight", timestamp=TS_BEFORE_MIDNIGHT),
    case("after_midnight", timestamp=TS_AFTER_MIDNIGHT),
    case(
        "combined",
        token="sentinel-token-1234",
        language="en-US",
        endpoint="cvm.ap-shanghai.tencentcloudapi.com",
        region="ap-shanghai",
        instance_ids=["ins-r8hr2upy", "ins-00000042", "ins-abcdefgh"],
        release_prepaid_data_disks=True,
        release_address=True,
    ),
]


# --------------------------------------------------------------------------
# Independent TC3-HMAC-SHA256 implementation (does not use the SDK).
# --------------------------------------------------------------------------

def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(secret_key, service, host, content_type, body_bytes, timestamp):
    date = _real_time.strftime("%Y-%m-%d", _real_time.gmtime(timestamp))
    canonical_request = (
        "POST\n"
        "/\n"
        "\n"
        "content-type:" + content_type + "\n"
        "host:" + host + "\n"
        "\n"
        "content-type;host\n" + hashlib.sha256(body_bytes).hexdigest()
    )
    string_to_sign = (
        "TC3-HMAC-SHA256\n"
        + str(timestamp) + "\n"
        + date + "/" + service + "/tc3_request\n"
        + hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    )
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    k_signing = _hmac(k_service, "tc3_request")
    signature = hmac.new(k_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return date, canonical_request, string_to_sign, signature


def self_test_signer():
    # The worked example published in Tencent Cloud's TC3 signing documentation
    # (DescribeInstances, "application/json; charset=utf-8", same example keys).
    # Older revisions of that page used a masked key ("...N3*******") and so show
    # a different signature (2230eefd...); this is the value for the full key.
    body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    _, _, _, sig = tc3_signature(SECRET_KEY, "cvm", DEFAULT_HOST,
                                 "application/json; charset=utf-8", body.encode(), TS_BASIC)
    assert sig == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", sig


# --------------------------------------------------------------------------
# Pinning and interception.
# --------------------------------------------------------------------------

class _FrozenTime(object):
    """Stand-in for the `time` module inside tencentcloud.common.abstract_client."""

    def __init__(self):
        self.now = None

    def time(self):
        assert self.now is not None
        return float(self.now)

    def __getattr__(self, name):
        return getattr(_real_time, name)


class _FixedUuid(object):
    """Stand-in for the `uuid` module inside tencentcloud.common.abstract_client."""

    def uuid4(self):
        return _real_uuid.UUID(FIXED_TRACE_ID)

    def __getattr__(self, name):
        return getattr(_real_uuid, name)


def _no_network(*args, **kwargs):
    raise RuntimeError("capture.py: network access attempted")


def install_hooks():
    import urllib3
    import urllib3.connectionpool
    import urllib3.response
    import tencentcloud.common.abstract_client as ac
    import tencentcloud.common.http.request as sdk_http

    frozen = _FrozenTime()
    ac.time = frozen
    ac.uuid = _FixedUuid()

    socket.socket.connect = _no_network
    socket.socket.connect_ex = _no_network
    socket.create_connection = _no_network

    state = {"sdk": [], "wire": []}

    orig_sdk_request = sdk_http.ProxyConnection.request

    def sdk_request(self, method, url, body=None, headers=None):
        # What the SDK hands to its HTTP layer (before requests adds its defaults).
        state["sdk"].append({"method": method, "url": url, "body": body,
                             "headers": list((headers or {}).items())})
        return orig_sdk_request(self, method, url, body=body, headers=headers)

    sdk_http.ProxyConnection.request = sdk_request

    def fake_urlopen(self, method, url, body=None, headers=None, **kwargs):
        port = "" if self.port in (None, 443 if self.scheme == "https" else 80) else ":%d" % self.port
        state["wire"].append({
            "method": method,
            "url": "%s://%s%s%s" % (self.scheme, self.host, port, url),
            "headers": [[k, v] for k, v in (headers or {}).items()],
            "body": body,
        })
        return urllib3.response.HTTPResponse(
            body=io.BytesIO(FAKE_RESPONSE),
            headers={"Content-Type": "application/json",
                     "Content-Length": str(len(FAKE_RESPONSE))},
            status=200, reason="OK", version=11,
            preload_content=False, decode_content=False,
            request_method=method, request_url=url,
        )

    urllib3.connectionpool.HTTPConnectionPool.urlopen = fake_urlopen
    return frozen, state


# --------------------------------------------------------------------------
# Capture.
# --------------------------------------------------------------------------

def check_versions():
    for dist, want in EXPECTED_DISTS.items():
        got = importlib.metadata.version(dist)
        assert got == want, "%s: installed %s, want %s (pip install -r crates/emulator/tests/interop/requirements.txt)" % (dist, got, want)
    import tencentcloud
    assert tencentcloud.__version__ == SDK_VERSION, tencentcloud.__version__


def run_case(c, frozen, state):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client, models

    cred = credential.Credential(SECRET_ID, SECRET_KEY, c["token"])
    http_profile = HttpProfile(endpoint=c["endpoint"], reqMethod="POST")
    if c.get("sdk_default_profile"):
        # Untouched ClientProfile(): checks what the SDK does by default.
        profile = ClientProfile(httpProfile=http_profile)
    elif c["language"] is None:
        profile = ClientProfile(httpProfile=http_profile)
        # ClientProfile defaults to language="zh-CN" (always sends X-TC-Language);
        # clearing it is the SDK's own "no language" branch (`if self.profile.language:`).
        profile.language = None
    else:
        profile = ClientProfile(httpProfile=http_profile, language=c["language"])
    assert profile.signMethod == "TC3-HMAC-SHA256"
    assert profile.httpProfile.reqMethod == "POST"

    client = cvm_client.CvmClient(cred, c["region"], profile)

    req = models.TerminateInstancesRequest()
    req.InstanceIds = list(c["instance_ids"])
    if c["release_prepaid_data_disks"] is not None:
        req.ReleasePrepaidDataDisks = c["release_prepaid_data_disks"]
    if c["release_address"] is not None:
        req.ReleaseAddress = c["release_address"]

    state["sdk"].clear()
    state["wire"].clear()
    frozen.now = c["timestamp"]
    resp = client.TerminateInstances(req)
    frozen.now = None
    assert resp.RequestId == "00000000-0000-0000-0000-000000000000", resp.RequestId
    assert len(state["wire"]) == 1 and len(state["sdk"]) == 1, state

    wire = state["wire"][0]
    sdk = state["sdk"][0]
    headers = wire["headers"]
    hmap = {}
    for k, v in headers:
        assert k.lower() not in hmap, "duplicate header %s" % k
        hmap[k.lower()] = v
    # urllib3 only adds Host/User-Agent/Accept-Encoding/Content-Length when missing.
    for needed in ("host", "user-agent", "accept-encoding", "content-length"):
        assert needed in hmap, needed
    # Every header the SDK set reaches the wire unchanged and in the same order.
    sdk_names = [k.lower() for k, _ in sdk["headers"]]
    wire_names = [k.lower() for k, _ in headers]
    assert [n for n in wire_names if n in sdk_names] == sdk_names, (wire_names, sdk_names)
    for k, v in sdk["headers"]:
        assert hmap[k.lower()] == v, (k, v, hmap[k.lower()])

    body = wire["body"]
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    assert body == sdk["body"]
    body_bytes = body.encode("utf-8")
    assert hmap["content-length"] == str(len(body_bytes))

    # The body is json.dumps() of the model, fields in model order, None omitted.
    expected_params = {"InstanceIds": c["instance_ids"]}
    if c["release_address"] is not None:
        expected_params["ReleaseAddress"] = c["release_address"]
    if c["release_prepaid_data_disks"] is not None:
        expected_params["ReleasePrepaidDataDisks"] = c["release_prepaid_data_disks"]
    assert body == json.dumps(expected_params), body

    host = c["endpoint"] or DEFAULT_HOST
    assert hmap["host"] == host
    assert wire["method"] == "POST"
    assert wire["url"] == "https://%s/" % host, wire["url"]
    assert hmap["x-tc-timestamp"] == str(c["timestamp"])
    assert hmap["x-tc-action"] == "TerminateInstances"
    assert hmap["x-tc-version"] == "2017-03-12"
    assert hmap["x-tc-region"] == c["region"]
    assert hmap.get("x-tc-token") == c["token"]
    assert hmap.get("x-tc-language") == c["language"]

    authorization = hmap["authorization"]
    m = re.match(r"^TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", authorization)
    assert m, authorization
    cred_id, date, service, signed_headers, signature = m.groups()
    content_type = hmap["content-type"]

    my_date, _, _, my_sig = tc3_signature(SECRET_KEY, "cvm", host, content_type, body_bytes, c["timestamp"])
    assert cred_id == SECRET_ID and service == "cvm" and date == my_date, authorization
    assert signed_headers == "content-type;host", signed_headers
    assert signature == my_sig, (c["name"], signature, my_sig)
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=%s/%s/cvm/tc3_request, SignedHeaders=content-type;host, Signature=%s"
        % (SECRET_ID, my_date, my_sig))

    return {
        "name": c["name"],
        "sdk": SDK_PIN,
        "inputs": {
            "secret_id": SECRET_ID,
            "secret_key": SECRET_KEY,
            "token": c["token"],
            "region": c["region"],
            "language": c["language"],
            "host": host,
            "timestamp": c["timestamp"],
            "action": "TerminateInstances",
            "version": "2017-03-12",
            "instance_ids": c["instance_ids"],
            "release_prepaid_data_disks": c["release_prepaid_data_disks"],
            "release_address": c["release_address"],
        },
        "request": {
            "method": wire["method"],
            "url": wire["url"],
            "headers": headers,
            "body": body,
        },
        "signed_headers": signed_headers,
        "content_type": content_type,
        "authorization": authorization,
        "signature": signature,
    }


def main():
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(var, None)
    os.environ["NETRC"] = os.devnull  # keep requests from adding netrc auth

    check_versions()
    self_test_signer()
    frozen, state = install_hooks()

    from tencentcloud.cvm.v20170312 import models
    assert "_ReleaseAddress" in vars(models.TerminateInstancesRequest())

    names = set()
    written = {}
    for c in CASES:
        assert c["name"] not in names
        names.add(c["name"])
        vec = run_case(c, frozen, state)
        written[c["name"]] = vec
        text = json.dumps(vec, indent=2, ensure_ascii=False) + "\n"
        # One [name, value] header pair per line, for readable diffs.
        text = _PAIR.sub(r"[\1, \2]", text)
        assert json.loads(text) == vec
        path = HERE / (c["name"] + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote %s  signature=%s" % (path.relative_to(HERE.parent.parent), vec["signature"]))

    # Not written to a file: an untouched ClientProfile() sends exactly what
    # language_zh sends (the SDK's default language is zh-CN).
    default = run_case(case("language_zh", language="zh-CN", sdk_default_profile=True), frozen, state)
    assert default == written["language_zh"]
    print("checked: default ClientProfile() == language_zh (X-TC-Language: zh-CN by default)")
    return 0


_PAIR = re.compile(r'\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]')


if __name__ == "__main__":
    sys.exit(main())
