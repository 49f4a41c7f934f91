# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The measured paths. Each figure returns samples; run.py summarises them."""

import inspect
import time
import uuid
from email.utils import formatdate

from odoo import SUPERUSER_ID, api, sql_db

OPEN_DOMAIN = [("state", "in", ["new", "in_progress", "waiting"])]
# the web client's count limit of a list or a kanban column (DEFAULT_COUNT_LIMIT)
CLIENT_COUNT_LIMIT = 10000


class NotAvailable(Exception):
    """The addon or feature behind a figure is not installed."""


def measure(registry, runs, action, setup=None, uid=SUPERUSER_ID, warmup=True):
    """Run ``action(env, state)`` ``runs`` times, each in a rolled-back transaction.

    Returns a list of dicts: seconds, queries, plus what ``action`` returns.
    """
    samples = []
    for i in range(runs + (1 if warmup else 0)):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            state = setup(env) if setup else None
            env.flush_all()
            env.invalidate_all()
            user_env = env if uid == SUPERUSER_ID else api.Environment(cr, uid, {})
            q0 = sql_db.sql_counter
            t0 = time.perf_counter()
            extra = action(user_env, state) or {}
            user_env.flush_all()
            seconds = time.perf_counter() - t0
            queries = sql_db.sql_counter - q0
            cr.rollback()
        if warmup and i == 0:
            continue
        samples.append({"seconds": seconds, "queries": queries, **extra})
    return samples


# ---------------------------------------------------------------- 1 create --


def case_vals(catalog, count, offset=0):
    contacts = catalog["contacts"]
    subs = catalog["subservices"]
    vals = []
    for i in range(count):
        k = offset + i
        subject = "Refund for a cancelled show" if k % 20 == 0 else f"Bench created case {k}"
        vals.append(
            {
                "name": subject,
                "partner_id": contacts[k % len(contacts)],
                "subservice_id": subs[k % len(subs)],
                "channel": ("phone", "email", "web")[k % 3],
                "description": f"<p>Bench case {k}</p>",
            }
        )
    return vals


def timed_create(registry, uid, model, vals_list):
    """One transaction creating ``vals_list`` as ``uid``, rolled back; the
    time and queries of the create and its flush. ``create`` fills the dicts
    it is given (numbers, stages): each call gets copies."""
    vals_list = [dict(vals) for vals in vals_list]
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        env.invalidate_all()
        q0 = sql_db.sql_counter
        t0 = time.perf_counter()
        records = env[model].create(vals_list)
        env.flush_all()
        seconds = time.perf_counter() - t0
        queries = sql_db.sql_counter - q0
        created = len(records)
        cr.rollback()
    return {"seconds": seconds, "queries": queries, "created": created}


def single_creates(registry, uid, model, vals_list):
    """One transaction per record, as the operators' form, the email gateway
    and the portal create them: each opens its cursor, creates one record,
    flushes and ends (rolled back, so that the data set stays the same).
    The time counts the whole transaction."""
    q0 = sql_db.sql_counter
    t0 = time.perf_counter()
    for vals in vals_list:
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            env[model].create(dict(vals))
            env.flush_all()
            cr.rollback()
    return {
        "seconds": time.perf_counter() - t0,
        "queries": sql_db.sql_counter - q0,
        "created": len(vals_list),
    }


def side_by_side(ctx, slices, product_step, peer_step, warmup=True):
    """Samples of the product and of the peer, alternating.

    Each run is ``slices`` slices; in each slice the product's step and the
    peer's run one after the other, the first of the two swapping at every
    slice, so that machine noise (the other jobs of a shared machine) hits
    both alike. A step returns seconds, queries and records created; a
    sample is their sum over one run. ``peer_step`` None: the product only.
    """
    sides = [("product", product_step)] + ([("peer", peer_step)] if peer_step else [])
    samples = {side: [] for side, _step in sides}
    for run in range(ctx.runs + (1 if warmup else 0)):
        totals = {side: {"seconds": 0.0, "queries": 0, "created": 0} for side, _step in sides}
        for i in range(slices):
            order = sides if (run * slices + i) % 2 == 0 else sides[::-1]
            for side, step in order:
                res = step(run * slices + i)
                for key in totals[side]:
                    totals[side][key] += res[key]
        if warmup and run == 0:
            continue
        for side, tot in totals.items():
            tot["cases_per_s"] = tot["created"] / tot["seconds"] if tot["seconds"] else 0.0
            tot["queries_per_case"] = tot["queries"] / max(1, tot["created"])
            samples[side].append(tot)
    return samples["product"], samples.get("peer")


def _with_peer(result, peer_samples, ratio_targets):
    if peer_samples is not None:
        result["peer_samples"] = peer_samples
        result["ratio_targets"] = ratio_targets
    return result


def fig_create(ctx):
    """1a. batches of 1,000 through create([...]), product and peer alternating."""
    batch = 100 if ctx.smoke else 1000
    vals = case_vals(ctx.catalog, batch)
    peer = ctx.peer
    peer_step = None
    if peer:
        peer_vals = peer.ticket_vals(batch)
        peer_step = lambda _i: timed_create(peer.registry, SUPERUSER_ID, "helpdesk.ticket", peer_vals)
    product, peer_samples = side_by_side(
        ctx,
        1,
        lambda _i: timed_create(ctx.registry, SUPERUSER_ID, "service.desk.case", vals),
        peer_step,
        warmup=not ctx.smoke,
    )
    return _with_peer(
        {
            "label": f"1a. create([...]), batches of {batch}",
            "samples": product,
            "metrics": {"cases_per_s": (">=", 20), "queries_per_case": ("<=", 10)},
        },
        peer_samples,
        {"cases_per_s": (">=", 5)},
    )


def fig_create_single(ctx):
    """1b. one record per transaction, as an agent, product and peer alternating."""
    per_run = 20 if ctx.smoke else 200
    slices = 2 if ctx.smoke else 4
    per_slice = per_run // slices
    vals = case_vals(ctx.catalog, per_run, offset=7)
    agent = ctx.catalog["agents"][0]
    peer = ctx.peer
    peer_step = None
    if peer:
        peer_vals = peer.ticket_vals(per_run, offset=7)
        peer_agent = peer.catalog["agents"][0]
        peer_step = lambda i: single_creates(
            peer.registry,
            peer_agent,
            "helpdesk.ticket",
            peer_vals[(i % slices) * per_slice : (i % slices + 1) * per_slice],
        )
    product, peer_samples = side_by_side(
        ctx,
        slices,
        lambda i: single_creates(
            ctx.registry,
            agent,
            "service.desk.case",
            vals[(i % slices) * per_slice : (i % slices + 1) * per_slice],
        ),
        peer_step,
        warmup=not ctx.smoke,
    )
    return _with_peer(
        {
            "label": f"1b. one case per transaction, as an agent ({per_run} per run)",
            "samples": product,
            "metrics": {"cases_per_s": None, "queries_per_case": ("<=", 30)},
        },
        peer_samples,
        {"cases_per_s": (">=", 1.5)},
    )


# ------------------------------------------------------------ 2 escalation --


def find_escalation(env):
    """(model name, method name) of the SLA escalation cron, or None."""
    for name in sorted(env.registry.models):
        if "sla" not in name:
            continue
        model = env[name]
        for attr in sorted(dir(type(model))):
            if attr.startswith("_cron_") and "escalat" in attr:
                return name, attr
    return None


def _call_cron(env, model_name, method_name, batch_size):
    method = getattr(env[model_name], method_name)
    params = inspect.signature(method).parameters
    if "batch_size" in params:
        return method(batch_size=batch_size)
    if "limit" in params:
        return method(limit=batch_size)
    return method()


def sla_due_setup(env, due):
    """Make ``due`` SLA rows of open cases due now (in the measured, rolled-back transaction)."""
    env.cr.execute(
        """
        UPDATE service_desk_case_sla SET next_escalation_at = now() at time zone 'UTC' - interval '1 minute',
               deadline = now() at time zone 'UTC' - interval '1 hour', state = 'running', escalation_level = 0
         WHERE id IN (SELECT s.id FROM service_desk_case_sla s JOIN service_desk_case c ON c.id = s.case_id
                       WHERE c.state IN ('new', 'in_progress') AND s.state IN ('running', 'breached')
                       ORDER BY s.id LIMIT %s)
        """,
        [due],
    )
    return env.cr.rowcount


def fig_escalation(ctx, stage_label):
    found = find_escalation(ctx.env_probe())
    if not found:
        raise NotAvailable("no _cron_escalate* method on an SLA model (service_desk_sla not installed?)")
    model_name, method_name = found
    out = []
    batch = 1000

    def run_cron(env, _state):
        _call_cron(env, model_name, method_name, batch)

    open_cases = ctx.open_cases()
    s_none = measure(ctx.registry, ctx.runs, run_cron, warmup=not ctx.smoke)
    out.append(
        {
            "label": f"2a. escalation, nothing due ({stage_label}: {open_cases} open cases)",
            "samples": s_none,
            "metrics": {"seconds": ("<", 0.05), "queries": ("<", 10)},
            "open_cases": open_cases,
        }
    )
    due = 100 if ctx.smoke else 1000
    if "service.desk.case.sla" in ctx.env_probe():

        def run_cron_all(env, _state):
            # the runner calls the job again until nothing is left
            for _i in range(due // 200 + 5):
                if not _call_cron(env, model_name, method_name, 200):
                    break
            return {"due": _state}

        s_due = measure(
            ctx.registry, ctx.runs, run_cron_all, setup=lambda env: sla_due_setup(env, due), warmup=not ctx.smoke
        )
        out.append(
            {
                "label": f"2b. escalation, {due} due, cron batches of 200 ({stage_label}: {open_cases} open)",
                "samples": s_due,
                "metrics": {"seconds": ("<", 10), "queries": None, "due": None},
                "open_cases": open_cases,
            }
        )
    return out


# --------------------------------------------------------------- 3 reports --


def fig_reports(ctx):
    env = ctx.env_probe()
    report = "service.desk.case.report"
    out = []
    if report in env:
        model, suffix = report, ""
    else:
        model, suffix = "service.desk.case", " [no report model: on cases]"
    fields_ = env[model]._fields
    user_field = next((f for f in ("user_id", "assignee_id") if f in fields_), None)
    date_field = next((f for f in ("create_date", "date", "date_open") if f in fields_), None)
    sub_field = "subservice_id" if "subservice_id" in fields_ else None
    dept_field = next((f for f in ("department_id",) if f in fields_), None)
    rating_field = next(
        (f for f in ("rating", "rating_avg", "satisfaction", "rating_last_value") if f in fields_ and fields_[f].store),
        None,
    )
    queries = []
    if user_field and date_field:
        queries.append(("by assignee and week", [f"{user_field}", f"{date_field}:week"], ["__count"]))
    if sub_field:
        queries.append(("by subservice", [sub_field], ["__count"]))
    if dept_field and rating_field:
        queries.append(("satisfaction by department", [dept_field], [f"{rating_field}:avg"]))
    elif rating_field and "team_id" in fields_:
        queries.append(("satisfaction by group [no department field]", ["team_id"], [f"{rating_field}:avg"]))
    for label, groupby, aggregates in queries:

        def action(env, _state, groupby=groupby, aggregates=aggregates):
            groups = env[model]._read_group([], groupby, aggregates)
            return {"groups": len(groups)}

        out.append(
            {
                "label": f"3. read_group {label}{suffix}",
                "samples": measure(ctx.registry, ctx.runs, action, warmup=not ctx.smoke),
                "metrics": {"seconds": ("<", 1.0), "queries": None},
            }
        )
    loader = _dashboard_loader(env)
    if loader:
        label, func = loader
        # the daily load: the snapshot the cron keeps exists (set up untimed)
        out.append(
            {
                "label": f"3d. dashboard data load ({label})",
                "samples": measure(
                    ctx.registry,
                    ctx.runs,
                    lambda env, _s: func(env) and None,
                    setup=lambda env: func(env) and None,
                    warmup=not ctx.smoke,
                ),
                "metrics": {"seconds": ("<", 1.0), "queries": None},
            }
        )
        if "service.desk.case.report" in env and hasattr(env["service.desk.case.report"], "_compute_dashboard_data"):
            # what the cron (or a load without a fresh snapshot) computes
            out.append(
                {
                    "label": "3e. dashboard figures computed (the snapshot cron's work per scope)",
                    "samples": measure(
                        ctx.registry,
                        ctx.runs,
                        lambda env, _s: env["service.desk.case.report"]._compute_dashboard_data() and None,
                        warmup=not ctx.smoke,
                    ),
                    "metrics": {"seconds": None, "queries": None},
                }
            )
    elif "service_desk_reports" in ctx.installed:
        raise NotAvailable("service_desk_reports installed but no dashboard loader found")
    return out


def _dashboard_loader(env):
    """A callable loading the service desk dashboard data, when one exists."""
    for model_name in ("service.desk.dashboard", "service.desk.case.report"):
        if model_name not in env:
            continue
        for attr in ("get_dashboard_data", "retrieve_dashboard", "_get_dashboard_data"):
            if hasattr(env[model_name], attr):
                return f"{model_name}.{attr}", lambda e, m=model_name, a=attr: getattr(e[m], a)()
    if "spreadsheet.dashboard" in env:
        dash = (
            env["ir.model.data"]
            .sudo()
            .search([("module", "=", "service_desk_reports"), ("model", "=", "spreadsheet.dashboard")], limit=1)
        )
        if dash:
            res_id = dash.res_id
            return (
                "spreadsheet.dashboard.get_readonly_dashboard",
                lambda e: e["spreadsheet.dashboard"].browse(res_id).get_readonly_dashboard(),
            )
    return None


# ------------------------------------------------------ 4 list and kanban --


def view_spec(env, model, view_type):
    """The web client's fields specification for the default view of a type."""
    arch = env[model].get_views([(False, view_type)])["views"][view_type]["arch"]
    from lxml import etree

    root = etree.fromstring(arch)
    spec = {}
    fields_ = env[model]._fields
    for node in root.iter("field"):
        # skip fields of sub-views (x2many inline lists)
        parent = node.getparent()
        while parent is not None and parent.tag not in ("list", "kanban", "form"):
            parent = parent.getparent()
        if parent is not root:
            continue
        name = node.get("name")
        field = fields_.get(name)
        if not field:
            continue
        if field.type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def fig_list(ctx, stage_label):
    env = ctx.env_probe()
    list_spec = view_spec(env, "service.desk.case", "list")
    kanban_spec = view_spec(env, "service.desk.case", "kanban")
    uid = ctx.catalog["leader"]

    def list_page(env, _state):
        res = env["service.desk.case"].web_search_read(
            OPEN_DOMAIN, list_spec, limit=80, count_limit=CLIENT_COUNT_LIMIT + 1
        )
        return {"rows": len(res["records"])}

    def kanban(env, _state):
        # as the web client loads it (relational_model.js, _loadGroupedList):
        # the columns, then the first cards of each unfolded column that has
        # cards, their count bounded as the client bounds it (countLimit + 1)
        Case = env["service.desk.case"]
        groups = Case.web_read_group(OPEN_DOMAIN, ["stage_id"], ["stage_id"], lazy=True)
        rows = 0
        for group in groups["groups"]:
            if not group.get("stage_id") or group.get("__fold") or not group.get("stage_id_count"):
                continue
            res = Case.web_search_read(group["__domain"], kanban_spec, limit=40, count_limit=CLIENT_COUNT_LIMIT + 1)
            rows += len(res["records"])
        return {"rows": rows}

    return [
        {
            "label": f"4a. case list first page, 80 rows, as supervisor ({stage_label})",
            "samples": measure(ctx.registry, ctx.runs, list_page, uid=uid, warmup=True),
            "metrics": {"seconds": ("<", 0.15), "queries": None},
        },
        {
            "label": f"4b. kanban: web_read_group + a page per column ({stage_label})",
            "samples": measure(ctx.registry, ctx.runs, kanban, uid=uid, warmup=True),
            "metrics": {"seconds": None, "queries": None},
        },
    ]


# ----------------------------------------------------------------- 5 email --


def raw_email(k, sender, to):
    return (
        f"From: {sender}\r\n"
        f"To: {to}\r\n"
        f"Subject: Bench inbound request {k}\r\n"
        f"Message-Id: <bench-{uuid.uuid4().hex}@mail.example.com>\r\n"
        f"Date: {formatdate()}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Hello, the box number {k} does not work any more.\r\n"
    )


def email_senders(env, contact_ids, count):
    """Half the senders known contacts, half new ones (None: a new address
    is drawn at each use, so a new sender is new every time)."""
    known = env["res.partner"].browse(contact_ids[:count])
    return [f'"{p.name}" <{p.email}>' if k % 2 else None for k, p in enumerate(known)]


def intake(registry, to, senders):
    """``message_process`` of one mail per sender, each in a transaction of
    its own (rolled back), as Odoo's mail fetcher commits each mail: the work
    Odoo defers to the end of a transaction (stored computes) is done per
    mail, not once for all of them. (Until 2026-11-23, session 5, the mails
    of a call shared one transaction.)"""
    mails = [
        raw_email(k, sender or f'"New Sender {k}" <new.sender.{k}.{uuid.uuid4().hex[:8]}@example.org>', to)
        for k, sender in enumerate(senders)
    ]
    q0 = sql_db.sql_counter
    t0 = time.perf_counter()
    created = 0
    for mail in mails:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if env["mail.thread"].message_process(False, mail):
                created += 1
            env.flush_all()
            cr.rollback()
    return {"seconds": time.perf_counter() - t0, "queries": sql_db.sql_counter - q0, "created": created}


def alias_in_use(registry, address):
    """Mark the alias of ``address`` as one that has received mail (committed,
    untimed). Odoo marks an alias valid on the first mail that creates a
    record through it; the measured mails are rolled back, so without this
    each of them would write the alias again, on both sides, where a desk in
    service writes it once."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        aliases = env["mail.alias"].search([("alias_full_name", "=", address), ("alias_status", "!=", "valid")])
        aliases.alias_status = "valid"


def fig_email(ctx):
    env = ctx.env_probe()
    team = env["service.desk.team"].browse(ctx.catalog["inbound_team"])
    to = team.alias_id.display_name if team.alias_id.alias_domain_id else None
    if not to or "@" not in to:
        raise NotAvailable("the inbound group has no alias with a domain")
    count = 10 if ctx.smoke else 50
    slices = 2 if ctx.smoke else 5
    per_slice = count // slices
    senders = email_senders(env, ctx.catalog["contacts"], count)
    peer = ctx.peer
    peer_step = None
    alias_in_use(ctx.registry, to)
    if peer:
        alias_in_use(peer.registry, peer.catalog["to"])
        peer_senders = email_senders(peer.env_probe(), peer.catalog["contacts"], count)
        peer_step = lambda i: intake(
            peer.registry, peer.catalog["to"], peer_senders[(i % slices) * per_slice : (i % slices + 1) * per_slice]
        )
    product, peer_samples = side_by_side(
        ctx,
        slices,
        lambda i: intake(ctx.registry, to, senders[(i % slices) * per_slice : (i % slices + 1) * per_slice]),
        peer_step,
        warmup=not ctx.smoke,
    )
    if not product[0]["created"]:
        raise RuntimeError("message_process created no case")
    if peer_samples and not peer_samples[0]["created"]:
        raise RuntimeError("message_process created no peer ticket")
    return _with_peer(
        {
            "label": f"5. inbound email, message_process ({count} mails per run)",
            "samples": product,
            "metrics": {"cases_per_s": None, "queries_per_case": None},
        },
        peer_samples,
        {"cases_per_s": (">=", 2)},
    )


# ---------------------------------------------------------------- 6 portal --


def portal_route_exists(registry):
    from odoo.http import Controller

    from odoo.addons.service_desk_cases import controllers  # noqa: F401 pylint: disable=unused-import

    # the addon's controllers: those it defines (children_classes, keyed by
    # module) and those extending another addon's (CustomerPortal's
    # subclasses, which children_classes leaves out)
    def subclasses(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from subclasses(sub)

    classes = {
        sub
        for tops in Controller.children_classes.values()
        for top in tops
        for sub in subclasses(top)
        if sub.__module__.startswith("odoo.addons.service_desk_cases.")
    }
    for cls in classes:
        for _name, member in inspect.getmembers(cls, inspect.isfunction):
            routing = getattr(member, "original_routing", None) or getattr(member, "routing", None)
            if routing and any("/my/cases" == r for r in routing.get("routes", [])):
                return True
    return False


def fig_portal(ctx):
    env = ctx.env_probe()
    uid = ctx.catalog["portal_user"]
    n_cases = env["service.desk.case"].search_count([("commercial_partner_id", "=", ctx.catalog["portal_company"])])
    if portal_route_exists(ctx.registry):
        return _portal_http(ctx, n_cases)

    def action(env, _state):
        # what a /my/cases page does: count for the pager, one page, its fields
        Case = env["service.desk.case"]
        total = Case.search_count([])
        cases = Case.search([], order="create_date desc, id desc", limit=80)
        cases.read(["number", "name", "stage_id", "state", "user_id", "create_date", "write_date"])
        return {"total": total}

    return {
        "label": f"6. portal my cases, {n_cases} cases [ORM equivalent, no /my/cases route]",
        "samples": measure(ctx.registry, ctx.runs, action, uid=uid, warmup=True),
        "metrics": {"seconds": None, "queries": None},
    }


def _portal_http(ctx, n_cases):
    from generate import PORTAL_LOGIN, PORTAL_PASSWORD
    from werkzeug.test import Client

    import odoo.http
    from odoo.tools import config

    config["dbfilter"] = f"^{ctx.database}$"
    client = Client(odoo.http.root)
    # what a server's WSGI environ holds (the session's device log reads it)
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    auth = client.post(
        "/web/session/authenticate",
        environ_base=environ,
        json={
            "jsonrpc": "2.0",
            "params": {"db": ctx.database, "login": PORTAL_LOGIN, "password": PORTAL_PASSWORD},
        },
    )
    if auth.status_code != 200 or "error" in auth.get_json():
        raise RuntimeError(f"portal login failed: {auth.get_data(as_text=True)[:200]}")
    samples = []
    for i in range(ctx.runs + 1):
        q0 = odoo.sql_db.sql_counter
        t0 = time.perf_counter()
        resp = client.get("/my/cases", environ_base=environ)
        seconds = time.perf_counter() - t0
        queries = odoo.sql_db.sql_counter - q0
        if resp.status_code != 200:
            raise RuntimeError(f"/my/cases answered {resp.status_code}")
        if i:
            samples.append({"seconds": seconds, "queries": queries, "bytes": len(resp.get_data())})
    return {
        "label": f"6. portal GET /my/cases, {n_cases} cases (HTTP, in-process)",
        "samples": samples,
        "metrics": {"seconds": None, "queries": None},
    }
