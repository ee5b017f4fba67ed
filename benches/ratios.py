#!/usr/bin/env python3
"""Medians and ratios from the last `cargo bench --bench signing` run.

Reads target/criterion/<group>/<bench>/new/estimates.json (or $CARGO_TARGET_DIR/criterion,
or the directory given as the first argument) and prints a Markdown table, then the
three performance targets and whether each holds. Exits 1 if a target is missed or a
benchmark is missing.
"""

import json
import os
import sys
from pathlib import Path

# (id, label, the floor it is compared with)
ROWS = [
    ("floor/warm", "warm floor: SHA-256(body) + SHA-256(canonical request) + HMAC(string to sign), pre-keyed", None),
    ("floor/cold", "cold floor: warm floor + key derivation (3 HMACs + keying)", None),
    ("signer/signature_cached", "signature, cached key (`Signer::signature`)", "floor/warm"),
    ("signer/signature_cold_key", "signature, cold key (key derived afresh, canonical prefix cached)", "floor/cold"),
    ("signer/signature_cold_derive", "(info) cold key, nothing cached (`derive` + `SigningParams::string_to_sign`)", "floor/cold"),
    ("signer/signature_cold_fresh_signer", "(info) first signature of a new `Signer` (fills both caches)", "floor/cold"),
    ("request/terminate_1_cached", "`terminate_instances`, 1 ID, build + sign, cached key", "floor/warm"),
    ("request/terminate_100_cached", "`terminate_instances`, 100 IDs, build + sign, cached key", "floor/warm"),
    ("response/parse_success", "`parse_response`, success envelope", None),
    ("response/parse_error", "`parse_response`, error envelope", None),
]

# (benchmark, floor, the largest ratio allowed)
TARGETS = [
    ("signer/signature_cached", "floor/warm", 1.3),
    ("signer/signature_cold_key", "floor/cold", 1.2),
    ("request/terminate_1_cached", "floor/warm", 3.0),
]

# Bytes per parse, for the throughput column (the bodies in benches/signing.rs).
THROUGHPUT_BYTES = {}


def criterion_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "criterion"
    return Path(__file__).resolve().parent.parent / "target" / "criterion"


def load(root, bench_id):
    path = root / bench_id / "new" / "estimates.json"
    try:
        with open(path) as f:
            est = json.load(f)
    except FileNotFoundError:
        return None
    bench = root / bench_id / "new" / "benchmark.json"
    size = None
    try:
        with open(bench) as f:
            tp = json.load(f).get("throughput") or {}
            size = tp.get("Bytes") or tp.get("BytesDecimal")
    except (FileNotFoundError, ValueError):
        pass
    if size:
        THROUGHPUT_BYTES[bench_id] = size
    return est["median"]["point_estimate"]


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def main():
    root = criterion_dir()
    medians = {bench_id: load(root, bench_id) for bench_id, _, _ in ROWS}
    missing = [b for b, m in medians.items() if m is None]

    print("| benchmark | median | vs floor |")
    print("| --- | ---: | ---: |")
    for bench_id, label, floor in ROWS:
        m = medians[bench_id]
        if m is None:
            print(f"| {label} | (missing) | |")
            continue
        ratio = ""
        if floor and medians.get(floor):
            ratio = f"{m / medians[floor]:.2f}× {floor.split('/')[1]}"
        size = THROUGHPUT_BYTES.get(bench_id)
        if size:
            ratio = f"{size} B, {size / m * 1e3:.0f} MB/s"
        print(f"| {label} | {fmt_ns(m)} | {ratio} |")

    print()
    print("| target | ratio | limit | holds |")
    print("| --- | ---: | ---: | :---: |")
    ok = not missing
    for bench_id, floor, limit in TARGETS:
        m, f = medians.get(bench_id), medians.get(floor)
        if m is None or f is None:
            print(f"| `{bench_id}` / `{floor}` | (missing) | ≤ {limit} | no |")
            continue
        ratio = m / f
        holds = ratio <= limit
        ok &= holds
        print(f"| `{bench_id}` / `{floor}` | {ratio:.2f} | ≤ {limit} | {'yes' if holds else 'NO'} |")
    if missing:
        print(f"\nmissing (run `cargo bench --bench signing` first): {', '.join(missing)}; looked in {root}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
