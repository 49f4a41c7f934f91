# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OCA peer (helpdesk_mgmt + helpdesk_mgmt_sla) set up for the same
workload per record as the product, with the peer's own mechanisms.

Per ticket: a requester (a contact with an email), a team of five members
with an inbound alias, three SLAs (take 2 h, respond 8 h, resolve 40 h, as
the product's standard policy) counted on the company's business-hours
calendar, paused in the waiting stage, and one email queued to the team:
the members follow the team with the "Ticket Created" subtype, so each new
ticket's creation message notifies them (Odoo's followers, as the peer's
data file intends). Nothing of the peer's code is changed or copied.
"""

import json

PARAM_KEY = "service_desk_bench.peer_catalog"
ALIAS_DOMAIN = "bench.example.com"
ALIAS_NAME = "bench-peer"
TEAM_SIZE = 5
# (name, hours, stage reached when the target is met), the product's
# standard policy: take 2 h, first response 8 h, resolve 40 h
SLAS = (
    ("Bench take", 2, "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
    ("Bench respond", 8, "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
    ("Bench resolve", 40, "helpdesk_mgmt.helpdesk_ticket_stage_done"),
)


def installed(env):
    """True when both peer addons are installed in this database."""
    mods = env["ir.module.module"].search([("name", "in", ["helpdesk_mgmt", "helpdesk_mgmt_sla"])])
    return len(mods) == 2 and set(mods.mapped("state")) == {"installed"}


def load_catalog(env):
    raw = env["ir.config_parameter"].sudo().get_param(PARAM_KEY)
    return json.loads(raw) if raw else None


def build_catalog(env, contacts=50):
    """Create (once) the peer's team, SLAs, agents and contacts; return their ids."""
    existing = load_catalog(env)
    if existing:
        return existing
    ctx = {"no_reset_password": True, "mail_create_nolog": True, "mail_notrack": True, "tracking_disable": True}
    env = env(context=dict(env.context, **ctx))
    company = env.company
    alias_domain = env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)], limit=1)
    if not alias_domain:
        alias_domain = env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})
    if not company.alias_domain_id:
        company.alias_domain_id = alias_domain
    calendar = company.resource_calendar_id  # Standard 40 hours/week, as the product's policies
    group_user = env.ref("helpdesk_mgmt.group_helpdesk_user")
    agents = env["res.users"].create(
        [
            {
                "name": f"Peer Agent {i}",
                "login": f"peer_agent_{i}",
                "email": f"peer.agent.{i}@{ALIAS_DOMAIN}",
                "groups_id": [(6, 0, [group_user.id])],
                "notification_type": "email",
            }
            for i in range(TEAM_SIZE)
        ]
    )
    leader = env["res.users"].create(
        {
            "name": "Peer Leader",
            "login": "peer_leader",
            "email": f"peer.leader@{ALIAS_DOMAIN}",
            "groups_id": [(6, 0, [env.ref("helpdesk_mgmt.group_helpdesk_manager").id])],
        }
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench Peer Team",
            "user_ids": [(6, 0, agents.ids)],
            "user_id": leader.id,
            "alias_name": ALIAS_NAME,
            "use_sla": True,
            "resource_calendar_id": calendar.id,
        }
    )
    # the members are told of each new ticket: they follow the team with
    # the "Ticket Created" subtype, which new tickets of the team inherit
    team.message_subscribe(
        partner_ids=agents.partner_id.ids,
        subtype_ids=[env.ref("helpdesk_mgmt.hlp_tck_team_created").id, env.ref("mail.mt_comment").id],
    )
    waiting = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
    env["helpdesk.sla"].create(
        [
            {
                "name": name,
                "team_ids": [(6, 0, team.ids)],
                "hours": hours,
                "stage_id": env.ref(stage).id,
                "ignore_stage_ids": [(6, 0, waiting.ids)],
            }
            for name, hours, stage in SLAS
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Peer Contact {k:03d}",
                "email": f"peer.contact.{k:03d}@customer{k % 50:03d}.example.com",
            }
            for k in range(contacts)
        ]
    )
    catalog = {
        "team": team.id,
        "agents": agents.ids,
        "leader": leader.id,
        "contacts": partners.ids,
        "channels": [env.ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{x}").id for x in ("phone", "email", "web")],
        "to": f"{ALIAS_NAME}@{ALIAS_DOMAIN}",
    }
    env["ir.config_parameter"].sudo().set_param(PARAM_KEY, json.dumps(catalog))
    return catalog


def ticket_vals(env, catalog, count, offset=0):
    """Values of ``count`` tickets as the peer's form sends them (the
    partner's onchange fills the requester's name and email)."""
    partners = env["res.partner"].browse(catalog["contacts"])
    info = {p.id: (p.name, p.email) for p in partners}
    contacts, channels = catalog["contacts"], catalog["channels"]
    vals = []
    for i in range(count):
        k = offset + i
        partner = contacts[k % len(contacts)]
        vals.append(
            {
                "name": "Refund for a cancelled show" if k % 20 == 0 else f"Bench created ticket {k}",
                "description": f"<p>Bench ticket {k}</p>",
                "partner_id": partner,
                "partner_name": info[partner][0],
                "partner_email": info[partner][1],
                "team_id": catalog["team"],
                "channel_id": channels[k % len(channels)],
            }
        )
    return vals


def describe(env, database, addons_path):
    """What the results file says about the peer."""
    mods = env["ir.module.module"].search([("name", "in", ["helpdesk_mgmt", "helpdesk_mgmt_sla"])])
    return {
        "database": database,
        "addons_path": addons_path,
        "addons": {m.name: m.latest_version for m in mods},
        "tickets_in_database": env["helpdesk.ticket"].search_count([]),
        "workload": (
            "per ticket: a requester, team of five (alias), three SLAs on the company's 40 h/week "
            "calendar, one email queued to the members (followers of the team, 'Ticket Created')"
        ),
    }
