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

import datetime
import io
import json
import random
import uuid

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
    """COPY rows (tuples) into table; None is NULL."""
    buf = io.StringIO()
    for row in rows:
        out = []
        for value in row:
            if value is None:
                out.append("\\N")
            elif isinstance(value, bool):
                out.append("t" if value else "f")
            else:
                text = str(value)
                out.append(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        buf.write("\t".join(out) + "\n")
    buf.seek(0)
    cr.flush()
    cr._obj.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)  # pylint: disable=protected-access


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
    done = 0
    all_ids = []
    while done < count:
        n = min(chunk, count - done)
        draws = [factory.draw() for _i in range(n)]
        ids = _reserve_ids(cr, "service_desk_case", n)
        all_ids += ids
        numbers = env["ir.sequence"]._sd_next_batch("service.desk.case", company_id, n)
        case_rows, msg_vals, fol_rows, rating_rows = [], [], [], []
        for case_id, number, d in zip(ids, numbers, draws, strict=True):
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
        _copy(cr, "service_desk_case", CASE_COLUMNS, case_rows)
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
        done += n
        log(f"  generated {done}/{count} cases ({len(msg_vals)} messages, {len(rating_rows)} ratings in chunk)")
    catalog["generated"] = catalog.get("generated", 0) + count
    catalog["portal_generated"] = catalog["portal_cases"] - max(0, factory.portal_left)
    save_catalog(env, catalog)
    _refresh_partner_stats(env, catalog)
    generate_sla_rows(env, all_ids, log=log)
    env.invalidate_all()
    cr.execute("ANALYZE service_desk_case; ANALYZE mail_message; ANALYZE mail_followers; ANALYZE rating_rating")


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


def generate_sla_rows(env, ids, log=None):
    """SLA rows of the generated cases through the sla addon's own ``_sla_start``.

    Then spread them over every state and escalation level in SQL: met rows
    of finished cases turn ``breached`` with a level for one in six, and
    running rows of older open cases become breached with a level, their next
    escalation in the future (so that nothing is due until a figure says so).
    """
    log = log or (lambda _msg: None)
    Case = env["service.desk.case"].sudo()
    if not hasattr(Case, "_sla_start"):
        return False
    now = datetime.datetime.now().replace(microsecond=0)
    for start in range(0, len(ids), 2000):
        Case.browse(ids[start : start + 2000])._sla_start(now)
        env.flush_all()
        env.invalidate_all()
    env.cr.execute(
        """
        UPDATE service_desk_case_sla s
           SET state = 'breached', escalation_level = 1 + s.id %% 3,
               elapsed_hours = s.target_hours * 1.5, next_escalation_at = NULL
          FROM service_desk_case c
         WHERE c.id = s.case_id AND s.case_id = ANY(%(ids)s) AND s.state = 'met' AND s.id %% 6 = 0;
        UPDATE service_desk_case_sla s
           SET state = 'breached', escalation_level = 1 + s.id %% 2,
               deadline = c.create_date + interval '1 hour',
               next_escalation_at = %(now)s + interval '1 day' + (s.id %% 97) * interval '1 minute'
          FROM service_desk_case c
         WHERE c.id = s.case_id AND s.case_id = ANY(%(ids)s) AND s.state = 'running'
           AND c.create_date < %(now)s - interval '3 days';
        """,
        {"ids": ids, "now": now},
    )
    log(f"  SLA rows created through _sla_start for {len(ids)} cases")
    return True
