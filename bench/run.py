# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Service desk benchmark (``make bench``; ``make test`` runs it with --smoke).

Usage: python3 bench/run.py --config ODOO_CONF --database DB [--cases N]
       [--runs R] [--smoke] [--peer-database PEER_DB --peer-addons DIR]

Builds its data in DB (which must be a disposable copy of the addons
template), measures each figure R times and prints median and spread; writes
bench/results/<timestamp>.json. With a peer database (the OCA helpdesk_mgmt
and helpdesk_mgmt_sla installed from the addons folder DIR), the creation
and email figures run against both registries in this one process,
alternating, and print the ratio product/peer. Targets are printed, never
asserted: the exit code is non-zero only when a figure could not be produced.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

ADDONS = ("service_desk_cases", "service_desk_sla", "service_desk_reports")
# figure key -> addon whose presence makes the figure mandatory in --smoke
REQUIRED_BY = {
    "create": "service_desk_cases",
    "create_single": "service_desk_cases",
    "escalation": "service_desk_sla",
    "reports": "service_desk_reports",
    "list": "service_desk_cases",
    "email": "service_desk_cases",
    "portal": "service_desk_cases",
}


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def say(msg):
    out(f"[bench] {msg}")


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb():
    """The resident memory of the process now (ru_maxrss is the peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


class Context:
    def __init__(self, registry, args):
        self.registry = registry
        self.database = args.database
        self.runs = args.runs
        self.smoke = args.smoke
        self.catalog = None
        self.installed = set()
        self.peer = None
        self._cr = registry.cursor()

    def env_probe(self):
        """A read-only environment on a long-lived cursor (cache reset on each call)."""
        from odoo import SUPERUSER_ID, api

        self._cr.rollback()
        env = api.Environment(self._cr, SUPERUSER_ID, {})
        env.invalidate_all()
        return env

    def open_cases(self):
        self._cr.rollback()
        self._cr.execute("SELECT count(*) FROM service_desk_case WHERE state IN ('new', 'in_progress', 'waiting')")
        return self._cr.fetchone()[0]

    def close(self):
        self._cr.close()
        if self.peer:
            self.peer.close()


class PeerContext:
    """The OCA peer's registry in the same process, and its catalog (bench/peer.py)."""

    def __init__(self, registry, database, addons):
        self.registry = registry
        self.database = database
        self.addons = addons
        self.catalog = None
        self._cr = registry.cursor()

    def env_probe(self):
        from odoo import SUPERUSER_ID, api

        self._cr.rollback()
        env = api.Environment(self._cr, SUPERUSER_ID, {})
        env.invalidate_all()
        return env

    def ticket_vals(self, count, offset=0):
        import peer

        return peer.ticket_vals(self.env_probe(), self.catalog, count, offset)

    def close(self):
        self._cr.close()


def summarise(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    med = statistics.median(values)
    spread = (max(values) - min(values)) / med if med else 0.0
    return {"median": med, "min": min(values), "max": max(values), "spread": spread, "n": len(values)}


def check(target, value):
    if not target or value is None:
        return None
    op, goal = target
    return {"<": value < goal, "<=": value <= goal, ">": value > goal, ">=": value >= goal}[op]


class Bench:
    def __init__(self, ctx):
        self.ctx = ctx
        self.figures = []
        self.phases = []
        self.failures = []

    def phase(self, name, func, *args):
        t0 = time.perf_counter()
        rss0 = maxrss_mb()
        say(f"--- {name}")
        result = func(*args)
        rss = rss_mb()
        self.phases.append(
            {
                "phase": name,
                "seconds": round(time.perf_counter() - t0, 3),
                "peak_rss_mb": round(maxrss_mb(), 1),
                "peak_rss_growth_mb": round(maxrss_mb() - rss0, 1),
                "rss_end_mb": None if rss is None else round(rss, 1),
            }
        )
        return result

    def figure(self, key, func, *args):
        import figures

        rss0 = maxrss_mb()
        t0 = time.perf_counter()
        try:
            results = func(self.ctx, *args)
        except figures.NotAvailable as exc:
            required = REQUIRED_BY[key] in self.ctx.installed
            status = "missing" if required else "n/a"
            self.figures.append({"key": key, "label": f"{key}: {exc}", "status": status})
            if required and self.ctx.smoke:
                self.failures.append(f"{key}: {exc}")
            say(f"{key}: {status}: {exc}")
            return []
        except Exception as exc:  # noqa: BLE001 - a figure that breaks must not hide the others
            traceback.print_exc()
            self.figures.append({"key": key, "label": f"{key}: {exc}", "status": "error"})
            self.failures.append(f"{key}: {exc!r}")
            return []
        results = results if isinstance(results, list) else [results]
        for res in results:
            res["key"] = key
            res["status"] = "ok"
            res["summary"] = {}
            peer_samples = res.get("peer_samples")
            ratio_targets = res.pop("ratio_targets", {})
            for metric, target in res["metrics"].items():
                summ = summarise([s.get(metric) for s in res["samples"]])
                if summ:
                    summ["target"] = f"{target[0]} {target[1]}" if target else None
                    summ["meets_target"] = check(target, summ["median"])
                    if peer_samples:
                        add_peer(summ, summarise([s.get(metric) for s in peer_samples]), ratio_targets.get(metric))
                res["summary"][metric] = summ
            res["peak_rss_mb"] = round(maxrss_mb(), 1)
            res["peak_rss_growth_mb"] = round(maxrss_mb() - rss0, 1)
            res["wall_seconds"] = round(time.perf_counter() - t0, 2)
            res.pop("metrics")
            self.figures.append(res)
        return results


def add_peer(summ, peer_summ, ratio_target):
    """The peer's figure and the ratio product/peer of the medians beside a product figure."""
    if not peer_summ:
        return
    summ["peer"] = peer_summ
    ratio = summ["median"] / peer_summ["median"] if peer_summ["median"] else None
    summ["ratio"] = ratio
    if ratio_target:
        summ["ratio_target"] = f"{ratio_target[0]} {ratio_target[1]}x peer"
        summ["ratio_meets_target"] = check(ratio_target, ratio)


def comparisons(bench):
    """Product versus peer, one row per compared figure and metric (for the JSON)."""
    rows = []
    for fig in bench.figures:
        for metric, summ in (fig.get("summary") or {}).items():
            if summ and "peer" in summ:
                rows.append(
                    {
                        "figure": fig["label"],
                        "metric": metric,
                        "product": summ["median"],
                        "peer": summ["peer"]["median"],
                        "ratio": summ["ratio"],
                        "ratio_target": summ.get("ratio_target"),
                        "ratio_meets_target": summ.get("ratio_meets_target"),
                        "target": summ.get("target"),
                        "meets_target": summ.get("meets_target"),
                    }
                )
    return rows


def vacuum(ctx, registry):
    """VACUUM once no transaction of this process holds a snapshot older than
    the generated rows: the probe cursor's open transaction (``env_probe``)
    would keep VACUUM from marking their pages all-visible (measured at
    1,000,000 cases: 10 % of the case table's pages all-visible instead of
    100 %, and the balanced groups' open-case count read 21,000 heap pages,
    48 ms, instead of the index alone, 3 ms)."""
    import generate  # bench/ is on sys.path once main() runs

    ctx._cr.rollback()
    generate.vacuum_tables(registry)


def vacuum_rolled_back(ctx, registry):
    """VACUUM both sides after figure 1a. Its batches of 1,000 are rolled
    back, which leaves their rows dead in the tables and in the open cases'
    index (25,743 at 1,000,000 cases), a churn no desk makes in a minute: the
    balanced groups' count of open cases read them on every case of figure 1b
    (12.8 ms a count instead of 1.6, 1b at 1.33x the peer instead of 1.67x)
    until autovacuum passed. Not timed."""
    import generate  # bench/ is on sys.path once main() runs

    vacuum(ctx, registry)
    if ctx.peer:
        ctx.peer._cr.rollback()
        generate.vacuum_tables(ctx.peer.registry, generate.PEER_TABLES)


def commit(registry, func, *args):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        result = func(env, *args)
        env.flush_all()
        # the cursor context manager commits on exit
    return result


def ratio_figure(bench, key, label, small, large, metric, per=None):
    """Large/small ratio of the medians of two figures' metric; with ``per``,
    of the metric divided by that one (the escalation's due rows: the small
    size of a smoke run has fewer rows to make due than it asks for)."""
    if not small or not large:
        return
    try:
        a = small[0]["summary"][metric]["median"]
        b = large[0]["summary"][metric]["median"]
        if per:
            a, b = a / small[0]["summary"][per]["median"], b / large[0]["summary"][per]["median"]
    except (KeyError, TypeError, IndexError, ZeroDivisionError):
        return
    ratio = b / a if a else None
    bench.figures.append(
        {
            "key": key,
            "label": label,
            "status": "ok",
            "samples": [{"ratio": ratio}],
            "summary": {
                "ratio": {
                    "median": ratio,
                    "min": ratio,
                    "max": ratio,
                    "spread": 0.0,
                    "n": 1,
                    "target": "~ 1",
                    "meets_target": None if ratio is None else ratio < 2,
                }
            },
        }
    )


def fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.4f}"
    return str(value)


def print_table(bench):
    out()
    head = (
        f"{'figure':<70} {'metric':<16} {'median':>8} {'min':>8} {'max':>8} {'spread':>6} "
        f"{'peer':>8} {'x peer':>7} {'peak MB':>7}  target"
    )
    out(head)
    out("-" * len(head))
    for fig in bench.figures:
        if fig["status"] != "ok":
            out(f"{fig['label'][:70]:<70} {fig['status']}")
            continue
        first = True
        for metric, summ in fig["summary"].items():
            if not summ:
                continue
            label = fig["label"][:70] if first else ""
            mark = {True: "ok", False: "MISSED", None: ""}
            targets = []
            if summ.get("target"):
                targets.append(f"{summ['target']} {mark[summ.get('meets_target')]}".strip())
            if summ.get("ratio_target"):
                targets.append(f"{summ['ratio_target']} {mark[summ.get('ratio_meets_target')]}".strip())
            peer = summ.get("peer")
            ratio = f"{summ['ratio']:.2f}x" if summ.get("ratio") is not None else ""
            peak = f"{fig['peak_rss_mb']:.0f}" if first and fig.get("peak_rss_mb") else ""
            out(
                f"{label:<70} {metric:<16} {fmt(summ['median']):>8} {fmt(summ['min']):>8} "
                f"{fmt(summ['max']):>8} {summ['spread'] * 100:>5.0f}% "
                f"{fmt(peer['median']) if peer else '':>8} {ratio:>7} {peak:>7}  {'; '.join(targets)}"
            )
            first = False
    out()
    out(f"{'phase':<50} {'seconds':>9} {'peak RSS MB':>12} {'growth MB':>10} {'RSS at end MB':>14}")
    for ph in bench.phases:
        end = f"{ph['rss_end_mb']:.0f}" if ph.get("rss_end_mb") is not None else "-"
        out(
            f"{ph['phase']:<50} {ph['seconds']:>9.1f} {ph['peak_rss_mb']:>12.0f} "
            f"{ph['peak_rss_growth_mb']:>10.0f} {end:>14}"
        )
    out()


def git_commit():
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH, capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or None
    except OSError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--peer-database", help="a database with the OCA peer installed (bench/peer.py)")
    parser.add_argument("--peer-addons", help="the folder holding helpdesk_mgmt and helpdesk_mgmt_sla")
    args = parser.parse_args(argv)

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    if args.peer_addons:
        # before the first registry: module loading reads the addons path
        odoo.tools.config["addons_path"] = f"{odoo.tools.config['addons_path']},{args.peer_addons}"
    odoo.netsvc.init_logger()
    started = datetime.datetime.now()
    t_start = time.perf_counter()
    import figures
    import generate
    import peer

    bench = Bench(None)
    registry = bench.phase("registry (product)", Registry, args.database)
    ctx = bench.ctx = Context(registry, args)
    env = ctx.env_probe()
    ctx.installed = set(
        env["ir.module.module"].search([("name", "in", ADDONS), ("state", "=", "installed")]).mapped("name")
    )
    say(f"database {args.database}: {args.cases} cases, {args.runs} run(s); installed: {sorted(ctx.installed)}")
    ctx.catalog = bench.phase("catalog (ORM)", commit, registry, generate.build_catalog, args.cases)
    peer_meta = {"skipped": "no --peer-database (make bench passes one; BENCH_PEER=0 leaves it out)"}
    if args.peer_database:
        peer_registry = bench.phase("registry (peer)", Registry, args.peer_database)
        ctx.peer = PeerContext(peer_registry, args.peer_database, args.peer_addons)
        if not peer.installed(ctx.peer.env_probe()):
            raise SystemExit(f"{args.peer_database}: helpdesk_mgmt and helpdesk_mgmt_sla are not installed")
        ctx.peer.catalog = bench.phase(
            "peer catalog (ORM)", commit, peer_registry, peer.build_catalog, len(ctx.catalog["contacts"])
        )
        peer_meta = peer.describe(ctx.peer.env_probe(), args.peer_database, args.peer_addons)
        say(f"peer: {', '.join(f'{k} {v}' for k, v in peer_meta['addons'].items())} in {args.peer_database}")
    else:
        say("peer: none (make bench passes one; BENCH_PEER=0 leaves it out)")
    already = ctx.catalog.get("generated", 0)
    small_n = max(10, args.cases // 10)
    todo_small = max(0, small_n - already)
    if todo_small:
        bench.phase(
            f"generate {todo_small} cases (SQL)",
            commit,
            registry,
            lambda env: generate.generate_cases(env, ctx.catalog, todo_small, log=say),
        )
        bench.phase("vacuum (ANALYZE) the generated tables", vacuum, ctx, registry)
    small_label = f"{small_n} cases"
    esc_small = bench.phase(
        "figures at the small size", bench.figure, "escalation", figures.fig_escalation, small_label
    )
    list_small = bench.figure("list", figures.fig_list, small_label)
    todo_large = max(0, args.cases - max(already, small_n))
    if todo_large:
        bench.phase(
            f"generate {todo_large} cases (SQL)",
            commit,
            registry,
            lambda env: generate.generate_cases(env, ctx.catalog, todo_large, log=say),
        )
        bench.phase("vacuum (ANALYZE) the generated tables", vacuum, ctx, registry)
    large_label = f"{args.cases} cases"
    both = " (product and peer)" if ctx.peer else ""
    bench.phase(f"1a. creation, batches{both}", bench.figure, "create", figures.fig_create)
    bench.phase("vacuum after the rolled-back batches", vacuum_rolled_back, ctx, registry)
    bench.phase(
        f"1b. creation, one per transaction{both}",
        bench.figure,
        "create_single",
        figures.fig_create_single,
    )
    esc_large = bench.phase("2. escalation", bench.figure, "escalation", figures.fig_escalation, large_label)
    bench.phase("3. reports", bench.figure, "reports", figures.fig_reports)
    list_large = bench.phase("4. list and kanban", bench.figure, "list", figures.fig_list, large_label)
    bench.phase(f"5. inbound email{both}", bench.figure, "email", figures.fig_email)
    bench.phase("6. portal", bench.figure, "portal", figures.fig_portal)

    ratio_figure(
        bench, "escalation", "2c. escalation nothing due: time large / small", esc_small[:1], esc_large[:1], "seconds"
    )
    ratio_figure(
        bench,
        "escalation",
        "2d. escalation with due rows: time per due row, large / small",
        esc_small[1:],
        esc_large[1:],
        "seconds",
        per="due",
    )
    ratio_figure(bench, "list", "4c. list first page: queries large / small", list_small[:1], list_large[:1], "queries")
    print_table(bench)
    out_dir = BENCH / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{started.strftime('%Y%m%d-%H%M%S')}{'-smoke' if args.smoke else ''}.json"
    payload = {
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "total_seconds": round(time.perf_counter() - t_start, 1),
            "database": args.database,
            "cases": args.cases,
            "runs": args.runs,
            "smoke": args.smoke,
            "installed": sorted(ctx.installed),
            "odoo": odoo.release.version,
            "git_commit": git_commit(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "open_cases": ctx.open_cases(),
        },
        "peer": peer_meta,
        "comparisons": comparisons(bench),
        "phases": bench.phases,
        "figures": bench.figures,
        "failures": bench.failures,
    }
    ctx.close()
    out.write_text(json.dumps(payload, indent=1, default=str))
    say(f"results written to {out} ({payload['meta']['total_seconds']}s)")
    if bench.failures:
        say("figures that could not be produced: " + "; ".join(bench.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
