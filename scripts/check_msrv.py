#!/usr/bin/env python3
"""Fails when a workspace package declares a rust-version lower than one of its dependencies'.

A package's `rust-version` promises that it builds with that compiler, so it must be at
least the `rust-version` of every package it builds with: its normal and build
dependencies, transitively, as the lockfile resolves them (dev-dependencies are only
needed to test it). The dependency graph comes from `cargo metadata`'s `resolve`
section, so new workspace members are checked as soon as they exist.

`cargo metadata` resolves features for the whole workspace at once, and for every
target platform, so a dependency that only another member's features or another
platform pull in is counted too: the check can only err on the strict side.

Usage: scripts/check_msrv.py [--manifest-path PATH]  (exit 0: every promise holds;
1: a promise is broken, each one named with the dependency path that breaks it;
2: cargo metadata failed or a workspace package declares no rust-version).
"""

import argparse
import json
import subprocess
import sys
from collections import deque


def parse_version(text):
    """`1.89` or `1.89.0` as a comparable tuple, missing parts as 0."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def builds_with(edge):
    """Whether a resolve edge is a normal or build dependency (on any platform)."""
    return any(k["kind"] in (None, "build") for k in edge["dep_kinds"])


def violations(metadata):
    """Yields (package, declared, dependency, needed, path) for each broken promise.

    Packages without a `rust-version` promise nothing; workspace members without one
    are reported by `undeclared` instead.
    """
    packages = {p["id"]: p for p in metadata["packages"]}
    edges = {n["id"]: [e["pkg"] for e in n["deps"] if builds_with(e)]
             for n in metadata["resolve"]["nodes"]}
    for member in metadata["workspace_members"]:
        declared = packages[member].get("rust_version")
        if declared is None:
            continue
        # Breadth first, so that each dependency is reported with its shortest path.
        parent = {member: None}
        queue = deque([member])
        while queue:
            current = queue.popleft()
            for dep in edges.get(current, []):
                if dep not in parent:
                    parent[dep] = current
                    queue.append(dep)
        for dep in parent:
            needed = packages[dep].get("rust_version")
            if dep == member or needed is None:
                continue
            if parse_version(needed) > parse_version(declared):
                path = []
                step = dep
                while step is not None:
                    path.append(step)
                    step = parent[step]
                names = [describe(packages[p]) for p in reversed(path)]
                yield describe(packages[member]), declared, describe(packages[dep]), needed, names


def undeclared(metadata):
    """Workspace members that declare no rust-version."""
    packages = {p["id"]: p for p in metadata["packages"]}
    return [describe(packages[m]) for m in metadata["workspace_members"]
            if packages[m].get("rust_version") is None]


def describe(package):
    return "%s %s" % (package["name"], package["version"])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest-path")
    args = parser.parse_args(argv)
    command = ["cargo", "metadata", "--format-version", "1"]
    if args.manifest_path:
        command += ["--manifest-path", args.manifest_path]
    try:
        metadata = json.loads(subprocess.run(command, check=True, stdout=subprocess.PIPE).stdout)
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        print("check-msrv: cargo metadata failed: %s" % e, file=sys.stderr)
        return 2
    missing = undeclared(metadata)
    for name in missing:
        print("check-msrv: %s declares no rust-version" % name, file=sys.stderr)
    broken = sorted(violations(metadata))
    for package, declared, dep, needed, path in broken:
        print("check-msrv: %s declares rust-version %s, but %s needs %s (%s)"
              % (package, declared, dep, needed, " -> ".join(path)), file=sys.stderr)
    if missing:
        return 2
    if broken:
        return 1
    count = len(metadata["workspace_members"])
    print("check-msrv: the rust-version of all %d workspace packages covers their dependencies"
          % count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
