# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One SLA target of a case: its clock (start, pause, resume, reach, deadline).

The escalation ladder that reads these rows is ``service.desk.sla.escalation``
(``service_desk_sla_escalation.py``).
"""

from collections import defaultdict
from datetime import timedelta

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .service_desk_sla_data import SLA_OPEN_STATES, SLA_STATES, TARGETS
from .sla_clock import WINDOW, SlaClocks


class ServiceDeskCaseSla(models.Model):
    _name = "service.desk.case.sla"
    _description = "Service Desk Case SLA"
    _order = "deadline, id"
    _check_company_auto = True

    case_id = fields.Many2one("service.desk.case", string="Case", required=True, index=True, ondelete="cascade")
    policy_id = fields.Many2one(
        "service.desk.sla.policy", string="Policy", required=True, index=True, ondelete="restrict"
    )
    target = fields.Selection(TARGETS, required=True)
    company_id = fields.Many2one(
        related="case_id.company_id", string="Company", store=True, index=True, precompute=True
    )
    team_id = fields.Many2one(related="case_id.team_id", string="Group", store=True, index=True, precompute=True)
    calendar_id = fields.Many2one(related="policy_id.calendar_id", string="Working Hours")
    target_hours = fields.Float(help="Target of the policy, in working hours.")
    start_date = fields.Datetime(string="Clock Started", help="First working moment after the case was registered.")
    clock_start = fields.Datetime(string="Clock Running Since", help="Start, or the last resume after a pause.")
    consumed_hours = fields.Float(help="Working hours used before the clock last (re)started, pauses excluded.")
    deadline = fields.Datetime(index=True, help="When the running clock runs out.")
    warning_date = fields.Datetime(string="At Risk From")
    warning_sent = fields.Boolean(string="At Risk", readonly=True)
    state = fields.Selection(SLA_STATES, required=True, default="running", index=True)
    remaining_hours = fields.Float(help="Working hours left, stored while the clock is paused.")
    time_left_hours = fields.Float(
        string="Working Time Left",
        compute="_compute_time_left_hours",
        help="Working hours left until the deadline, counted now in the policy's working hours "
        "(negative: overdue by that much). A paused clock keeps what was left when it stopped.",
    )
    paused_since = fields.Datetime()
    paused_hours = fields.Float(string="Paused (working h)", help="Working hours spent paused.")
    reached_date = fields.Datetime(string="Reached On")
    elapsed_hours = fields.Float(
        aggregator="avg",
        help="Working hours from the clock start to the event, paused time excluded.",
    )
    escalation_level = fields.Integer(help="Last escalation level sent (0: none).")
    next_escalation_at = fields.Datetime(
        index="btree_not_null",
        help="When the escalation job next looks at this row: the warning, the breach or the next escalation level.",
    )
    escalation_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the escalation job could not process this row. After a few failed attempts "
        "the row is no longer retried until an administrator retries it.",
    )
    escalation_attempts = fields.Integer(readonly=True, copy=False, help="Failed escalation attempts in a row.")
    explanation = fields.Text(compute="_compute_explanation", help="How the deadline was computed.")

    @api.depends("state", "target_hours", "consumed_hours", "clock_start", "reached_date", "policy_id.calendar_id")
    def _compute_time_left_hours(self):
        """Counted on read, so that a running clock never shows a stale figure.

        One read of the working intervals per calendar, for the whole batch.
        """
        now = fields.Datetime.now()
        running = self.filtered(lambda r: r._sla_counting() and r.clock_start)
        clocks = SlaClocks()
        by_calendar = defaultdict(list)
        for row in running:
            by_calendar[row.policy_id.sudo().calendar_id].append(row.clock_start)
        for calendar, starts in by_calendar.items():
            if calendar and min(starts) < now:
                clocks.get_clock(calendar).prepare(min(starts), now)
        for row in self:
            if row in running:
                clock = clocks.get_clock(row.policy_id.sudo().calendar_id)
                row.time_left_hours = row.target_hours - row.consumed_hours - clock.duration(row.clock_start, now)
            elif row.state == "paused":
                # frozen: what was left when the clock stopped (negative when it stopped late)
                row.time_left_hours = row.target_hours - row.consumed_hours
            else:
                row.time_left_hours = 0.0

    def _compute_display_name(self):
        labels = dict(self._fields["target"]._description_selection(self.env))
        for row in self:
            row.display_name = f"{row.case_id.display_name} - {labels.get(row.target, '')}"

    @api.depends_context("lang")
    @api.depends(
        "target",
        "target_hours",
        "policy_id.calendar_id.tz",
        "start_date",
        "clock_start",
        "consumed_hours",
        "deadline",
        "state",
        "remaining_hours",
        "paused_since",
        "paused_hours",
        "reached_date",
        "elapsed_hours",
    )
    def _compute_explanation(self):
        """Rendered on read, in the reader's language."""
        for row in self:
            row.explanation = row._sla_explain() if row.policy_id else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry_escalation(self):
        """Put rows the escalation job gave up on back in its queue."""
        now = fields.Datetime.now()
        rows = self.filtered("escalation_error")
        rows.write({"escalation_error": False, "escalation_attempts": 0, "next_escalation_at": now})
        self._sla_schedule([now] if rows else [])
        return True

    # ------------------------------------------------------------------
    # Clock operations (batched: one interval read per calendar, one
    # write per distinct set of values)
    # ------------------------------------------------------------------

    @api.model
    def _sla_write_grouped(self, vals_by_row):
        """Write ``{row: vals}`` with one ``write`` per distinct set of values."""
        groups = defaultdict(list)
        for row, vals in vals_by_row.items():
            groups[tuple(sorted(vals.items()))].append(row.id)
        for items, ids in groups.items():
            self.browse(ids).write(dict(items))

    def _sla_counting(self):
        """Whether the clock of this row runs now (late rows flagged breached keep counting)."""
        self.ensure_one()
        return self.state == "running" or (self.state == "breached" and not self.reached_date)

    def _sla_live_status(self, now):
        """Status of these rows (one case's) at ``now``, without waiting for the escalation job.

        Same vocabulary as the stored ``service.desk.case.sla_status``; a
        deadline already past reads as breached at once.
        """
        if not self:
            return False
        for row in self:
            if row.state == "breached":
                return "breached"
            if row.state == "running" and row.deadline and row.deadline <= now:
                return "breached"
            if row.state == "paused" and row.remaining_hours <= 0:
                return "breached"
        running = self.filtered(lambda r: r.state == "running")
        if any(r.warning_sent or (r.warning_date and r.warning_date <= now) for r in running):
            return "at_risk"
        return "on_track"

    @api.model
    def _sla_live_domains(self, now):
        """Domains on the rows matching :meth:`_sla_live_status`: ``(breached, at risk)``."""
        breached = expression.OR(
            [
                [("state", "=", "breached")],
                [("state", "=", "running"), ("deadline", "<=", now)],
                [("state", "=", "paused"), ("remaining_hours", "<=", 0)],
            ]
        )
        at_risk = [
            ("state", "=", "running"),
            "|",
            ("warning_sent", "=", True),
            ("warning_date", "<=", now),
        ]
        return breached, at_risk

    def _sla_open(self):
        """Rows whose target is not reached yet."""
        return self.filtered(lambda r: r.state in SLA_OPEN_STATES or (r.state == "breached" and not r.reached_date))

    def _sla_calendar(self):
        """The working hours this row counts in (from the policy's cached settings: no query)."""
        self.ensure_one()
        settings = self.env["service.desk.sla.policy"]._clock_settings(self.policy_id.id)
        return self.env["resource.calendar"].browse(settings.calendar_id)

    @api.model
    def _sla_prepare_clocks(self, rows, field, clocks=None):
        clocks = clocks if clocks is not None else SlaClocks()
        by_calendar = defaultdict(list)
        for row in rows:
            if row[field]:
                by_calendar[row._sla_calendar()].append(row[field])
        for calendar, moments in by_calendar.items():
            if calendar:
                clocks.get_clock(calendar).prepare(min(moments), max(moments) + WINDOW)
        return clocks

    def _sla_plan(self, now, clocks=None):
        """(Re)compute deadline, warning and next escalation of running rows."""
        rows = self.filtered(lambda r: r.state == "running")
        clocks = self._sla_prepare_clocks(rows, "clock_start", clocks)
        vals_by_row = {}
        for row in rows:
            vals_by_row[row] = self._sla_plan_values(
                row.policy_id.id,
                row.clock_start,
                row.target_hours,
                now,
                clocks,
                consumed_hours=row.consumed_hours,
                start_date=row.start_date,
                warning_sent=row.warning_sent,
            )
        self._sla_write_grouped(vals_by_row)
        return clocks

    @api.model
    def _sla_plan_values(
        self, policy_id, clock_start, target_hours, now, clocks, consumed_hours=0.0, start_date=None, warning_sent=False
    ):
        """Deadline, warning and next escalation of a clock running since
        ``clock_start``: the values to write on a row, or to create it with
        (``_sla_start`` plans before the INSERT, so no UPDATE follows it)."""
        settings = self.env["service.desk.sla.policy"]._clock_settings(policy_id)
        clock = clocks.get_clock(self.env["resource.calendar"].browse(settings.calendar_id))
        left = target_hours - consumed_hours
        deadline = clock.plan(clock_start, left) if left > 0 else clock_start
        vals = {"deadline": deadline, "remaining_hours": 0.0}
        if not start_date:
            vals["start_date"] = clock.plan(clock_start, 0) or clock_start
        warning = False
        if settings.warning_percent and not warning_sent and deadline:
            warn_left = target_hours * settings.warning_percent / 100.0 - consumed_hours
            warning = clock.plan(clock_start, warn_left) if warn_left > 0 else clock_start
        vals["warning_date"] = warning
        vals["next_escalation_at"] = min(d for d in (warning, deadline) if d) if deadline else False
        if deadline and deadline <= now:
            vals["next_escalation_at"] = now
        return vals

    def _sla_pause(self, now, clocks=None):
        rows = self.filtered(lambda r: r.state == "running")
        clocks = self._sla_prepare_clocks(rows, "clock_start", clocks)
        vals_by_row = {}
        for row in rows:
            clock = clocks.get_clock(row._sla_calendar())
            consumed = row.consumed_hours + clock.duration(row.clock_start, now)
            vals_by_row[row] = {
                "state": "paused",
                "consumed_hours": consumed,
                "remaining_hours": max(row.target_hours - consumed, 0.0),
                "paused_since": now,
                "deadline": False,
                "warning_date": False,
                "next_escalation_at": False,
            }
        self._sla_write_grouped(vals_by_row)
        return clocks

    def _sla_resume(self, now, clocks=None):
        rows = self.filtered(lambda r: r.state == "paused")
        clocks = self._sla_prepare_clocks(rows, "paused_since", clocks)
        vals_by_row = {}
        for row in rows:
            clock = clocks.get_clock(row._sla_calendar())
            paused = clock.duration(row.paused_since, now) if row.paused_since else 0.0
            vals_by_row[row] = {
                "state": "running",
                "paused_hours": row.paused_hours + paused,
                "paused_since": False,
                "clock_start": now,
            }
        self._sla_write_grouped(vals_by_row)
        rows._sla_plan(now, clocks)
        return clocks

    def _sla_reach(self, now, clocks=None):
        """The target's event happened: met, or breached when late; the ladder stops."""
        rows = self._sla_open()
        running = rows.filtered(lambda r: r.state in ("running", "breached"))
        clocks = self._sla_prepare_clocks(running, "clock_start", clocks)
        vals_by_row = {}
        for row in rows:
            clock = clocks.get_clock(row._sla_calendar())
            elapsed = row.consumed_hours
            if row in running:
                elapsed += clock.duration(row.clock_start, now)
            if row.state == "breached":
                state = "breached"
            elif row.state == "paused":
                state = "met" if elapsed <= row.target_hours + 1e-6 else "breached"
            else:
                state = "met" if row.deadline and now <= row.deadline else "breached"
            vals_by_row[row] = {
                "state": state,
                "reached_date": now,
                "elapsed_hours": elapsed,
                "consumed_hours": elapsed,
                "paused_since": False,
                "remaining_hours": 0.0,
                "next_escalation_at": False,
                # nothing left to escalate
                "escalation_error": False,
                "escalation_attempts": 0,
            }
        self._sla_write_grouped(vals_by_row)
        return clocks

    def _sla_reopen(self, now, clocks=None):
        """Resume met rows with the working time that was left."""
        rows = self.filtered(lambda r: r.state == "met")
        rows.write({"state": "running", "clock_start": now, "reached_date": False, "elapsed_hours": 0.0})
        return rows._sla_plan(now, clocks)

    def _sla_retarget(self, policy, now, clocks=None):
        """Move open rows to ``policy``: new targets, same consumed time."""
        rows = self._sla_open()
        vals_by_row = {}
        for row in rows:
            target_hours = policy._target_hours(row.target)
            vals = {"policy_id": policy.id, "target_hours": target_hours}
            if row.state == "paused":
                vals["remaining_hours"] = max(target_hours - row.consumed_hours, 0.0)
            vals_by_row[row] = vals
        self._sla_write_grouped(vals_by_row)
        return rows._sla_plan(now, clocks)

    def _sla_explain(self):
        """How the deadline was computed, in the calendar's time zone."""
        self.ensure_one()
        policy, calendar = self.policy_id, self.policy_id.calendar_id
        tz_name = calendar.tz or "UTC"
        labels = dict(self._fields["target"]._description_selection(self.env))

        def local(dt):
            if not dt:
                return "-"
            return utc.localize(dt).astimezone(timezone(tz_name)).strftime("%Y-%m-%d %H:%M")

        lines = [
            self.env._(
                "%(target)s: %(hours)s working hours, policy '%(policy)s', calendar '%(calendar)s' "
                "(time zone %(tz)s, lunch breaks, weekends and public holidays excluded).",
                target=labels.get(self.target),
                hours=round(self.target_hours, 2),
                policy=policy.display_name,
                calendar=calendar.display_name,
                tz=tz_name,
            )
        ]
        first_run = not self.consumed_hours and not self.paused_hours and self.clock_start
        if self.start_date and first_run and self.start_date > self.clock_start + timedelta(minutes=1):
            lines.append(
                self.env._(
                    "Registered %(created)s outside working hours: the clock started at %(start)s.",
                    created=local(self.clock_start),
                    start=local(self.start_date),
                )
            )
        elif self.start_date:
            lines.append(self.env._("Clock started at %s.", local(self.start_date)))
        if self.paused_hours or self.state == "paused":
            lines.append(self.env._("Paused for %s working hours so far.", round(self.paused_hours, 2)))
        if self.state == "paused":
            lines.append(
                self.env._(
                    "Paused since %(since)s with %(left)s working hours left.",
                    since=local(self.paused_since),
                    left=round(self.remaining_hours, 2),
                )
            )
        elif self.state in ("running", "breached") and self.deadline and not self.reached_date:
            if self.consumed_hours:
                lines.append(
                    self.env._(
                        "%(used)s working hours used before the clock resumed at %(start)s.",
                        used=round(self.consumed_hours, 2),
                        start=local(self.clock_start),
                    )
                )
            lines.append(self.env._("Deadline %(deadline)s (%(tz)s).", deadline=local(self.deadline), tz=tz_name))
        elif self.state == "running":
            lines.append(self.env._("No working time in the calendar: no deadline could be computed."))
        if self.reached_date:
            lines.append(
                self.env._(
                    "Reached %(date)s after %(hours)s working hours.",
                    date=local(self.reached_date),
                    hours=round(self.elapsed_hours, 2),
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Waking the escalation job up
    # ------------------------------------------------------------------

    @api.model
    def _sla_cron(self):
        # the id is cached by ir.model.data: no query per case (env.ref checks existence)
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "service_desk_sla.ir_cron_sla_escalate", raise_if_not_found=False
        )
        return self.env["ir.cron"].browse(cron_id) if cron_id else None

    @api.model
    def _sla_schedule(self, moments):
        """Wake the escalation job up at the earliest of ``moments``.

        Nothing to do when the job's next regular run, or a wake-up already
        planned, comes first: each run plans the next one itself (no trigger
        row per created case).
        """
        moments = [m for m in moments if m]
        cron = self._sla_cron()
        if not cron or not moments:
            return
        cron, at, now = cron.sudo(), min(moments), fields.Datetime.now()
        # one query: the job's next regular run, and whether a wake-up that
        # has not come yet is already planned no later than ``at`` (a trigger
        # already past may be the one the job is running for: it is deleted
        # when the run ends, so it does not count)
        self.env["ir.cron"].flush_model(["active", "nextcall"])
        self.env["ir.cron.trigger"].flush_model(["cron_id", "call_at"])
        self.env.cr.execute(
            SQL(
                """SELECT cron.active, cron.nextcall,
                          EXISTS (SELECT 1 FROM ir_cron_trigger
                                   WHERE cron_id = cron.id AND call_at > %(now)s AND call_at <= %(at)s)
                     FROM ir_cron cron
                    WHERE cron.id = %(cron_id)s""",
                now=now,
                at=at,
                cron_id=cron.id,
            )
        )
        active, nextcall, planned = self.env.cr.fetchone()
        if (active and now < nextcall <= at) or planned:
            return
        cron._trigger(at=at)

    @api.model
    def _cron_escalate(self, batch_size=200):
        """Entry point of the escalation cron (kept here: the cron record calls it)."""
        return self.env["service.desk.sla.escalation"]._cron_escalate(batch_size=batch_size)
