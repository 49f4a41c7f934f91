# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unit tests of the harness, the ``tools/sdctl`` package (phone digits:
test_tools_phone.py). Neither Odoo nor PostgreSQL is needed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from .helpers import REPO, sdctl_module

demo = sdctl_module("demo")
i18n = sdctl_module("i18n")
odoo_cli = sdctl_module("odoo_cli")
pg = sdctl_module("pg")
templates = sdctl_module("templates")
tiers = sdctl_module("tiers")
util = sdctl_module("util")


def test_command_line_lists_the_commands():
    out = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sdctl"), "--help"], capture_output=True, text=True, check=True
    )
    for command in ("test", "demo", "bench", "i18n", "env"):
        assert command in out.stdout
    make = (REPO / "Makefile").read_text()
    for target in ("demo", "test", "bench", "i18n"):
        assert f"tools/sdctl {target}" in make, f"make {target} must call the harness"


def test_addons_hash_changes_with_content(tmp_path):
    for addon in util.ADDONS:
        (tmp_path / addon).mkdir()
        (tmp_path / addon / "__manifest__.py").write_text("{'depends': ['mail']}")
    first = templates.addons_hash(tmp_path)
    assert first == templates.addons_hash(tmp_path)
    (tmp_path / "service_desk_sla" / "x.py").write_text("x = 1\n")
    assert templates.addons_hash(tmp_path) != first
    assert templates.external_depends(tmp_path) == ["mail"]


def test_wrong_pgport_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("PGPORT", "not-a-port")
    with pytest.raises(util.Fail, match="PGPORT"):
        pg.ensure_pg()


def test_missing_odoo_is_reported():
    """With Odoo hidden, `sdctl test`-style checks say so in one sentence."""
    code = (
        "import sys; sys.modules['odoo'] = None; "
        f"sys.path.insert(0, {str(REPO / 'tools')!r}); from sdctl import odoo_cli, util; "
        "odoo_cli.odoo_info = lambda: None\n"
        "try:\n    odoo_cli.require_odoo()\nexcept util.Fail as e:\n    print(e)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "Odoo 18.0 is not importable" in out.stdout
    assert "documentation/18.0" in out.stdout
    assert "set ODOO_SRC to an Odoo 18.0 source tree" in out.stdout, "the way out is named"
    assert "runs Odoo from ODOO_SRC in place; it never downloads or installs Odoo" in out.stdout


class _FakeCursor:
    def __init__(self, names):
        self.names = names

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, query, params=None):
        self.pattern = params[0]

    def fetchall(self):
        return [(name,) for name in self.names]


class _FakeConn(_FakeCursor):
    def cursor(self):
        return _FakeCursor(self.names)


def test_prune_keeps_current_wip_busy_and_foreign_templates(monkeypatch, tmp_path):
    """Pruning never ends another run's session: templates being built, in
    use, or belonging to another cache folder (whose filestore is elsewhere)
    stay; only this cache's idle old ones (or unkeyed legacy ones) go."""
    deps, place = "59240d368f", templates.place_key(tmp_path)
    old, new, busy = (f"sdtpl_nodemo_{deps}_{place}_{h * 12}" for h in "abc")
    legacy, foreign = f"sdtpl_nodemo_{deps}_{'d' * 12}", f"sdtpl_nodemo_{deps}_ffffff_{'e' * 12}"
    names = [old, new, new + "_wip", busy, legacy, foreign]
    monkeypatch.setattr(templates, "pg_connect", lambda params: _FakeConn(names))
    tried = []

    def drop_if_idle(params, name, data_dir):
        tried.append(name)
        return name != busy

    monkeypatch.setattr(templates, "db_drop_if_idle", drop_if_idle)
    monkeypatch.setattr(templates, "db_drop", lambda *a: pytest.fail("pruning must not end sessions"))
    templates.prune_templates({}, tmp_path, keep={f"sdtpl_deps_nodemo_{deps}", new}, flavour="nodemo")
    assert tried == [old, busy, legacy]
    assert templates.place_key(tmp_path) != templates.place_key(tmp_path / "other")


def test_run_logged_reports_errors_not_benign_warnings(tmp_path):
    lines = [
        "2026-03-10 12:00:00,000 1 INFO db odoo: fine",
        "2026-03-10 12:00:00,000 1 WARNING db odoo: Running as user 'root' is a security risk",
        "2026-03-10 12:00:00,000 1 WARNING db odoo.addons.x: a real warning",
        "2026-03-10 12:00:00,000 1 ERROR db odoo.tools.translate: Failed to extract terms",
    ]
    code = f"import sys; print(sys.stdin.read()); print({chr(10).join(lines)!r})"
    rc, bad = odoo_cli.run_logged(
        [sys.executable, "-c", code], tmp_path / "x.log", check_log=True, input_text="from stdin"
    )
    assert rc == 0
    assert [line.split(" ", 4)[3] for line in bad] == ["WARNING", "ERROR"]
    assert "from stdin" in (tmp_path / "x.log").read_text()


def test_i18n_export_fails_loudly_and_keeps_the_pot(monkeypatch, tmp_path):
    """An ERROR logged by Odoo's exporter (e.g. an f-string inside _()) stops
    `make i18n` before any .pot or .po is touched."""
    for addon in util.ADDONS:
        (tmp_path / addon / "i18n").mkdir(parents=True)
        (tmp_path / addon / "i18n" / f"{addon}.pot").write_text("old\n")
    monkeypatch.setattr(i18n, "REPO", tmp_path)
    monkeypatch.setattr(i18n, "pot_path", lambda addon, repo=tmp_path: tmp_path / addon / "i18n" / f"{addon}.pot")
    monkeypatch.setattr(i18n, "ensure_template", lambda *a: "tpl")
    monkeypatch.setattr(i18n, "db_copy", lambda *a: None)
    monkeypatch.setattr(i18n, "db_drop", lambda *a: None)
    error = "2026-03-10 12:00:00,000 1 ERROR db odoo.tools.translate: Failed to extract terms from x.py"

    def fake_run(cmd, log, check_log, input_text):
        """Odoo's shell: write each .pot the script names, log an error."""
        for path in re.findall(r"'([^']+\.pot)'", input_text):
            Path(path).write_text('msgid ""\nmsgstr ""\n')
        return 0, [error]

    monkeypatch.setattr(i18n, "run_logged", fake_run)
    with pytest.raises(util.Fail, match="1 ERROR line"):
        i18n.export_pots({}, tmp_path / "odoo.conf", tmp_path, tmp_path)
    for addon in util.ADDONS:
        assert (tmp_path / addon / "i18n" / f"{addon}.pot").read_text() == "old\n"
    monkeypatch.setattr(i18n, "run_logged", lambda *a, **k: (fake_run(*a, **k)[0], []))
    i18n.export_pots({}, tmp_path / "odoo.conf", tmp_path, tmp_path)
    assert (tmp_path / "service_desk_sla" / "i18n" / "service_desk_sla.pot").read_text().startswith("msgid")


@pytest.mark.skipif(not shutil.which("msgmerge"), reason="gettext (msgmerge) is not installed")
def test_i18n_merge_creates_updates_and_obsoletes(tmp_path):
    addon = "service_desk_sla"
    folder = tmp_path / addon / "i18n"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    pot = folder / f"{addon}.pot"
    pot.write_text(header + 'msgid "Breached"\nmsgstr ""\n\nmsgid "Old term"\nmsgstr ""\n')
    assert i18n.merge_po(addon, "ru", tmp_path) == "created"
    po = polib.pofile(str(folder / "ru.po"))
    assert po.metadata["Language"] == "ru"
    po.find("Breached").msgstr = "Нарушен"
    po.find("Old term").msgstr = "Старый термин"
    po.save()
    pot.write_text(header + 'msgid "Breached"\nmsgstr ""\n\nmsgid "New term"\nmsgstr ""\n')
    assert i18n.merge_po(addon, "ru", tmp_path) == "merged"
    po = polib.pofile(str(folder / "ru.po"))
    assert po.find("Breached").msgstr == "Нарушен"
    assert po.find("New term").msgstr == "" and "fuzzy" not in po.find("New term").flags
    assert [e.msgid for e in po.obsolete_entries()] == ["Old term"]
    assert i18n.po_statistics(addon, "ru", tmp_path) == "1 translated message, 1 untranslated message"


def test_phase_table_printed(capsys):
    phases = tiers.Phases()
    phases.run("static checks (pytest tests/)", lambda: True)
    phases.run("lint (ruff, pylint-odoo)", lambda: False)
    phases.report()
    out = capsys.readouterr().out
    assert "[sd] --- static checks (pytest tests/)" in out
    assert "phase durations:" in out
    assert "lint (ruff, pylint-odoo)" in out and "FAILED" in out


def test_demo_prints_and_readme_lists_every_login_with_its_role():
    """Odoo's admin and portal, and every user of the demo data (employee and
    engineer included), with a role, in `make demo`'s banner and the README."""
    xml = (REPO / "service_desk_cases" / "demo" / "service_desk_demo.xml").read_text()
    demo_users = re.findall(r'<field name="login">([^<]+)</field>', xml)
    assert {"employee", "engineer"} <= set(demo_users)
    logins = dict(demo.DEMO_LOGINS)
    assert set(logins) == {"admin", "portal", *demo_users}
    banner = demo.banner(8069)
    readme = (REPO / "README.md").read_text()
    for login, role in logins.items():
        assert role and f"{role:<27} {login} / {login}" in banner
        assert re.search(rf"^\| `{login}` \| \w.+ \|$", readme, re.MULTILINE), f"README: no role for {login}"
    assert "http://localhost:8069/web" in banner


def test_demo_language_script_compiles():
    """SD_DEMO_LANG=ru_RU make demo feeds this script to `odoo shell`."""
    code = demo.LANG_SCRIPT.format(lang="ru_RU")
    compile(code, "demo-lang", "exec")
    assert "_activate_lang('ru_RU')" in code and '{"lang": lang.code}' in code


# ---------------------------------------------------------------------------
# Scale-out (issue 12): SD_WORKERS/SD_REPLICA, make loadtest
# ---------------------------------------------------------------------------

scale = sdctl_module("scale")
loadtest = sdctl_module("loadtest")


def test_loadtest_is_a_command_and_a_make_target():
    out = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sdctl"), "--help"], capture_output=True, text=True, check=True
    )
    assert "loadtest" in out.stdout
    make = (REPO / "Makefile").read_text()
    assert "tools/sdctl loadtest" in make
    # make test never needs Locust: it lives in loadtest/requirements.txt
    assert "locust" not in (REPO / "requirements.txt").read_text().lower()
    assert "locust" in (REPO / "loadtest" / "requirements.txt").read_text()


def test_scale_config_is_production_shaped_and_loopback(monkeypatch, tmp_path):
    monkeypatch.setattr(odoo_cli, "cache_dir", lambda: tmp_path)
    monkeypatch.delenv("SD_HTTP_INTERFACE", raising=False)
    params = {"host": "/run/pg", "port": 55432, "user": "odoo"}
    replica = {"host": "/run/pg-replica", "port": 55433, "user": "sd_replica"}
    conf, _data = scale.scale_config(params, ["/odoo/addons"], 8069, 4, replica, name="t.conf")
    lines = conf.read_text().splitlines()
    keys = [line.split(" = ")[0] for line in lines[1:]]
    assert len(keys) == len(set(keys)), "configparser refuses a key given twice"
    values = dict(line.split(" = ", 1) for line in lines[1:])
    assert values["workers"] == "4" and values["max_cron_threads"] == "2"
    assert values["http_interface"] == "127.0.0.1"
    assert values["gevent_port"] == "8072"
    assert values["db_replica_host"] == "/run/pg-replica" and values["db_replica_port"] == "55433"
    assert values["db_replica_user"] == "sd_replica"
    conf, _data = scale.scale_config(params, ["/odoo/addons"], 8069, 2, None, name="t.conf")
    assert "db_replica_host" not in conf.read_text()


def test_replica_without_workers_is_refused(monkeypatch):
    monkeypatch.setenv("SD_WORKERS", "x")
    with pytest.raises(util.Fail, match="SD_WORKERS"):
        scale.env_workers()
    with pytest.raises(util.Fail, match="SD_WORKERS=N"):
        scale.prepare({}, 0, True)


def test_loadtest_refuses_unbounded_load(monkeypatch, capsys):
    monkeypatch.setenv("SD_LOADTEST_USERS", "500")
    assert loadtest.cmd_loadtest(None) == 1
    assert "bounded load only" in capsys.readouterr().out


def test_locustfile_targets_the_loopback_only():
    source = (REPO / "loadtest" / "locustfile.py").read_text()
    compile(source, "locustfile.py", "exec")
    assert '("127.0.0.1", "localhost", "::1")' in source
    assert "http://127.0.0.1:{LT_PORT}" in (REPO / "tools" / "sdctl" / "loadtest.py").read_text()


def test_demo_tier_runs_the_demo_tests_on_a_demo_database(monkeypatch):
    """The demo-data tests skip on the test database (no demo): make test runs
    them again on a copy of the demo template, where skipping is a failure."""
    files = tiers.demo_test_files()
    assert "service_desk_sla/tests/test_sla_demo.py" in files
    calls = []
    monkeypatch.setattr(tiers, "ensure_template", lambda params, conf, data_dir, demo, logs: f"tpl_demo={demo}")
    monkeypatch.setattr(tiers, "db_copy", lambda params, src, dst, data_dir: calls.append(("copy", src, dst)))
    monkeypatch.setattr(tiers, "db_drop", lambda params, name, data_dir: calls.append(("drop", name)))
    monkeypatch.setattr(
        tiers, "pytest_odoo", lambda conf, db, logs, paths=None, env=None: calls.append(("pytest", db, paths, env))
    )
    tiers.demo_tier(tiers.Phases(), {}, "conf", "data", Path("/tmp"))
    copy, pytest_call, drop = calls
    assert copy[1] == "tpl_demo=True"
    assert pytest_call[1] == copy[2] == drop[1]
    assert pytest_call[2] == files and pytest_call[3] == {"SD_DEMO_DB": "1"}
    source = (REPO / "service_desk_sla" / "tests" / "test_sla_demo.py").read_text()
    assert 'os.environ.get("SD_DEMO_DB")' in source and "self.fail(" in source
