#!/usr/bin/env python3
"""Tests of check_msrv.py on hand-made `cargo metadata` graphs. Run: python3 scripts/test_check_msrv.py"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_msrv  # noqa: E402


def package(name, rust_version):
    return {"id": name + "-id", "name": name, "version": "1.0.0", "rust_version": rust_version}


def edge(name, *kinds):
    return {"pkg": name + "-id", "dep_kinds": [{"kind": k, "target": None} for k in kinds]}


def metadata(packages, members, deps):
    return {
        "packages": [package(n, v) for n, v in packages.items()],
        "workspace_members": [m + "-id" for m in members],
        "resolve": {"nodes": [{"id": n + "-id", "deps": deps.get(n, [])} for n in packages]},
    }


class ViolationsTest(unittest.TestCase):
    def test_a_transitive_normal_dependency_above_the_promise_is_named_with_its_path(self):
        m = metadata({"app": "1.70", "lib": "1.60", "deep": "1.80.0"}, ["app"],
                     {"app": [edge("lib", None)], "lib": [edge("deep", None)]})
        self.assertEqual(list(check_msrv.violations(m)), [
            ("app 1.0.0", "1.70", "deep 1.0.0", "1.80.0",
             ["app 1.0.0", "lib 1.0.0", "deep 1.0.0"])])

    def test_build_dependencies_count(self):
        m = metadata({"app": "1.70", "gen": "1.75"}, ["app"], {"app": [edge("gen", "build")]})
        self.assertEqual([v[2] for v in check_msrv.violations(m)], ["gen 1.0.0"])

    def test_dev_dependencies_do_not_count_at_any_depth(self):
        m = metadata({"app": "1.70", "lib": "1.70", "bench": "1.90"}, ["app", "lib"],
                     {"app": [edge("lib", None), edge("bench", "dev")],
                      "lib": [edge("bench", "dev")]})
        self.assertEqual(list(check_msrv.violations(m)), [])

    def test_an_edge_that_is_both_dev_and_normal_counts(self):
        m = metadata({"app": "1.70", "lib": "1.71"}, ["app"], {"app": [edge("lib", "dev", None)]})
        self.assertEqual([v[2] for v in check_msrv.violations(m)], ["lib 1.0.0"])

    def test_a_workspace_member_below_its_dependent_is_reported_for_each_dependent(self):
        m = metadata({"core": "1.88", "client": "1.85", "cli": "1.85"}, ["core", "client", "cli"],
                     {"client": [edge("core", None)], "cli": [edge("client", None)]})
        self.assertEqual(sorted(v[0] for v in check_msrv.violations(m)),
                         ["cli 1.0.0", "client 1.0.0"])

    def test_equal_versions_and_undeclared_dependencies_pass(self):
        m = metadata({"app": "1.88", "same": "1.88.0", "old": None}, ["app"],
                     {"app": [edge("same", None), edge("old", None)]})
        self.assertEqual(list(check_msrv.violations(m)), [])

    def test_members_without_rust_version_are_listed(self):
        m = metadata({"app": None, "lib": "1.60"}, ["app", "lib"], {})
        self.assertEqual(check_msrv.undeclared(m), ["app 1.0.0"])

    def test_versions_compare_numerically(self):
        self.assertGreater(check_msrv.parse_version("1.100"), check_msrv.parse_version("1.89.1"))
        self.assertEqual(check_msrv.parse_version("1.89"), check_msrv.parse_version("1.89.0"))


if __name__ == "__main__":
    unittest.main()
