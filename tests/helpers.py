# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo-free helpers for the repository-level static checks."""

import ast
import csv
import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("service_desk_cases", "service_desk_sla", "service_desk_reports")
DATA_DIRS = ("data", "demo", "security", "views", "wizard", "report")


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def python_models(addon):
    """(model name, kind) for every class of the addon defining ``_name``."""
    found = []
    for path in (REPO / addon).rglob("*.py"):
        if "tests" in path.relative_to(REPO / addon).parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b) for b in node.bases}
            kind = next((b.split(".")[-1] for b in bases if b.startswith("models.")), None)
            if not kind:
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name) and isinstance(stmt.value, (ast.Constant, ast.List)):
                        attrs[target.id] = ast.literal_eval(stmt.value)
            if isinstance(attrs.get("_name"), str):
                inherit = attrs.get("_inherit")
                # an extension of the model (``_inherit`` naming it, alone or with mixins)
                if attrs["_name"] == inherit or (isinstance(inherit, list) and attrs["_name"] in inherit):
                    continue
                found.append((attrs["_name"], kind, path))
    return found


def access_rows(addon):
    path = REPO / addon / "security" / "ir.model.access.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def sdctl_module(name):
    """A module of the harness package (tools/sdctl), imported from tools/."""
    tools = str(REPO / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    return importlib.import_module(f"sdctl.{name}")
