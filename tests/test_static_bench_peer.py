# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OCA peer in the benchmark (tools/sdctl/bench.py, bench/run.py):
pinned wheels, offline smoke, the ratio beside each figure. Neither Odoo nor
PostgreSQL is needed."""

import importlib
import sys

from .helpers import REPO, sdctl_module

bench = sdctl_module("bench")
util = sdctl_module("util")


def bench_run():
    path = str(REPO / "bench")
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module("run")


def test_peer_wheels_are_pinned():
    names = dict(bench.PEER_WHEELS)
    assert names == {
        "odoo-addon-helpdesk-mgmt": "18.0.1.19.5",
        "odoo-addon-helpdesk-mgmt-sla": "18.0.2.1.1",
    }
    assert bench.PEER_ADDONS == ("helpdesk_mgmt", "helpdesk_mgmt_sla")


def test_peer_lives_in_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SD_CACHE_DIR", str(tmp_path))
    assert bench.peer_addons_path() == tmp_path / "peer" / bench.peer_key() / "site" / "odoo" / "addons"
    assert not bench.peer_cached()
    for addon in bench.PEER_ADDONS:
        (bench.peer_addons_path() / addon).mkdir(parents=True)
        (bench.peer_addons_path() / addon / "__manifest__.py").write_text("{}")
    assert bench.peer_cached()


def test_peer_depends_outside_community_are_reported(tmp_path):
    peer = tmp_path / "peer"
    odoo = tmp_path / "odoo"
    (odoo / "mail").mkdir(parents=True)
    (odoo / "mail" / "__manifest__.py").write_text("{}")
    (peer / "helpdesk_mgmt").mkdir(parents=True)
    (peer / "helpdesk_mgmt" / "__manifest__.py").write_text("{'depends': ['mail', 'base_tier_validation']}")
    (peer / "helpdesk_mgmt_sla").mkdir()
    (peer / "helpdesk_mgmt_sla" / "__manifest__.py").write_text("{'depends': ['helpdesk_mgmt', 'mail']}")
    assert bench.peer_missing_depends([str(odoo)], peer) == ["base_tier_validation"]


def test_smoke_skips_the_peer_offline(monkeypatch, tmp_path, capsys):
    """make test never downloads: without cached wheels, one line and no peer."""
    monkeypatch.setenv("SD_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BENCH_PEER", raising=False)

    def no_network(*_args, **_kwargs):
        raise AssertionError("the smoke run must not download the peer")

    monkeypatch.setattr(bench, "fetch_peer", no_network)
    assert bench.prepare_peer({}, [], tmp_path, "x_peer", fetch=False) == []
    assert "peer skipped: wheels not cached, run make bench" in capsys.readouterr().out


def test_bench_peer_0_always_skips(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SD_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("BENCH_PEER", "0")
    monkeypatch.setattr(bench, "fetch_peer", lambda: (_ for _ in ()).throw(AssertionError("fetched")))
    assert bench.prepare_peer({}, [], tmp_path, "x_peer", fetch=True) == []
    assert "BENCH_PEER=0" in capsys.readouterr().out


def test_bench_command_passes_the_peer():
    cmd = bench.bench_cmd("/c.conf", "db", 10, 1, "--peer-database", "db_peer", "--peer-addons", "/p")
    assert cmd[-4:] == ["--peer-database", "db_peer", "--peer-addons", "/p"]
    assert cmd[1].endswith("bench/run.py")


def test_ratio_beside_each_figure():
    run = bench_run()
    summ = run.summarise([60.0, 66.0, 63.0])
    run.add_peer(summ, run.summarise([20.0, 21.0, 19.0]), (">=", 5))
    assert summ["peer"]["median"] == 20.0
    assert abs(summ["ratio"] - 3.15) < 1e-9
    assert summ["ratio_target"] == ">= 5x peer"
    assert summ["ratio_meets_target"] is False
    run.add_peer(summ, run.summarise([10.0]), (">=", 5))
    assert summ["ratio_meets_target"] is True


def test_comparisons_in_the_results_file():
    run = bench_run()
    summ = run.summarise([30.0])
    run.add_peer(summ, run.summarise([20.0]), (">=", 1.5))
    bench_obj = run.Bench(None)
    bench_obj.figures.append({"label": "1b. one per transaction", "status": "ok", "summary": {"cases_per_s": summ}})
    bench_obj.figures.append({"label": "2a. escalation", "status": "ok", "summary": {"seconds": run.summarise([1.0])}})
    rows = run.comparisons(bench_obj)
    assert len(rows) == 1
    assert rows[0]["ratio"] == 1.5 and rows[0]["ratio_meets_target"] is True
    assert rows[0]["ratio_target"] == ">= 1.5x peer"


def test_escalation_ratio_is_per_due_row():
    """2d compares the time per due row: a smoke run's small size has fewer
    rows to make due (6) than the large one (100)."""
    run = bench_run()
    bench_obj = run.Bench(None)

    def figure(seconds, due):
        return [{"summary": {"seconds": run.summarise([seconds]), "due": run.summarise([due])}}]

    run.ratio_figure(bench_obj, "escalation", "2d", figure(0.006, 6), figure(0.1, 100), "seconds", per="due")
    run.ratio_figure(bench_obj, "escalation", "2d raw", figure(0.006, 6), figure(0.1, 100), "seconds")
    per_row, raw = (f["summary"]["ratio"]["median"] for f in bench_obj.figures)
    assert abs(per_row - 1.0) < 1e-9
    assert abs(raw - 0.1 / 0.006) < 1e-9
    assert bench_obj.figures[0]["summary"]["ratio"]["meets_target"] is True


def test_generator_copy_is_csv_postgresql_reads():
    """The generator's COPY: None is NULL, text with commas, quotes and new lines survives."""
    path = str(REPO / "bench")
    if path not in sys.path:
        sys.path.insert(0, path)
    generate = importlib.import_module("generate")
    sent = {}

    class Raw:
        def copy_expert(self, sql, buf):
            sent["sql"], sent["data"] = sql, buf.read()

    class Cursor:
        _obj = Raw()

        def flush(self):
            sent["flushed"] = True

    generate._copy(Cursor(), "t", ["a", "b", "c"], [(1, None, 'say "hi", then\nbye'), (2, True, "x")])
    assert sent["sql"] == "COPY t (a, b, c) FROM STDIN WITH (FORMAT csv)"
    assert sent["data"] == '1,,"say ""hi"", then\nbye"\n2,True,x\n'
    assert sent["flushed"]
