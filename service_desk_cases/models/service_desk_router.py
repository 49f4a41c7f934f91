# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .service_desk_data import OPEN_STATES


class ServiceDeskRouter(models.AbstractModel):
    """Where a new case goes: group and assignee.

    ``_route(vals_list)`` completes the values of a batch of new cases, in
    this order, each step filling only what is still empty:

    1. the requester's defaults (service, subservice, responsible engineer);
    2. the first matching routing rule;
    3. the group of an assignee given without a group;
    4. the engineer directory of the (sub)service, else a first-line group
       allowed for it;
    5. an assignee picked by the group's method (round robin, balanced)
       when the routing, not the creator, chose the group.

    Every step reads what it needs once for the whole batch.
    """

    _name = "service.desk.router"
    _description = "Service Desk Case Routing"

    @api.model
    def _route(self, vals_list):
        """Complete ``vals_list`` (values of new cases) in place and return it."""
        by_hand = [bool(v.get("team_id") or v.get("user_id")) for v in vals_list]
        self._apply_partner_defaults(vals_list)
        self._apply_routing_rules(vals_list)
        self._apply_team_from_user(vals_list)
        self._apply_directory(vals_list, by_hand)
        return vals_list

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    @api.model
    def _apply_partner_defaults(self, vals_list):
        partner_ids = {v["partner_id"] for v in vals_list if v.get("partner_id")}
        if not partner_ids:
            return
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = partners.browse(vals["partner_id"]).with_prefetch(partners._prefetch_ids)
                vals.update(partner._service_desk_case_defaults(vals))

    @api.model
    def _apply_routing_rules(self, vals_list):
        Rule = self.env["service.desk.routing.rule"]
        routing_data = Rule._get_routing_data()  # per-process cache
        if not routing_data:
            return
        partners = self.env["res.partner"].sudo().browse({v["partner_id"] for v in vals_list if v.get("partner_id")})
        for vals in vals_list:
            partner = partners.browse(vals.get("partner_id")).with_prefetch(partners._prefetch_ids)
            Rule._route_values(vals, partner, routing_data)

    @api.model
    def _apply_team_from_user(self, vals_list):
        """An assignee given without a group brings their group: the first by
        line and sequence among those allowed for the (sub)service, else the
        first of theirs."""
        todo = [v for v in vals_list if v.get("user_id") and not v.get("team_id")]
        if not todo:
            return
        user_ids = list({v["user_id"] for v in todo})
        teams = (
            self.env["service.desk.team"]
            .sudo()
            .search(["|", ("member_ids", "in", user_ids), ("leader_id", "in", user_ids)])
            .sorted(lambda t: (t.line_id.sequence, t.sequence, t.id))
        )
        allowed = self._allowed_teams_getter()
        for vals in todo:
            user = self.env["res.users"].browse(vals["user_id"])
            mine = teams.filtered(lambda t, u=user: u in t._get_staff())
            mine = (mine & allowed(vals)) or mine
            vals["team_id"] = mine[:1].id or False

    @api.model
    def _apply_directory(self, vals_list, by_hand):
        """Engineer directory, then first line, for cases with a (sub)service
        and neither a group nor an assignee chosen by hand; then the group's
        assignment method for every group the routing chose."""
        todo = [
            v
            for v in vals_list
            if (v.get("service_id") or v.get("subservice_id")) and not v.get("team_id") and not v.get("user_id")
        ]
        Team = self.env["service.desk.team"].sudo()
        Users = self.env["res.users"].sudo()
        services = (
            self.env["service.desk.service"]
            .sudo()
            .browse({v.get("subservice_id") or v.get("service_id") for v in todo})
        )
        # the engineer directory: a per-process cache
        directory = self.env["service.desk.engineer"]._get_directory() if services else {}
        first_line = None
        allowed = self._allowed_teams_getter()
        chosen = {}  # id(vals) -> engineers of the chosen group
        for vals in todo:
            service = services.browse(vals.get("subservice_id") or vals.get("service_id")).with_prefetch(
                services._prefetch_ids
            )
            candidates = directory.get(service.id) or directory.get(service.parent_id.id)
            if candidates:
                team_id = candidates[0][0]
                vals["team_id"] = team_id
                chosen[id(vals)] = Users.browse(dict.fromkeys(uid for tid, uid in candidates if tid == team_id))
                continue
            if first_line is None:
                first_line = self.env["service.desk.line"].sudo()._get_first_line()
            # the allowed groups of the first line, those of the case's company first
            company_id = vals.get("company_id") or self.env.company.id
            service_teams = allowed(vals).filtered(lambda t, fl=first_line: t.line_id == fl)
            teams = service_teams.filtered(lambda t, c=company_id: t.company_id.id == c) or service_teams
            if teams:
                vals["team_id"] = teams[0].id
        # the group's method picks the assignee when routing chose the group
        picks = [
            vals
            for vals, hand in zip(vals_list, by_hand, strict=True)
            if vals.get("team_id") and not vals.get("user_id") and not hand
        ]
        if not picks:
            return
        teams = Team.browse({v["team_id"] for v in picks})
        todo_picks = []
        balanced = Users
        for vals in picks:
            team = teams.browse(vals["team_id"]).with_prefetch(teams._prefetch_ids)
            users = chosen.get(id(vals))
            if not users:
                if team.assignment_method == "manual":
                    continue
                users = team.member_ids
            todo_picks.append((vals, team, users))
            if team.assignment_method == "balanced":
                balanced |= users
        # the candidates with the groups' members (the group's email reads
        # them too) in one query
        (teams.member_ids | Users.union(*(users for _vals, _team, users in todo_picks))).mapped("active")
        # open cases per user: only where a balanced group picks
        loads = self._open_case_loads(balanced)
        # round-robin turns: one query for the batch, from the groups' sequences
        tickets = Team._round_robin_tickets([(team, users) for _vals, team, users in todo_picks])
        for (vals, team, users), ticket in zip(todo_picks, tickets, strict=True):
            user = team._pick_assignee(users, loads, ticket=ticket)
            if user:
                loads[user.id] = loads.get(user.id, 0) + 1
                vals["user_id"] = user.id

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _allowed_teams_getter(self):
        """A function vals -> groups allowed for the case's (sub)service,
        memoised per (service, company) for the batch."""
        Service = self.env["service.desk.service"].sudo()
        Company = self.env["res.company"]
        memo = {}

        def allowed(vals):
            key = (vals.get("subservice_id") or vals.get("service_id"), vals.get("company_id") or self.env.company.id)
            if key not in memo:
                memo[key] = Service.browse(key[0])._get_allowed_teams(Company.browse(key[1]))
            return memo[key]

        return allowed

    @api.model
    def _open_case_loads(self, users):
        """Open cases per user id, in one query."""
        if not users:
            return {}
        groups = (
            self.env["service.desk.case"]
            .sudo()
            ._read_group([("user_id", "in", users.ids), ("state", "in", OPEN_STATES)], ["user_id"], ["__count"])
        )
        return {user.id: count for user, count in groups}
