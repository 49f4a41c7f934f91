# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark data: the catalog through the ORM, the case history through SQL.

The catalog (lines, departments, users, groups, services, engineer directory,
routing rule, customers, a portal user, the inbound alias) is small and goes
through the ORM, so that every side effect is Odoo's own. The case history
(cases, their messages, followers and ratings, the stored statistics of the
contacts, and the SLA rows when ``service_desk_sla`` is installed) is written
with ``COPY`` in the shape the ORM would give it; see ``bench/README.md``.
"""

import csv
import datetime
import io
import json
import random
import uuid
from contextlib import closing

OPEN_STATES = ("new", "in_progress", "waiting")
PARAM_KEY = "service_desk_bench.catalog"
ALIAS_DOMAIN = "bench.example.com"
ALIAS_NAME = "bench-desk"
PORTAL_LOGIN = "bench_portal"
PORTAL_PASSWORD = "bench_portal_pw"  # throw-away benchmark account

SUBJECTS = [
    "Card payment failed",
    "Cannot log in",
    "Invoice copy needed",
    "Projector does not start",
    "Refund for a cancelled show",
    "Ticket scanner offline",
    "Wrong seat on the ticket",
    "Booking page is slow",
    "Printer out of order",
    "Loyalty points missing",
    "Chargeback notice",
    "New employee account",
]
# (state, weight) by age of the case: recent cases are mostly open.
STATE_WEIGHTS = {
    "fresh": [("new", 40), ("in_progress", 35), ("waiting", 15), ("resolved", 10)],
    "recent": [
        ("new", 5),
        ("in_progress", 20),
        ("waiting", 15),
        ("resolved", 20),
        ("closed", 35),
        ("cancelled", 5),
    ],
    "old": [("in_progress", 1), ("waiting", 1), ("resolved", 3), ("closed", 88), ("cancelled", 7)],
}
CHANNEL_WEIGHTS = [("email", 40), ("phone", 30), ("portal", 15), ("web", 10), ("api", 5)]
PRIORITY_WEIGHTS = [("0", 15), ("1", 60), ("2", 20), ("3", 5)]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


# ----------------------------------------------------------------- catalog --


def catalog_size(cases):
    """Sizes of the catalog for a number of cases."""
    small = cases < 5000
    return {
        "agents": 12 if small else 40,
        "companies": max(5, min(200, cases // 500)),
        "contacts_per_company": 5,
        "employees": 5 if small else 20,
        "services": 4 if small else 8,
        "subservices": 3 if small else 4,
        "portal_cases": min(1000, max(20, cases // 10)),
    }


def load_catalog(env):
    raw = env["ir.config_parameter"].sudo().get_param(PARAM_KEY)
    return json.loads(raw) if raw else None


def build_catalog(env, cases, seed=42):
    """Create (once) the catalog through the ORM; returns a dict of ids."""
    existing = load_catalog(env)
    if existing:
        return existing
    rng = random.Random(seed)
    size = catalog_size(cases)
    ctx = {
        "no_reset_password": True,
        "mail_create_nolog": True,
        "mail_create_nosubscribe": True,
        "mail_notrack": True,
        "tracking_disable": True,
    }
    env = env(context=dict(env.context, **ctx))
    company = env.company
    alias_domain = env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)], limit=1)
    if not alias_domain:
        alias_domain = env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})
    if not company.alias_domain_id:
        company.alias_domain_id = alias_domain

    lines = [env.ref(f"service_desk_cases.line_{x}") for x in ("first", "second", "third")]
    Dept = env["hr.department"]
    root = Dept.create({"name": "Bench Customer Service"})
    depts = Dept.create(
        [{"name": f"Bench {n}", "parent_id": root.id} for n in ("Front Office", "Engineering", "Experts")]
    )

    group_user = env.ref("service_desk_cases.group_service_desk_user")
    group_sup = env.ref("service_desk_cases.group_service_desk_supervisor")
    Users = env["res.users"]
    agents = Users.create(
        [
            {
                "name": f"Bench Agent {i:03d}",
                "login": f"bench_agent_{i:03d}",
                "email": f"bench.agent.{i:03d}@{ALIAS_DOMAIN}",
                "groups_id": [(6, 0, [group_user.id])],
            }
            for i in range(size["agents"])
        ]
    )
    leader = Users.create(
        {
            "name": "Bench Leader",
            "login": "bench_leader",
            "email": f"bench.leader@{ALIAS_DOMAIN}",
            "groups_id": [(6, 0, [group_sup.id])],
        }
    )

    # Groups on three lines: first line 40%, second 40%, third 20%.
    n_agents = len(agents)
    spec = [(0, 0), (0, 0), (1, 1), (1, 1), (2, 2)]
    Team = env["service.desk.team"]
    teams = Team.browse()
    for idx, (line_idx, dept_idx) in enumerate(spec):
        members = agents[(idx * n_agents) // len(spec) : ((idx + 1) * n_agents) // len(spec)]
        teams |= Team.create(
            {
                "name": f"Bench Group {idx + 1} (L{line_idx + 1})",
                "line_id": lines[line_idx].id,
                "department_id": depts[dept_idx].id,
                "leader_id": leader.id,
                "member_ids": [(6, 0, members.ids)],
                "assignment_method": "balanced" if idx % 2 else "round_robin",
                "alias_name": ALIAS_NAME if idx == 0 else False,
            }
        )
    by_line = {line.id: teams.filtered(lambda t, ln=line: t.line_id == ln) for line in lines}

    Service = env["service.desk.service"]
    services = Service.browse()
    subservices = Service.browse()
    for s in range(size["services"]):
        allowed = (
            by_line[lines[0].id][s % len(by_line[lines[0].id])]
            | by_line[lines[1].id][s % len(by_line[lines[1].id])]
            | by_line[lines[2].id]
        )
        service = Service.create(
            {"name": f"Bench Service {s}", "code": f"BENCH-{s}", "team_ids": [(6, 0, allowed.ids)]}
        )
        services |= service
        subservices |= Service.create(
            [
                {"name": f"Bench Subservice {s}.{k}", "code": f"BENCH-{s}-{k}", "parent_id": service.id}
                for k in range(size["subservices"])
            ]
        )
    # Engineer directory: two second-line engineers for every other subservice.
    eng_vals = []
    for sub in subservices[::2]:
        team = sub._get_allowed_teams().filtered(lambda t: t.line_id == lines[1])[:1]
        for user in team.member_ids[:2]:
            eng_vals.append({"user_id": user.id, "service_id": sub.id, "team_id": team.id})
    env["service.desk.engineer"].create(eng_vals)
    env["service.desk.routing.rule"].create(
        {"name": "Bench: money matters are high priority", "keywords": "refund, chargeback", "priority": "2"}
    )

    Partner = env["res.partner"]
    companies = Partner.create(
        [{"name": f"Bench Customer {c:03d}", "is_company": True} for c in range(size["companies"])]
    )
    contacts = Partner.create(
        [
            {
                "name": f"Bench Contact {c:03d}-{k}",
                "email": f"contact.{c:03d}.{k}@customer{c:03d}.example.com",
                "parent_id": company_.id,
            }
            for c, company_ in enumerate(companies)
            for k in range(size["contacts_per_company"])
        ]
    )
    portal_company = Partner.create({"name": "Bench Portal Customer", "is_company": True})
    portal_user = Users.create(
        {
            "name": "Bench Portal User",
            "login": PORTAL_LOGIN,
            "password": PORTAL_PASSWORD,
            "email": "portal.user@portal-customer.example.com",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    portal_user.partner_id.parent_id = portal_company
    employees = env["hr.employee"].create(
        [
            {"name": f"Bench Employee {e:03d}", "work_email": f"employee.{e:03d}@{ALIAS_DOMAIN}"}
            for e in range(size["employees"])
        ]
    )
    _create_sla_policies(env, leader)
    rng.shuffle(contacts_list := list(contacts.ids))
    catalog = {
        "agents": agents.ids,
        "leader": leader.id,
        "teams": teams.ids,
        "inbound_team": teams[0].id,
        "services": services.ids,
        "subservices": subservices.ids,
        "departments": depts.ids,
        "contacts": contacts_list,
        "portal_user": portal_user.id,
        "portal_partner": portal_user.partner_id.id,
        "portal_company": portal_company.id,
        "internal_partners": employees.work_contact_id.ids,
        "portal_cases": size["portal_cases"],
        "generated": 0,
    }
    save_catalog(env, catalog)
    return catalog


def _create_sla_policies(env, leader):
    """Two policies with three escalation levels, when service_desk_sla is installed."""
    if "service.desk.sla.policy" not in env:
        return
    levels = [
        (0, 0, {"name": "Breach", "delay_hours": 0, "notify_team_leader": True}),
        (0, 0, {"name": "+4h", "delay_hours": 4, "notify_department_manager": True, "raise_priority": True}),
        (0, 0, {"name": "+8h", "delay_hours": 8, "user_ids": [(6, 0, leader.ids)], "escalate_next_line": True}),
    ]
    waiting = env.ref("service_desk_cases.stage_waiting")
    env["service.desk.sla.policy"].create(
        [
            {
                "name": "Bench urgent",
                "sequence": 1,
                "priority": "2,3",
                "take_hours": 0.5,
                "response_hours": 1,
                "resolve_hours": 8,
                "pause_stage_ids": [(6, 0, waiting.ids)],
                "escalation_level_ids": levels,
            },
            {
                "name": "Bench standard",
                "sequence": 10,
                "take_hours": 2,
                "response_hours": 8,
                "resolve_hours": 40,
                "pause_stage_ids": [(6, 0, waiting.ids)],
                "escalation_level_ids": levels,
            },
        ]
    )


def save_catalog(env, catalog):
    env["ir.config_parameter"].sudo().set_param(PARAM_KEY, json.dumps(catalog))


# ------------------------------------------------------------------- SQL ----


def _copy(cr, table, columns, rows):
    """COPY rows (tuples) into table, in CSV written by the csv module (C):
    None and the empty string are NULL, booleans are True/False."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    buf.seek(0)
    cr.flush()
    cr._obj.copy_expert(  # pylint: disable=protected-access
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buf
    )


def _foreign_keys_unchecked(cr):
    """Skip the foreign-key triggers for the rest of the transaction (the
    generated rows reference ids that exist); only a superuser may. Returns
    whether they are off."""
    import psycopg2

    try:
        with cr.savepoint(flush=False):
            cr.execute("SET LOCAL session_replication_role = replica")
    except psycopg2.Error:
        return False
    return True


def _case_numbers(env, company_id, count):
    """``count`` case numbers, as ``ir.sequence._sd_next_batch`` draws them,
    the prefix and suffix interpolated once rather than once per number
    (``get_next_char``: 33 strftime calls each)."""
    domain = [("code", "=", "service.desk.case"), ("company_id", "in", [company_id, False])]
    seq = env["ir.sequence"].sudo().search(domain, order="company_id", limit=1)
    if not seq or seq.implementation != "standard" or seq.use_date_range:
        return env["ir.sequence"]._sd_next_batch("service.desk.case", company_id, count)
    seq = seq.with_company(company_id)
    prefix, suffix = seq._get_prefix_suffix()
    env.cr.execute(f"SELECT nextval('ir_sequence_{seq.id:03d}') FROM generate_series(1, %s)", [count])
    return [f"{prefix}{row[0]:0{seq.padding}d}{suffix}" for row in env.cr.fetchall()]


def _reserve_ids(cr, table, count):
    cr.execute(f"SELECT nextval('{table}_id_seq') FROM generate_series(1, %s)", [count])
    return [row[0] for row in cr.fetchall()]


class CaseFactory:
    """Draws the values of historical cases, as the ORM would store them."""

    def __init__(self, env, catalog, now, seed):
        self.env = env
        self.rng = random.Random(seed)
        self.now = now
        Service = env["service.desk.service"].sudo()
        self.subservices = Service.browse(catalog["subservices"])
        self.teams = {
            sub.id: [
                (team.id, team.line_id.id, (team.member_ids | team.leader_id).ids or [False])
                for team in sub._get_allowed_teams()
            ]
            for sub in self.subservices
        }
        self.parent = {sub.id: sub.parent_id.id for sub in self.subservices}
        # Zipf-like popularity of subservices
        self.sub_weights = [1.0 / (k + 1) for k in range(len(self.subservices))]
        stages = env["service.desk.stage"].sudo().search([], order="sequence, id")
        self.stage_of = {}
        for stage in stages:
            self.stage_of.setdefault(stage.state, stage.id)
        Partner = env["res.partner"].sudo()
        partners = Partner.browse(catalog["contacts"] + catalog["internal_partners"] + [catalog["portal_partner"]])
        self.partner_info = {p.id: (p.commercial_partner_id.id, p.email or None, p.name) for p in partners}
        self.contacts = catalog["contacts"]
        self.internal = catalog["internal_partners"]
        self.portal_partner = catalog["portal_partner"]
        self.portal_left = catalog["portal_cases"] - catalog.get("portal_generated", 0)
        self.team_line = {}
        lines = env["service.desk.line"].sudo().search([], order="sequence, id")
        self.line_weight = {line.id: w for line, w in zip(lines, (6, 3, 1), strict=False)}

    def draw(self):
        rng = self.rng
        age = min(730.0, rng.expovariate(1 / 150.0))
        bucket = "fresh" if age < 3 else "recent" if age < 30 else "old"
        state = _pick(rng, STATE_WEIGHTS[bucket])
        created = self.now - datetime.timedelta(days=age)
        sub = rng.choices(self.subservices.ids, self.sub_weights)[0]
        teams = self.teams[sub]
        team_id, line_id, members = rng.choices(teams, [self.line_weight.get(t[1], 1) for t in teams])[0]
        user_id = rng.choice(members) if state != "new" or rng.random() < 0.3 else False
        if self.portal_left > 0 and rng.random() < 0.2:
            partner = self.portal_partner
            self.portal_left -= 1
            requester_type, channel = "external", "portal"
        elif rng.random() < 0.2 and self.internal:
            partner = rng.choice(self.internal)
            requester_type, channel = "internal", "internal"
        else:
            partner = rng.choice(self.contacts)
            requester_type, channel = "external", _pick(rng, CHANNEL_WEIGHTS)
        commercial, email, _name = self.partner_info[partner]
        taken = first = resolved = closed = None
        if state != "new":
            taken = min(self.now, created + datetime.timedelta(hours=rng.uniform(0.05, 8)))
            first = min(self.now, taken + datetime.timedelta(minutes=rng.uniform(1, 120)))
        if state in ("resolved", "closed"):
            resolved = min(self.now, first + datetime.timedelta(hours=rng.uniform(0.5, 240)))
        if state == "closed":
            closed = min(self.now, resolved + datetime.timedelta(days=3))
        last_update = closed or resolved or first or created
        subject = rng.choice(SUBJECTS)
        return {
            "state": state,
            "stage_id": self.stage_of.get(state),
            "created": created,
            "last_update": last_update,
            "service_id": self.parent[sub],
            "subservice_id": sub,
            "team_id": team_id,
            "line_id": line_id,
            "user_id": user_id or None,
            "partner_id": partner,
            "commercial_partner_id": commercial,
            "email_from": email,
            "requester_type": requester_type,
            "channel": channel,
            "priority": "2" if "efund" in subject or "hargeback" in subject else _pick(rng, PRIORITY_WEIGHTS),
            "name": subject,
            "date_taken": taken,
            "date_first_response": first,
            "date_resolved": resolved,
            "date_closed": closed,
            "reopen_count": 1 if rng.random() < 0.03 else 0,
        }


CASE_COLUMNS = [
    "id",
    "company_id",
    "partner_id",
    "commercial_partner_id",
    "service_id",
    "subservice_id",
    "line_id",
    "team_id",
    "user_id",
    "stage_id",
    "color",
    "reopen_count",
    "create_uid",
    "write_uid",
    "name",
    "number",
    "email_from",
    "requester_type",
    "channel",
    "state",
    "priority",
    "description",
    "active",
    "date_taken",
    "date_first_response",
    "date_resolved",
    "date_closed",
    "date_last_stage_update",
    "create_date",
    "write_date",
    "rating_last_value",
]
# the stored statistics of the contacts that _refresh_partner_stats writes
PARTNER_STAT_COLUMNS = ["service_desk_last_rating"]
MESSAGE_COLUMNS = [
    "id",
    "res_id",
    "model",
    "record_name",
    "subtype_id",
    "author_id",
    "create_uid",
    "write_uid",
    "message_type",
    "email_from",
    "message_id",
    "body",
    "is_internal",
    "date",
    "create_date",
    "write_date",
    "record_company_id",
]
RATING_COLUMNS = [
    "res_model_id",
    "res_model",
    "res_id",
    "res_name",
    "parent_res_model_id",
    "parent_res_model",
    "parent_res_id",
    "parent_res_name",
    "partner_id",
    "rated_partner_id",
    "rating",
    "rating_text",
    "consumed",
    "access_token",
    "is_internal",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
]


def generate_cases(env, catalog, count, seed=7, chunk=20000, log=None):
    """Insert ``count`` historical cases (and their mail, ratings) by COPY."""
    cr = env.cr
    now = datetime.datetime.now().replace(microsecond=0)
    factory = CaseFactory(env, catalog, now, seed + catalog.get("generated", 0))
    company_id = env.company.id
    md = env["ir.model.data"]
    mt_note = md._xmlid_to_res_id("mail.mt_note")
    mt_comment = md._xmlid_to_res_id("mail.mt_comment")
    _all, _internal, external = env["mail.message.subtype"].default_subtypes("service.desk.case")
    case_model = env["ir.model"]._get("service.desk.case")
    team_model = env["ir.model"]._get("service.desk.team")
    Users = env["res.users"].sudo()
    user_partner = {u.id: u.partner_id.id for u in Users.browse(catalog["agents"] + [catalog["leader"]])}
    team_names = {t.id: t.name for t in env["service.desk.team"].sudo().browse(catalog["teams"])}
    channel_labels = dict(env["service.desk.case"]._fields["channel"]._description_selection(env))
    root_partner = env.ref("base.partner_root").id
    rng = random.Random(seed * 31 + catalog.get("generated", 0))
    log = log or (lambda _msg: None)
    bulk = _foreign_keys_unchecked(cr)
    sla = SlaShapes(env, company_id, now)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        draws = [factory.draw() for _i in range(n)]
        ids = _reserve_ids(cr, "service_desk_case", n)
        numbers = _case_numbers(env, company_id, n)
        known = [sla.known(d) for d in draws]
        no_sla = (None,) * len(sla.columns)
        case_rows, msg_vals, fol_rows, rating_rows = [], [], [], []
        for case_id, number, d, kn in zip(ids, numbers, draws, known, strict=True):
            rating = None
            if d["state"] in ("resolved", "closed") and d["requester_type"] == "external" and rng.random() < 0.4:
                rating = rng.choices([1, 3, 5], [10, 20, 70])[0]
                rating_rows.append(
                    (
                        case_model.id,
                        "service.desk.case",
                        case_id,
                        f"{number} {d['name']}",
                        team_model.id,
                        "service.desk.team",
                        d["team_id"],
                        team_names.get(d["team_id"]),
                        d["partner_id"],
                        user_partner.get(d["user_id"]),
                        float(rating),
                        "top" if rating >= 4 else "ok" if rating >= 3 else "ko",
                        True,
                        uuid.uuid4().hex,
                        False,
                        1,
                        1,
                        d["date_resolved"],
                        d["date_resolved"] + datetime.timedelta(hours=rng.uniform(1, 48)),
                    )
                )
            case_rows.append(
                (
                    case_id,
                    company_id,
                    d["partner_id"],
                    d["commercial_partner_id"],
                    d["service_id"],
                    d["subservice_id"],
                    d["line_id"],
                    d["team_id"],
                    d["user_id"],
                    d["stage_id"],
                    0,
                    d["reopen_count"],
                    1,
                    1,
                    d["name"],
                    number,
                    d["email_from"],
                    d["requester_type"],
                    d["channel"],
                    d["state"],
                    d["priority"],
                    f"<p>{d['name']}: details given by the requester.</p>",
                    True,
                    d["date_taken"],
                    d["date_first_response"],
                    d["date_resolved"],
                    d["date_closed"],
                    d["last_update"],
                    d["created"],
                    d["last_update"],
                    float(rating) if rating else 0.0,
                    *(kn[1] if kn else no_sla),
                )
            )
            record_name = f"{number} {d['name']}"
            # the creation log note, as _message_log_batch writes it
            msg_vals.append(
                (
                    case_id,
                    record_name,
                    mt_note,
                    root_partner,
                    "notification",
                    None,
                    f"<p>Case created (channel: {channel_labels.get(d['channel'], '')})</p>",
                    True,
                    d["created"],
                )
            )
            # the conversation: requester and agent replies
            if d["state"] != "new":
                for k in range(rng.choice((0, 1, 2, 2, 3))):
                    from_requester = k % 2 == 1
                    author = d["partner_id"] if from_requester else user_partner.get(d["user_id"], root_partner)
                    msg_vals.append(
                        (
                            case_id,
                            record_name,
                            mt_comment,
                            author,
                            "comment" if not from_requester else "email",
                            d["email_from"] if from_requester else None,
                            f"<p>Reply {k + 1} on {d['name']}.</p>",
                            False,
                            min(now, d["date_first_response"] + datetime.timedelta(hours=4 * k)),
                        )
                    )
            fol_rows.append((case_id, d["partner_id"]))
        _copy(cr, "service_desk_case", CASE_COLUMNS + sla.columns, case_rows)
        msg_ids = _reserve_ids(cr, "mail_message", len(msg_vals))
        _copy(
            cr,
            "mail_message",
            MESSAGE_COLUMNS,
            [
                (
                    mid,
                    res_id,
                    "service.desk.case",
                    rname,
                    subtype,
                    author,
                    1,
                    1,
                    mtype,
                    email,
                    f"<bench.{mid}.{uuid.uuid4().hex[:12]}-openerp-{res_id}@{ALIAS_DOMAIN}>",
                    body,
                    internal,
                    date,
                    date,
                    date,
                    company_id,
                )
                for mid, (res_id, rname, subtype, author, mtype, email, body, internal, date) in zip(
                    msg_ids, msg_vals, strict=True
                )
            ],
        )
        fol_ids = _reserve_ids(cr, "mail_followers", len(fol_rows))
        _copy(
            cr,
            "mail_followers",
            ["id", "res_model", "res_id", "partner_id"],
            [(fid, "service.desk.case", res_id, pid) for fid, (res_id, pid) in zip(fol_ids, fol_rows, strict=True)],
        )
        _copy(
            cr,
            "mail_followers_mail_message_subtype_rel",
            ["mail_followers_id", "mail_message_subtype_id"],
            [(fid, st) for fid in fol_ids for st in external.ids],
        )
        if rating_rows:
            _copy(cr, "rating_rating", RATING_COLUMNS, rating_rows)
        sla.after_copy(ids, draws, known, log)
        done += n
        log(f"  generated {done}/{count} cases ({len(msg_vals)} messages, {len(rating_rows)} ratings in chunk)")
    catalog["generated"] = catalog.get("generated", 0) + count
    catalog["portal_generated"] = catalog["portal_cases"] - max(0, factory.portal_left)
    save_catalog(env, catalog)
    _refresh_partner_stats(env, catalog)
    sla.finish(log)
    if bulk:
        cr.execute("SET LOCAL session_replication_role = origin")
    env.invalidate_all()
    cr.execute(
        "ANALYZE service_desk_case; ANALYZE mail_message; ANALYZE mail_followers; ANALYZE rating_rating;"
        + (" ANALYZE service_desk_case_sla;" if sla.enabled else "")
    )


# The peer's tables that its creations fill (bench/peer.py).
PEER_TABLES = ("helpdesk_ticket", "helpdesk_ticket_sla", "mail_message", "mail_followers", "mail_mail")


def vacuum_tables(registry, tables=None):
    """``VACUUM (ANALYZE)`` the tables the generation filled, after its
    transaction committed (VACUUM runs outside one). A bulk ``COPY`` leaves the
    visibility map empty: until autovacuum passes (its insert threshold, a
    minute or so later), every index-only scan reads the heap too, which a
    database that grew case by case does not; the figures are measured right
    after the generation."""
    tables = tables or ("service_desk_case", "mail_message", "mail_followers", "rating_rating", "service_desk_case_sla")
    with closing(registry.cursor()) as cr:
        cr._cnx.autocommit = True
        try:
            for table in tables:
                cr.execute("SELECT to_regclass(%s)", [table])
                if cr.fetchone()[0]:
                    cr.execute(f"VACUUM (ANALYZE) {table}")  # names from the tuple above
        finally:
            cr._cnx.autocommit = False


def _refresh_partner_stats(env, catalog):
    """The stored statistics of res.partner (PARTNER_STAT_COLUMNS), recomputed
    in SQL as the ORM would. The open-case count is computed per reader, not
    stored: nothing to write for it."""
    partner_ids = catalog["contacts"] + catalog["internal_partners"] + [catalog["portal_partner"]]
    env.cr.execute(
        """
        UPDATE res_partner p
           SET service_desk_last_rating = COALESCE(r.rating, 0)
          FROM (SELECT unnest(%(ids)s::int[]) AS id) x
          LEFT JOIN (SELECT DISTINCT ON (partner_id) partner_id, rating FROM rating_rating
                      WHERE res_model = 'service.desk.case' AND consumed
                      ORDER BY partner_id, write_date DESC, id DESC) r ON r.partner_id = x.id
         WHERE p.id = x.id
        """,
        {"ids": partner_ids},
    )


# the columns of a case that select its SLA policy (``_criteria_match``),
# when no policy matches on partners or their tags
MAGIC_COLUMNS = {"id", "create_uid", "write_uid", "create_date", "write_date"}
SPREAD_OLD_RUNNING = datetime.timedelta(days=3)


class SlaShapes:
    """SLA rows of the generated cases, as the sla addon's own ``_sla_start`` writes them.

    Every generated case starts its clocks at the same moment (the generation),
    so the rows ``_sla_start`` gives two cases of one shape (policy, state,
    stage, taken, responded) are equal but for the case, its company and
    group. ``_sla_start`` runs on one example case per shape (a few dozen in
    all); every other case gets copies of its example's rows (INSERT ...
    SELECT) and, in its own COPY row, the case columns ``_sla_start`` wrote
    on the example (policy, deadline, status). The policy of each selection
    key (company, service, subservice, group, priority, requester type) is
    the one the addon's ``_select_for_cases`` chose for a case of that key.
    When a policy matches on partners or partner tags, every case goes
    through ``_sla_start`` instead (slow: about 50 cases/s).

    The rows are then spread over every state and escalation level (in the
    copying INSERT, and for the examples at the end): met rows of finished
    cases turn ``breached`` with a level for one in six, and running rows of
    open cases older than three days become breached with a level, their
    next escalation in the future (so that nothing is due until a figure
    says so).
    """

    def __init__(self, env, company_id, now):
        self.env = env
        self.company_id = company_id
        self.now = now
        self.enabled = hasattr(env["service.desk.case"], "_sla_start")
        self.by_example = False
        if self.enabled:
            criteria = env["service.desk.sla.policy"].sudo()._criteria_of_companies((company_id,))
            self.by_example = not any(c[6] or c[7] for c in criteria)
        self.policy_of = {}  # selection key -> policy id (0: no policy)
        self.shapes = {}  # shape -> (example case id, values of self.columns)
        self.columns = []  # the case columns _sla_start fills (learned on the first examples)
        self.slow_ids = []
        self.copied = 0
        if self.by_example:
            env.cr.execute("CREATE TEMP TABLE IF NOT EXISTS sd_gen_copy (case_id int, example_id int) ON COMMIT DROP")

    def _key(self, d):
        return (self.company_id, d["service_id"], d["subservice_id"], d["team_id"], d["priority"], d["requester_type"])

    def _shape(self, policy, d):
        return (policy, d["state"], d["stage_id"] or 0, bool(d["date_taken"]), bool(d["date_first_response"]))

    def known(self, d):
        """(example id, case column values) of a drawn case's shape, or None
        when its shape has no example yet (or it gets no SLA)."""
        policy = self.policy_of.get(self._key(d))
        return self.shapes.get(self._shape(policy, d)) if policy else None

    def after_copy(self, ids, draws, known, log):
        """SLA rows of one chunk of cases, just copied (``known``: what
        ``known()`` said of each before the copy)."""
        if not self.enabled:
            return
        if not self.by_example:
            self.slow_ids += ids
            return
        self._choose_policies(ids, draws, known)
        copies, fill, pending, new_shapes = [], [], [], {}
        for case_id, d, kn in zip(ids, draws, known, strict=True):
            if kn:
                copies.append((case_id, kn[0]))
                continue
            policy = self.policy_of[self._key(d)]
            if not policy:
                continue
            shape = self._shape(policy, d)
            if shape in self.shapes or shape in new_shapes:
                pending.append((case_id, shape))
            else:
                new_shapes[shape] = case_id
        if new_shapes:
            self._start_examples(new_shapes)
        for case_id, shape in pending:
            example_id, vals = self.shapes[shape]
            copies.append((case_id, example_id))
            fill.append((case_id, *vals))
        if fill and self.columns:
            self._fill(fill)
        if copies:
            cr = self.env.cr
            cr.execute("TRUNCATE sd_gen_copy")
            _copy(cr, "sd_gen_copy", ["case_id", "example_id"], copies)
            cr.execute("ANALYZE sd_gen_copy")
            self._insert_copies()

    def _choose_policies(self, ids, draws, known):
        """The policy of each new selection key, as the addon chooses it for one case of the key."""
        new_keys = {}
        for case_id, d, kn in zip(ids, draws, known, strict=True):
            if not kn and self._key(d) not in self.policy_of:
                new_keys.setdefault(self._key(d), case_id)
        if new_keys:
            cases = self.env["service.desk.case"].sudo().browse(list(new_keys.values()))
            chosen = self.env["service.desk.sla.policy"].sudo()._select_for_cases(cases)
            for k, case_id in new_keys.items():
                self.policy_of[k] = chosen[case_id].id or 0

    def _start_examples(self, new_shapes):
        """``_sla_start`` on one case of each new shape; remember its case columns."""
        env, cr = self.env, self.env.cr
        Policy = env["service.desk.sla.policy"].sudo()
        examples = env["service.desk.case"].sudo().browse(list(new_shapes.values()))
        examples._sla_start(self.now, policies={cid: Policy.browse(shape[0]) for shape, cid in new_shapes.items()})
        env.flush_all()
        env.invalidate_all()
        if not self.columns:
            self.columns = self._learn_columns(examples.ids)
        values = {}
        if self.columns:
            columns = ", ".join(self.columns)
            cr.execute(f"SELECT id, {columns} FROM service_desk_case WHERE id = ANY(%s)", [examples.ids])
            values = {row[0]: row[1:] for row in cr.fetchall()}
        for shape, case_id in new_shapes.items():
            self.shapes[shape] = (case_id, values.get(case_id, ()))

    def _fill(self, fill):
        """The SLA case columns of cases copied before their shape had an example (mostly the first chunk)."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS sd_gen_fill ON COMMIT DROP AS "
            f"SELECT id, {', '.join(self.columns)} FROM service_desk_case WITH NO DATA; TRUNCATE sd_gen_fill"
        )
        _copy(cr, "sd_gen_fill", ["id", *self.columns], fill)
        cr.execute(
            f"ANALYZE sd_gen_fill; UPDATE service_desk_case c SET "
            f"{', '.join(f'{col} = f.{col}' for col in self.columns)} FROM sd_gen_fill f WHERE c.id = f.id"
        )

    def _learn_columns(self, example_ids):
        """The case columns that _sla_start filled on the examples (and the generator leaves empty)."""
        skip = set(CASE_COLUMNS) | MAGIC_COLUMNS
        Case = self.env["service.desk.case"]
        candidates = [f.name for f in Case._fields.values() if f.store and f.column_type and f.name not in skip]
        self.env.cr.execute(
            f"SELECT {', '.join(f'count({col})' for col in candidates)} FROM service_desk_case WHERE id = ANY(%s)",
            [example_ids],
        )
        return [col for col, n in zip(candidates, self.env.cr.fetchone(), strict=True) if n]

    def _insert_copies(self):
        cr = self.env.cr
        Sla = self.env["service.desk.case.sla"]
        spread = {"state", "escalation_level", "elapsed_hours", "deadline", "next_escalation_at"}
        own = {"case_id", "company_id", "team_id"} | MAGIC_COLUMNS
        columns = [f.name for f in Sla._fields.values() if f.store and f.column_type and f.name not in own | spread]
        columns += ["create_uid", "write_uid", "create_date", "write_date"]
        met = "x.state = 'met' AND x.nid %% 6 = 0"
        old = "x.state = 'running' AND x.cdate < %(old)s"
        cr.execute(
            f"""
            INSERT INTO service_desk_case_sla (id, case_id, company_id, team_id, {", ".join(columns)},
                                               state, escalation_level, elapsed_hours, deadline, next_escalation_at)
            SELECT x.nid, x.case_id, x.company_id, x.team_id, {", ".join(f"x.{col}" for col in columns)},
                   CASE WHEN {met} OR {old} THEN 'breached' ELSE x.state END,
                   CASE WHEN {met} THEN 1 + x.nid %% 3 WHEN {old} THEN 1 + x.nid %% 2 ELSE x.escalation_level END,
                   CASE WHEN {met} THEN x.target_hours * 1.5 ELSE x.elapsed_hours END,
                   CASE WHEN {old} THEN x.cdate + interval '1 hour' ELSE x.deadline END,
                   CASE WHEN {met} THEN NULL
                        WHEN {old} THEN %(now)s + interval '1 day' + (x.nid %% 97) * interval '1 minute'
                        ELSE x.next_escalation_at END
              FROM (SELECT nextval('service_desk_case_sla_id_seq') AS nid, m.case_id, c.company_id, c.team_id,
                           c.create_date AS cdate, s.state, s.escalation_level, s.elapsed_hours, s.deadline,
                           s.next_escalation_at, {", ".join(f"s.{col}" for col in columns)}
                      FROM sd_gen_copy m
                      JOIN service_desk_case c ON c.id = m.case_id
                      JOIN service_desk_case_sla s ON s.case_id = m.example_id
                     ORDER BY m.case_id, s.id) x
            """,
            {"old": self.now - SPREAD_OLD_RUNNING, "now": self.now},
        )
        self.copied += cr.rowcount

    def finish(self, log):
        """The examples' own rows spread like the copies; the slow path."""
        if not self.enabled:
            return
        env, cr = self.env, self.env.cr
        if self.slow_ids:
            for start in range(0, len(self.slow_ids), 2000):
                env["service.desk.case"].sudo().browse(self.slow_ids[start : start + 2000])._sla_start(self.now)
                env.flush_all()
                env.invalidate_all()
        case_ids = self.slow_ids or [example_id for example_id, _vals in self.shapes.values()]
        cr.execute(
            """
            UPDATE service_desk_case_sla s
               SET state = 'breached', escalation_level = 1 + s.id %% 3,
                   elapsed_hours = s.target_hours * 1.5, next_escalation_at = NULL
             WHERE s.case_id = ANY(%(ids)s) AND s.state = 'met' AND s.id %% 6 = 0;
            UPDATE service_desk_case_sla s
               SET state = 'breached', escalation_level = 1 + s.id %% 2,
                   deadline = c.create_date + interval '1 hour',
                   next_escalation_at = %(now)s + interval '1 day' + (s.id %% 97) * interval '1 minute'
              FROM service_desk_case c
             WHERE c.id = s.case_id AND s.case_id = ANY(%(ids)s) AND s.state = 'running'
               AND c.create_date < %(old)s;
            """,
            {"ids": case_ids, "now": self.now, "old": self.now - SPREAD_OLD_RUNNING},
        )
        if self.slow_ids:
            log(f"  SLA rows created through _sla_start for {len(self.slow_ids)} cases (policies on partners)")
        else:
            log(
                f"  SLA rows: _sla_start on {len(self.shapes)} example cases, {self.copied} rows copied from them"
                f" (case columns: {', '.join(self.columns) or 'none'})"
            )
