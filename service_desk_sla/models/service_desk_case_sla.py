# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from pytz import timezone, utc

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .service_desk_sla_data import SLA_STATES, TARGETS
from .sla_clock import WINDOW, SlaClocks

_logger = logging.getLogger(__name__)

# A row the escalation job could not process is retried this much later.
RETRY_DELAY = timedelta(hours=1)


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
    explanation = fields.Text(readonly=True)

    def _compute_display_name(self):
        labels = dict(self._fields["target"]._description_selection(self.env))
        for row in self:
            row.display_name = f"{row.case_id.display_name} - {labels.get(row.target, '')}"

    # ------------------------------------------------------------------
    # Clock operations (batched: one interval read per calendar)
    # ------------------------------------------------------------------

    def _sla_open(self):
        """Rows whose target is not reached yet."""
        return self.filtered(
            lambda r: r.state in ("running", "paused") or (r.state == "breached" and not r.reached_date)
        )

    @api.model
    def _sla_prepare_clocks(self, rows, field, clocks=None):
        clocks = clocks if clocks is not None else SlaClocks()
        by_calendar = defaultdict(list)
        for row in rows:
            if row[field]:
                by_calendar[row.policy_id.calendar_id].append(row[field])
        for calendar, moments in by_calendar.items():
            if calendar:
                clocks.get_clock(calendar).prepare(min(moments), max(moments) + WINDOW)
        return clocks

    def _sla_plan(self, now, clocks=None):
        """(Re)compute deadline, warning and next escalation of running rows."""
        rows = self.filtered(lambda r: r.state == "running")
        clocks = self._sla_prepare_clocks(rows, "clock_start", clocks)
        for row in rows:
            policy = row.policy_id
            clock = clocks.get_clock(policy.calendar_id)
            left = row.target_hours - row.consumed_hours
            deadline = clock.plan(row.clock_start, left) if left > 0 else row.clock_start
            vals = {"deadline": deadline, "remaining_hours": 0.0}
            if not row.start_date:
                vals["start_date"] = clock.plan(row.clock_start, 0) or row.clock_start
            warning = False
            if policy.warning_percent and not row.warning_sent and deadline:
                warn_left = row.target_hours * policy.warning_percent / 100.0 - row.consumed_hours
                warning = clock.plan(row.clock_start, warn_left) if warn_left > 0 else row.clock_start
            vals["warning_date"] = warning
            vals["next_escalation_at"] = min(d for d in (warning, deadline) if d) if deadline else False
            if deadline and deadline <= now:
                vals["next_escalation_at"] = now
            row.write(vals)
            row.explanation = row._sla_explain()
        return clocks

    def _sla_pause(self, now, clocks=None):
        rows = self.filtered(lambda r: r.state == "running")
        clocks = self._sla_prepare_clocks(rows, "clock_start", clocks)
        for row in rows:
            clock = clocks.get_clock(row.policy_id.calendar_id)
            consumed = row.consumed_hours + clock.duration(row.clock_start, now)
            row.write(
                {
                    "state": "paused",
                    "consumed_hours": consumed,
                    "remaining_hours": max(row.target_hours - consumed, 0.0),
                    "paused_since": now,
                    "deadline": False,
                    "warning_date": False,
                    "next_escalation_at": False,
                }
            )
            row.explanation = row._sla_explain()
        return clocks

    def _sla_resume(self, now, clocks=None):
        rows = self.filtered(lambda r: r.state == "paused")
        clocks = self._sla_prepare_clocks(rows, "paused_since", clocks)
        for row in rows:
            clock = clocks.get_clock(row.policy_id.calendar_id)
            paused = clock.duration(row.paused_since, now) if row.paused_since else 0.0
            row.write(
                {
                    "state": "running",
                    "paused_hours": row.paused_hours + paused,
                    "paused_since": False,
                    "clock_start": now,
                }
            )
        rows._sla_plan(now, clocks)
        return clocks

    def _sla_reach(self, now, clocks=None):
        """The target's event happened: met, or breached when late; the ladder stops."""
        rows = self._sla_open()
        running = rows.filtered(lambda r: r.state in ("running", "breached"))
        clocks = self._sla_prepare_clocks(running, "clock_start", clocks)
        for row in rows:
            clock = clocks.get_clock(row.policy_id.calendar_id)
            elapsed = row.consumed_hours
            if row in running:
                elapsed += clock.duration(row.clock_start, now)
            if row.state == "breached":
                state = "breached"
            elif row.state == "paused":
                state = "met" if elapsed <= row.target_hours + 1e-6 else "breached"
            else:
                state = "met" if row.deadline and now <= row.deadline else "breached"
            row.write(
                {
                    "state": state,
                    "reached_date": now,
                    "elapsed_hours": elapsed,
                    "consumed_hours": elapsed,
                    "paused_since": False,
                    "remaining_hours": 0.0,
                    "next_escalation_at": False,
                }
            )
            row.explanation = row._sla_explain()
        return clocks

    def _sla_reopen(self, now, clocks=None):
        """Resume met rows with the working time that was left."""
        rows = self.filtered(lambda r: r.state == "met")
        rows.write({"state": "running", "clock_start": now, "reached_date": False, "elapsed_hours": 0.0})
        return rows._sla_plan(now, clocks)

    def _sla_retarget(self, policy, now, clocks=None):
        """Move open rows to ``policy``: new targets, same consumed time."""
        rows = self._sla_open()
        for row in rows:
            target_hours = policy._target_hours(row.target)
            vals = {"policy_id": policy.id, "target_hours": target_hours}
            if row.state == "paused":
                vals["remaining_hours"] = max(target_hours - row.consumed_hours, 0.0)
            row.write(vals)
        clocks = rows._sla_plan(now, clocks)
        for row in rows.filtered(lambda r: r.state != "running"):
            row.explanation = row._sla_explain()
        return clocks

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
        elif self.state == "running" and self.deadline:
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
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _sla_cron(self):
        return self.env.ref("service_desk_sla.ir_cron_sla_escalate", raise_if_not_found=False)

    @api.model
    def _sla_schedule(self, moments):
        """Wake the escalation job up at the earliest of ``moments``."""
        moments = [m for m in moments if m]
        cron = self._sla_cron()
        if cron and moments:
            cron.sudo()._trigger(at=min(moments))

    @api.model
    def _sla_lock_due(self, now, limit):
        """Take up to ``limit`` due rows, locked; rows locked by another run are skipped."""
        self.flush_model(["next_escalation_at"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM service_desk_case_sla WHERE next_escalation_at <= %s "
                "ORDER BY next_escalation_at, id LIMIT %s FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _sla_escalate_safely(self, now):
        """Escalate the batch; when it fails, row by row, skipping broken rows."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                broken = self._sla_escalate(now)
        except Exception:
            _logger.exception("SLA escalation batch failed, retrying row by row")
            broken = self.browse()
            for row in self:
                try:
                    with cr.savepoint():
                        broken |= row._sla_escalate(now)
                except Exception:
                    _logger.exception("SLA row %s (case %s) skipped", row.id, row.case_id.id)
                    broken |= row
        if broken:
            # retried later: one broken case never blocks the queue
            broken.write({"next_escalation_at": now + RETRY_DELAY})
        return self - broken

    def _sla_escalate(self, now):
        """Send the warning or the due escalation levels of due rows.

        The new level is written in the same transaction as the queued
        emails. Returns the rows that could not be processed.
        """
        rows = self.sudo()
        # prefetch the org chart of the batch
        rows.mapped("case_id.team_id.department_id.parent_id.manager_id.user_id.partner_id")
        rows.mapped("case_id.team_id.department_id.manager_id.work_contact_id")
        rows.mapped("case_id.team_id.member_ids.partner_id")
        rows.mapped("policy_id.escalation_level_ids.user_ids.partner_id")
        clocks = self._sla_prepare_clocks(rows.filtered("deadline"), "deadline")
        out = {"mails": [], "notes": defaultdict(list), "activities": [], "raise": [], "next_line": []}
        broken = rows.browse()
        for row in rows:
            try:
                row._sla_escalate_row(now, clocks, out)
            except Exception:
                _logger.exception("SLA row %s (case %s) could not be escalated", row.id, row.case_id.id)
                broken |= row
        if out["mails"]:
            self.env["mail.mail"].sudo().create(out["mails"])
        if out["activities"]:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(out["activities"])
        Case = self.env["service.desk.case"].sudo().with_context(sd_sla_no_reselect=True)
        by_priority = defaultdict(list)
        for case in out["raise"]:
            by_priority[str(min(int(case.priority) + 1, 3))].append(case.id)
        for priority, ids in by_priority.items():
            Case.browse(ids).write({"priority": priority})
        for case, reason in out["next_line"]:
            if not case.with_context(sd_sla_no_reselect=True)._escalate_to_next_line(reason):
                out["notes"][case.id].append(self.env._("No next support line to hand the case to."))
        if out["notes"]:
            Case.browse(list(out["notes"]))._message_log_batch(
                bodies={case_id: Markup("<br/>").join(notes) for case_id, notes in out["notes"].items()}
            )
        return broken

    def _sla_escalate_row(self, now, clocks, out):
        """Decide what is due for this row; writes only when everything is ready."""
        self.ensure_one()
        case, policy = self.case_id, self.policy_id
        labels = dict(self._fields["target"]._description_selection(self.env))
        target = labels.get(self.target)
        notes, mails, activities = [], [], []
        vals = {}
        if self.state == "running" and self.deadline and self.deadline > now:
            if not self.warning_sent:
                partners = (case.user_id or case.team_id.member_ids or case.team_id.leader_id).partner_id
                template = self.env.ref("service_desk_sla.mail_template_sla_warning", raise_if_not_found=False)
                if partners and template:
                    mails.append(self._sla_mail_values(template, partners, level_number=0))
                notes.append(
                    self.env._(
                        "SLA at risk: %(target)s due %(deadline)s; notified %(who)s.",
                        target=target,
                        deadline=fields.Datetime.to_string(self.deadline),
                        who=", ".join(partners.mapped("name")) or "-",
                    )
                )
            vals.update(warning_sent=True, next_escalation_at=self.deadline)
        else:
            if self.state == "running":
                vals["state"] = "breached"
                notes.append(self.env._("SLA breached: %s.", target))
            levels = policy.escalation_level_ids.sorted(lambda lv: (lv.sequence, lv.id))
            level_number = self.escalation_level
            next_at = False
            while level_number < len(levels):
                level = levels[level_number]
                at = self._sla_level_time(level, clocks)
                if at > now:
                    next_at = at
                    break
                level_number += 1
                partners, missing = self._sla_level_recipients(level)
                for who in missing:
                    notes.append(
                        self.env._(
                            "Escalation level %(number)s (%(target)s): no %(who)s to notify, skipped.",
                            number=level_number,
                            target=target,
                            who=who,
                        )
                    )
                template = level.mail_template_id
                if partners and template:
                    mails.append(self._sla_mail_values(template, partners, level_number=level_number))
                if partners:
                    notes.append(
                        self.env._(
                            "Escalation level %(number)s (%(target)s): notified %(who)s.",
                            number=level_number,
                            target=target,
                            who=", ".join(partners.mapped("name")),
                        )
                    )
                if level.schedule_activity:
                    users = partners.user_ids.filtered(lambda u: not u.share)
                    activities += [
                        {
                            "res_model_id": self.env["ir.model"]._get_id("service.desk.case"),
                            "res_id": case.id,
                            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                            "summary": self.env._("SLA breached: %s", target),
                            "user_id": user.id,
                            "date_deadline": fields.Date.context_today(self, now),
                        }
                        for user in users
                    ]
                if level.raise_priority and case.priority != "3":
                    out["raise"].append(case)
                if level.escalate_next_line:
                    out["next_line"].append(
                        (case, self.env._("SLA breached (%(target)s), level %(n)s", target=target, n=level_number))
                    )
            vals.update(escalation_level=level_number, next_escalation_at=next_at)
        self.write(vals)
        out["mails"] += mails
        out["activities"] += activities
        out["notes"][case.id] += notes

    def _sla_level_time(self, level, clocks):
        self.ensure_one()
        if level.delay_type == "working" and level.delay_hours:
            moment = clocks.get_clock(self.policy_id.calendar_id).plan(self.deadline, level.delay_hours)
            if moment:
                return moment
        return self.deadline + timedelta(hours=level.delay_hours)

    @api.model
    def _sla_employee_partner(self, employee):
        return employee.user_id.partner_id or employee.work_contact_id

    def _sla_level_recipients(self, level):
        """Partners to notify for ``level``, and the labels of missing recipients."""
        self.ensure_one()
        team = self.case_id.team_id
        department = team.department_id
        partners = self.env["res.partner"]
        missing = []
        if level.notify_team_leader:
            if team.leader_id:
                partners |= team.leader_id.partner_id
            else:
                missing.append(self.env._("group leader"))
        if level.notify_department_manager:
            manager = self._sla_employee_partner(department.manager_id)
            if manager:
                partners |= manager
            else:
                missing.append(self.env._("department manager"))
        if level.notify_parent_department_manager:
            manager = self._sla_employee_partner(department.parent_id.manager_id)
            if manager:
                partners |= manager
            else:
                missing.append(self.env._("parent department manager"))
        partners |= level.user_ids.partner_id
        return partners, missing

    def _sla_mail_values(self, template, partners, level_number):
        """Values of a queued ``mail.mail`` rendered from ``template`` on this row."""
        self.ensure_one()
        rendered = (
            template.sudo()
            .with_context(sla_level_number=level_number)
            ._generate_template(self.ids, ("subject", "body_html", "email_from", "reply_to"))[self.id]
        )
        return {
            "subject": rendered.get("subject"),
            "body_html": rendered.get("body_html"),
            "email_from": rendered.get("email_from") or self.case_id.company_id.email_formatted,
            "reply_to": rendered.get("reply_to"),
            "recipient_ids": [Command.set(partners.ids)],
            "model": "service.desk.case",
            "res_id": self.case_id.id,
            "auto_delete": template.auto_delete,
        }

    @api.model
    def _cron_escalate(self, batch_size=200):
        """Escalate one bounded batch of due rows, then plan the next run."""
        now = fields.Datetime.now()
        rows = self._sla_lock_due(now, batch_size)
        done = rows._sla_escalate_safely(now) if rows else rows
        remaining = 0
        if len(rows) >= batch_size:
            self.env.cr.execute(SQL("SELECT count(*) FROM service_desk_case_sla WHERE next_escalation_at <= %s", now))
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        if not remaining:
            self.flush_model(["next_escalation_at"])
            self.env.cr.execute(
                SQL("SELECT min(next_escalation_at) FROM service_desk_case_sla WHERE next_escalation_at > %s", now)
            )
            self._sla_schedule([self.env.cr.fetchone()[0]])
        return done
