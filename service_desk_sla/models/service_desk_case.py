# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from contextlib import contextmanager

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from odoo.addons.service_desk_cases.models.service_desk_data import DONE_STATES, HANDLED_STATES, OPEN_STATES

from .service_desk_sla_data import SLA_OPEN_STATES, SLA_STATUSES, TARGETS
from .sla_clock import SlaClocks

# Changing one of these re-selects the SLA policy.
POLICY_FIELDS = {"service_id", "subservice_id", "team_id", "priority"}
EVENT_FIELDS = {"date_taken": "take", "date_first_response": "response"}
# Context key of a case's creation: when its SLA clocks start (planned
# before the INSERT, started after it).
SLA_NOW_KEY = "service_desk_sla_now"
# ... and the calendars' intervals read for them (a SlaClocks).
SLA_CLOCKS_KEY = "service_desk_sla_clocks"
# Cases whose policy the SLA ladder keeps while it changes them (per cursor).
KEPT_POLICY_KEY = "service_desk_sla.kept_policy_case_ids"
# What the live SLA status and the working time left read of the SLA rows.
SLA_LIVE_FIELDS = [
    "case_id",
    "policy_id",
    "state",
    "deadline",
    "warning_date",
    "warning_sent",
    "remaining_hours",
    "target_hours",
    "consumed_hours",
    "clock_start",
    "reached_date",
]


class ServiceDeskCase(models.Model):
    _inherit = "service.desk.case"

    sla_ids = fields.One2many("service.desk.case.sla", "case_id", string="SLA Targets")
    # Chosen with the case's other values, before its INSERT (as the deadline
    # and the status below), then kept by the SLA engine: no UPDATE of the
    # new row once its SLA rows exist.
    sla_policy_id = fields.Many2one(
        "service.desk.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        index=True,
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla_status",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="Nearest deadline of the running SLA targets.",
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        precompute=True,
        index=True,
    )
    sla_live_status = fields.Selection(
        SLA_STATUSES,
        string="Current SLA Status",
        compute="_compute_sla_live",
        search="_search_sla_live_status",
        help="SLA status at this moment: a deadline already past reads as breached at once, "
        "before the escalation job records it.",
    )
    sla_time_left_hours = fields.Float(
        string="SLA Working Time Left",
        compute="_compute_sla_live",
        help="Working hours left until the nearest SLA deadline (negative: overdue by that much); "
        "what was left when the clock stopped while it is paused.",
    )
    sla_paused_hours = fields.Float(string="SLA Paused (working h)", compute="_compute_sla_explanation")
    sla_explanation = fields.Text(string="SLA Computation", compute="_compute_sla_explanation")

    @api.depends()
    def _compute_sla_policy_id(self):
        """The policy of a case being created (``_sla_start`` starts its
        clocks once it is saved); the engine changes it afterwards. None for a
        policy that cannot count time (``_sla_start`` says why).

        A saved case is left as it is: Odoo computes the field for saved cases
        only when it adds the column (this addon installed on a desk that has
        cases), and reads what is stored for a record the compute leaves."""
        new = self.filtered(lambda case: not case.id)
        if not new or self.env.context.get(SLA_NOW_KEY) is None:
            new.sla_policy_id = False
            return
        Policy = self.env["service.desk.sla.policy"]
        policies = Policy._select_for_cases(new)
        for case in new:
            policy = policies.get(case.id)
            usable = policy and Policy._clock_settings(policy.id).calendar_id
            case.sla_policy_id = policy if usable else False

    @api.depends("sla_ids.deadline", "sla_ids.state", "sla_ids.warning_sent")
    def _compute_sla_status(self):
        new = self.filtered(lambda case: not case.id)
        if new:
            new._sla_planned_status()
        for case in self - new:
            rows = case.sla_ids
            running = rows.filtered(lambda r: r.state == "running" and r.deadline)
            case.sla_deadline = min(running.mapped("deadline")) if running else False
            if not rows:
                case.sla_status = False
            elif any(r.state == "breached" for r in rows):
                case.sla_status = "breached"
            elif any(r.warning_sent for r in running):
                case.sla_status = "at_risk"
            else:
                case.sla_status = "on_track"

    @api.depends(
        "sla_status",
        "sla_ids.state",
        "sla_ids.deadline",
        "sla_ids.warning_date",
        "sla_ids.warning_sent",
        "sla_ids.remaining_hours",
        "sla_ids.time_left_hours",
    )
    def _compute_sla_live(self):
        """Computed on read from the deadlines and now (never stored: it would go stale)."""
        now = fields.Datetime.now()
        rows_by_case = self._sla_live_rows()
        for case in self:
            rows = rows_by_case[case.id] if case.id else case.sla_ids
            case.sla_live_status = rows._sla_live_status(now)
            counting = rows.filtered(lambda r: r._sla_counting() or r.state == "paused")
            case.sla_time_left_hours = min(counting.mapped("time_left_hours"), default=0.0)

    def _sla_live_rows(self):
        """The SLA rows of these (saved) cases, ``{case id: rows}``, with their
        time left counted for the whole batch.

        One query reads the rows and the columns the live figures need (the
        one2many would search, then fetch), under the reader's record rules;
        then each calendar's working intervals are read once for all of them.
        """
        Sla = self.env["service.desk.case.sla"]
        # a case without SLA targets has no stored status (read with the case):
        # a page of such cases reads no rows; new records (forms) have no id yet
        case_ids = [case.id for case in self if case.id and case.sla_status]
        rows = Sla.search_fetch([("case_id", "in", case_ids)], SLA_LIVE_FIELDS) if case_ids else Sla
        rows.mapped("time_left_hours")
        row_ids = defaultdict(list)
        for row in rows:
            row_ids[row.case_id.id].append(row.id)
        return defaultdict(lambda: Sla, {key: Sla.browse(ids).with_prefetch(rows._ids) for key, ids in row_ids.items()})

    def _search_sla_live_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._(
                    "The field '%(field)s' cannot be searched with the operator '%(operator)s'.",
                    field=self._fields["sla_live_status"].get_description(self.env)["string"],
                    operator=operator,
                )
            )
        values = {value} if operator in ("=", "!=") else set(value)
        breached, at_risk = self.env["service.desk.case.sla"]._sla_live_domains(fields.Datetime.now())
        is_breached = [("sla_ids", "any", breached)]
        is_at_risk = expression.AND([[("sla_ids", "any", at_risk)], ["!", *is_breached]])
        by_value = {
            "breached": is_breached,
            "at_risk": is_at_risk,
            "on_track": expression.AND([[("sla_ids", "!=", False)], ["!", *is_breached], ["!", *is_at_risk]]),
            False: [("sla_ids", "=", False)],
        }
        domain = expression.OR([by_value[v] for v in values if v in by_value]) if values else expression.FALSE_DOMAIN
        return ["!", *domain] if operator in ("!=", "not in") else domain

    @api.depends_context("lang")
    @api.depends("sla_ids.explanation", "sla_ids.paused_hours")
    def _compute_sla_explanation(self):
        order = {key: index for index, (key, _label) in enumerate(TARGETS)}
        for case in self:
            rows = case.sla_ids.sorted(lambda r: order.get(r.target, 9))
            case.sla_paused_hours = max(rows.mapped("paused_hours"), default=0.0)
            case.sla_explanation = "\n\n".join(r.explanation for r in rows if r.explanation) or False

    def _sla_planned_status(self):
        """Deadline and status of cases being created, from the rows
        ``_sla_start`` will give them: all running, none at risk (what
        ``_compute_sla_status`` then finds again, so nothing is written)."""
        now = self.env.context.get(SLA_NOW_KEY)
        Sla = self.env["service.desk.case.sla"]
        Policy = self.env["service.desk.sla.policy"]
        # the calendars read once for the plan and the rows of the batch
        clocks = self.env.context.get(SLA_CLOCKS_KEY)
        if clocks is None:
            clocks = SlaClocks()
        for case in self:
            policy = case.sla_policy_id
            if now is None or not policy:
                case.sla_deadline = False
                case.sla_status = False
                continue
            hours = Policy._clock_settings(policy.id).target_hours
            deadlines = [
                Sla._sla_plan_values(policy.id, now, hours[target], now, clocks)["deadline"]
                for target, _label in TARGETS
            ]
            case.sla_deadline = min((d for d in deadlines if d), default=False)
            case.sla_status = "on_track"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("sd_sla_disable"):
            return super().create(vals_list)
        now, clocks = fields.Datetime.now(), SlaClocks()
        # the clocks' start, the same for the values planned before the
        # INSERT (policy, deadline, status) and for the rows
        ctx = {SLA_NOW_KEY: now, SLA_CLOCKS_KEY: clocks}
        cases = super(ServiceDeskCase, self.with_context(**ctx)).create(vals_list)
        cases = cases.with_env(self.env)
        cases._sla_start(now, clocks=clocks)
        return cases

    def _get_protected_fields(self):
        # the SLA engine alone selects the policy and keeps the deadline and status
        return super()._get_protected_fields() | {"sla_ids", "sla_policy_id", "sla_deadline", "sla_status"}

    def write(self, vals):
        if self.env.context.get("sd_sla_disable") or not self:
            return super().write(vals)
        old_stages = {case.id: (case.stage_id, case.state) for case in self} if "stage_id" in vals else {}
        res = super().write(vals)
        self._sla_after_write(vals, old_stages, fields.Datetime.now())
        return res

    # ------------------------------------------------------------------
    # SLA engine
    # ------------------------------------------------------------------

    def _sla_start(self, now, policies=None, clocks=None):
        """Select the policy of new cases and start their clocks (batched).

        A policy that cannot count time (no working hours) never stops the
        intake: the case is created without SLA targets and says why.
        """
        cases = self.sudo()
        Policy = self.env["service.desk.sla.policy"]
        Sla = self.env["service.desk.case.sla"].sudo()
        if policies is None:
            policies = Policy._select_for_cases(cases)
        # planned before the INSERT, from the policies' cached settings and the
        # calendars' cached intervals: no read of either, no UPDATE after it
        if clocks is None:
            clocks = SlaClocks()
        vals_list = []
        unusable = {}
        for case in cases:
            policy = policies.get(case.id)
            if not policy:
                continue
            settings = Policy._clock_settings(policy.id)
            if not settings.calendar_id:
                unusable[case.id] = Markup("<p>%s</p>") % self.env._(
                    "No SLA deadlines: the SLA policy '%(policy)s' has no %(field)s. "
                    "Ask an administrator to set them on the policy.",
                    policy=policy.display_name,
                    field=policy._field_label("calendar_id"),
                )
                continue
            for target, _label in TARGETS:
                hours = settings.target_hours[target]
                vals_list.append(
                    {
                        "case_id": case.id,
                        "policy_id": policy.id,
                        "target": target,
                        "target_hours": hours,
                        "clock_start": now,
                        **Sla._sla_plan_values(policy.id, now, hours, now, clocks),
                    }
                )
        for policy, group in self._sla_group_by_policy(cases, policies).items():
            # a new case has it already (chosen before its INSERT)
            group.filtered(lambda c, policy=policy: c.id not in unusable and c.sla_policy_id != policy).write(
                {"sla_policy_id": policy.id}
            )
        if unusable:
            cases.browse(list(unusable))._message_log_batch(bodies=unusable)
        if not vals_list:
            return
        rows = Sla.create(vals_list)
        # events that already happened, stages already pausing or done
        reached = rows.browse()
        for row in rows:
            case = row.case_id
            if (
                (row.target == "take" and case.date_taken)
                or (row.target == "response" and case.date_first_response)
                or case.state in DONE_STATES
            ):
                reached |= row
        reached._sla_reach(now, clocks)
        rows.filtered(
            lambda r: (
                r.state == "running" and r.case_id.stage_id.id in Policy._clock_settings(r.policy_id.id).pause_stage_ids
            )
        )._sla_pause(now, clocks)
        rows._sla_schedule(rows.mapped("next_escalation_at"))

    @api.model
    def _sla_group_by_policy(self, cases, policies):
        groups = {}
        for case in cases:
            policy = policies.get(case.id)
            if policy:
                groups[policy] = groups.get(policy, cases.browse()) | case
        return groups

    def _sla_after_write(self, vals, old_stages, now):
        cases = self.sudo()
        Sla = self.env["service.desk.case.sla"].sudo()
        touched = Sla
        clocks = None
        if POLICY_FIELDS & set(vals):
            kept = self.env.cr.cache.get(KEPT_POLICY_KEY, ())
            touched |= cases.filtered(lambda c: c.id not in kept)._sla_reselect(now)
        if "stage_id" in vals:
            rows = cases.sla_ids
            Policy = self.env["service.desk.sla.policy"]

            def pausing(row):
                # the policy's active pausing stages, from its cached settings (no query)
                return row.case_id.stage_id.id in Policy._clock_settings(row.policy_id.id).pause_stage_ids

            reopened = rows.filtered(
                lambda r: (
                    r.target == "resolve"
                    and old_stages[r.case_id.id][1] in HANDLED_STATES
                    and r.case_id.state in OPEN_STATES
                )
            )
            clocks = reopened._sla_reopen(now, clocks)
            resumed = rows.filtered(lambda r: r.state == "paused" and not pausing(r))
            clocks = resumed._sla_resume(now, clocks)
            paused = rows.filtered(lambda r: r.state == "running" and r.case_id.state not in DONE_STATES and pausing(r))
            clocks = paused._sla_pause(now, clocks)
            done = rows.filtered(
                lambda r: r.case_id.state in DONE_STATES and old_stages[r.case_id.id][1] not in DONE_STATES
            )
            clocks = done._sla_reach(now, clocks)
            touched |= reopened | resumed
        for field_name, target in EVENT_FIELDS.items():
            if vals.get(field_name):
                cases.sla_ids.filtered(lambda r, t=target: r.target == t)._sla_reach(now, clocks)
        if touched:
            Sla._sla_schedule(touched.mapped("next_escalation_at"))

    def _sla_reselect(self, now):
        """Re-select the policy after a change of service, group or priority."""
        Policy = self.env["service.desk.sla.policy"]
        policies = Policy._select_for_cases(self)
        touched = self.env["service.desk.case.sla"].sudo()
        bodies = {}
        start = self.browse()
        for case in self:
            new, old = policies.get(case.id) or Policy, case.sla_policy_id
            if new == old:
                continue
            if not case.sla_ids:
                start |= case
            elif new:
                rows = case.sla_ids._sla_open()
                rows._sla_retarget(new, now)
                touched |= rows
                case.sla_policy_id = new
            else:
                case.sla_ids.filtered(lambda r: r.state in SLA_OPEN_STATES).unlink()
                case.sla_policy_id = False
            bodies[case.id] = Markup("<p>%s</p>") % self.env._(
                "SLA policy changed from '%(old)s' to '%(new)s': running deadlines recomputed.",
                old=old.display_name or "-",
                new=new.display_name or "-",
            )
        if start:
            start._sla_start(now, policies)
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies=bodies)
        return touched

    # ------------------------------------------------------------------
    # Changes made by the escalation ladder
    # ------------------------------------------------------------------

    @contextmanager
    def _sla_policy_kept(self):
        """Changes of group or priority made inside keep these cases' SLA policy.

        The promise made to the customer does not change because the SLA
        ladder raised the priority or handed the case to another line.
        """
        kept = self.env.cr.cache.setdefault(KEPT_POLICY_KEY, set())
        added = set(self.ids) - kept
        kept |= added
        try:
            yield
        finally:
            kept -= added

    def _sla_hand_to_next_line(self, reason):
        """Hand the cases to a group of the next support line, keeping their SLA policy.

        Returns the cases handed over (see ``_escalate_to_next_line``).
        """
        with self._sla_policy_kept():
            return self._escalate_to_next_line(reason)

    def _sla_raise_priority(self, steps):
        """Raise the priority of each case by ``steps[case.id]`` (capped), keeping the SLA policy."""
        keys = self._fields["priority"].get_values(self.env)
        by_priority = {}
        for case in self:
            if case.priority not in keys:
                continue
            index = min(keys.index(case.priority) + steps.get(case.id, 1), len(keys) - 1)
            if keys[index] != case.priority:
                by_priority.setdefault(keys[index], []).append(case.id)
        with self._sla_policy_kept():
            for priority, ids in by_priority.items():
                self.browse(ids).write({"priority": priority})
