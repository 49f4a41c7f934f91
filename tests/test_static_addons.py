# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Static checks of the three addons: they need no Odoo and always run."""

import re

import pytest
from lxml import etree

from .helpers import ADDONS, DATA_DIRS, REPO, access_rows, manifest, python_models

REQUIRED_KEYS = ("name", "version", "license", "author", "website", "category", "depends")


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_keys_and_files(addon):
    man = manifest(addon)
    for key in REQUIRED_KEYS:
        assert key in man, f"{addon}: manifest lacks {key!r}"
    assert "description" not in man, f"{addon}: use readme/ instead of a description key"
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", man["version"]), man["version"]
    assert man["license"] in ("LGPL-3", "AGPL-3")
    for key in ("data", "demo"):
        for rel in man.get(key, []):
            assert (REPO / addon / rel).is_file(), f"{addon}: {key} lists missing file {rel}"
    assert len(set(man.get("data", []))) == len(man.get("data", [])), f"{addon}: duplicated data file"


def test_dependencies_run_one_way():
    assert not {"service_desk_sla", "service_desk_reports"} & set(manifest("service_desk_cases")["depends"])
    assert "service_desk_cases" in manifest("service_desk_sla")["depends"]
    assert "service_desk_reports" not in manifest("service_desk_sla")["depends"]
    deps = set(manifest("service_desk_reports")["depends"])
    assert {"service_desk_cases", "service_desk_sla"} <= deps
    for path in (REPO / "service_desk_cases").rglob("*.py"):
        text = path.read_text()
        assert "service_desk_sla" not in text and "service_desk_reports" not in text, (
            f"{path}: cases must not import the addons that depend on it"
        )


@pytest.mark.parametrize("addon", ADDONS)
def test_every_data_file_listed_and_xml_well_formed(addon):
    man = manifest(addon)
    listed = set(man.get("data", [])) | set(man.get("demo", []))
    for folder in DATA_DIRS:
        for path in sorted((REPO / addon / folder).rglob("*")):
            if path.suffix not in (".xml", ".csv"):
                continue
            rel = str(path.relative_to(REPO / addon))
            if path.suffix == ".xml":
                etree.parse(str(path))  # raises on malformed XML
            assert rel in listed, f"{addon}: {rel} is not listed in the manifest"
    for path in (REPO / addon).rglob("*.xml"):
        etree.parse(str(path))


@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rows(addon):
    rows = access_rows(addon)
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    for name, kind, path in python_models(addon):
        if kind == "AbstractModel":
            continue
        xmlid = "model_" + name.replace(".", "_")
        assert xmlid in covered, f"{addon}: model {name} ({path.name}) has no row in ir.model.access.csv"


@pytest.mark.parametrize("addon", ADDONS)
def test_no_legacy_view_attributes(addon):
    for path in (REPO / addon).rglob("*.xml"):
        tree = etree.parse(str(path))
        for node in tree.iter():
            if not isinstance(node.tag, str):
                continue
            for attr in ("attrs", "states"):
                assert (
                    attr not in node.attrib
                    or node.tag == "field"
                    and node.get("name")
                    in (
                        "attrs",
                        "states",
                    )
                ), f"{path.relative_to(REPO)}:{node.sourceline}: '{attr}' is pre-17 view syntax"
            assert node.tag != "tree", f"{path.relative_to(REPO)}:{node.sourceline}: use <list> in 18.0"


@pytest.mark.parametrize("addon", ADDONS)
def test_test_modules_are_imported(addon):
    tests_dir = REPO / addon / "tests"
    if not tests_dir.is_dir():
        return
    init = (tests_dir / "__init__.py").read_text() if (tests_dir / "__init__.py").exists() else ""
    for path in tests_dir.glob("test_*.py"):
        assert f"from . import {path.stem}" in init, f"{addon}: tests/__init__.py does not import {path.stem}"


def test_test_file_names_unique():
    seen = {}
    for addon in (*ADDONS, "tests"):
        for path in (REPO / addon).rglob("test_*.py"):
            assert path.name not in seen, f"{path} and {seen[path.name]} share a name"
            seen[path.name] = path
