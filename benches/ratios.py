#!/usr/bin/env python3
"""Medians and ratios from the last `cargo bench --bench signing` run, beside the
ratios of the last `cargo bench --bench interleaved` run.

Reads target/criterion/<group>/<bench>/new/estimates.json (or $CARGO_TARGET_DIR/criterion,
or the criterion directory given as the first argument) and prints a Markdown table, then
the performance targets and whether each holds. If target/interleaved/signing.json exists
(written by the interleaved bench), it also prints each target's interleaved median and
how far criterion's ratio is from it. Exits 1 if a target is missed, a benchmark is
missing, or criterion and the interleaved run disagree by more than 10 %.
"""

import json
import os
import sys
from pathlib import Path

# (id, label, the floor it is compared with)
ROWS = [
    ("floor/warm", "warm floor: SHA-256(body) → hex → SHA-256(canonical request) → hex → HMAC(string to sign), pre-keyed, on the compression function", None),
    ("floor/warm_api", "(info) warm floor through the streaming `Sha256`/`Hmac` APIs", "floor/warm"),
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
    ("signer/signature_cached", "floor/warm", 1.0),
    ("request/terminate_1_cached", "floor/warm", 2.0),
    ("signer/signature_cold_key", "floor/cold", 1.2),
]

# The largest relative difference allowed between criterion's ratio and the interleaved median.
AGREEMENT = 0.10

# Bytes per parse, for the throughput column (the bodies in benches/signing.rs).
THROUGHPUT_BYTES = {}


def criterion_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "criterion"
    return Path(__file__).resolve().parent.parent / "target" / "criterion"


def load_interleaved(root):
    path = root.parent / "interleaved" / "signing.json"
    try:
        with open(path) as f:
            return json.load(f).get("ratios", {}), path
    except FileNotFoundError:
        return None, path


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

    interleaved, interleaved_path = load_interleaved(root)
    print()
    print("| target | criterion | interleaved median (min–max) | criterion vs interleaved | limit | holds |")
    print("| --- | ---: | ---: | ---: | ---: | :---: |")
    ok = not missing
    for bench_id, floor, limit in TARGETS:
        m, f = medians.get(bench_id), medians.get(floor)
        name = f"`{bench_id}` / `{floor}`"
        if m is None or f is None:
            print(f"| {name} | (missing) | | | ≤ {limit} | no |")
            ok = False
            continue
        ratio = m / f
        holds = ratio <= limit
        inter = (interleaved or {}).get(f"{bench_id} / {floor}")
        inter_text, agree_text = "(not run)", ""
        if inter:
            inter_text = f"{inter['median']:.3f} ({inter['min']:.3f}–{inter['max']:.3f})"
            diff = ratio / inter["median"] - 1
            agree_text = f"{diff * 100:+.1f} %"
            holds &= inter["median"] <= limit
            if abs(diff) > AGREEMENT:
                agree_text += " (> 10 %)"
                ok = False
        ok &= holds
        print(f"| {name} | {ratio:.3f} | {inter_text} | {agree_text} | ≤ {limit} | {'yes' if holds else 'NO'} |")
    if interleaved is None:
        print(f"\n(no interleaved run at {interleaved_path}: `cargo bench --bench interleaved`)")
    if missing:
        print(f"\nmissing (run `cargo bench --bench signing` first): {', '.join(missing)}; looked in {root}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
