# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unit tests of the pure-Python helpers of the harness (phone digits: test_tools_phone.py)."""

import importlib.util
import subprocess
import sys

from .helpers import REPO


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sdctl = _load("sdctl", REPO / "tools" / "sdctl.py")


def test_addons_hash_changes_with_content(tmp_path, monkeypatch):
    for addon in sdctl.ADDONS:
        (tmp_path / addon).mkdir()
        (tmp_path / addon / "__manifest__.py").write_text("{'depends': ['mail']}")
    monkeypatch.setattr(sdctl, "REPO", tmp_path)
    first = sdctl.addons_hash()
    assert first == sdctl.addons_hash()
    (tmp_path / "service_desk_sla" / "x.py").write_text("x = 1\n")
    assert sdctl.addons_hash() != first
    assert sdctl.external_depends() == ["mail"]


def test_wrong_pgport_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("PGPORT", "not-a-port")
    try:
        sdctl.ensure_pg()
    except sdctl.Fail as exc:
        assert "PGPORT" in str(exc)
    else:
        raise AssertionError("a bad PGPORT must be refused")


def test_missing_odoo_is_reported(tmp_path):
    """With Odoo hidden, `sdctl test`-style checks say so in one sentence."""
    code = (
        "import sys; sys.modules['odoo'] = None; "
        f"sys.path.insert(0, {str(REPO / 'tools')!r}); import sdctl; "
        "sdctl.odoo_info = lambda: None\n"
        "try:\n    sdctl.require_odoo()\nexcept sdctl.Fail as e:\n    print(e)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "Odoo 18.0 is not importable" in out.stdout
    assert "documentation/18.0" in out.stdout
