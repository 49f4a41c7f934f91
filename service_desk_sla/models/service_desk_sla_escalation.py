# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The escalation job: warnings and the escalation ladder of due SLA rows.

One run takes a bounded batch of due rows (locked, with their cases, so that
a concurrent run takes other rows), decides per row what is due, renders each
(template, level, recipients' language) once over all its rows, and applies
the batch at once:
queued mails, activities, priority raises, hand-offs to the next line and
notes on the cases.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.service_desk_cases.models.mail_template import COMPILED_RENDERING_KEY

_logger = logging.getLogger(__name__)

# A row the job could not process is retried this much later...
RETRY_DELAY = timedelta(hours=1)
# ...this many times in a row; then it waits for an administrator.
MAX_ATTEMPTS = 3
# Rows left to a concurrent run are looked at again this much later.
CONFLICT_DELAY = timedelta(minutes=1)
# Another transaction holds the rows or the cases: not the row's fault.
CONFLICT_ERRORS = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)
MAIL_FIELDS = ("subject", "body_html", "email_from", "reply_to")
ERROR_TEXT_SIZE = 500


def error_text(error):
    """A short account of ``error`` for the row and the case (no traceback)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    cause = error.__cause__
    if cause is not None:
        cause_lines = [line for line in str(cause).splitlines() if line.strip()]
        text = f"{text} ({type(cause).__name__}: {cause_lines[0] if cause_lines else ''})"
    return text[:ERROR_TEXT_SIZE]


@dataclass
class EscalationStep:
    """One message due for a row: the warning (number 0) or an escalation level."""

    number: int
    level: object  # service.desk.escalation.level (empty for the warning)
    partners: object  # res.partner
    missing: list
    template: object  # mail.template

    def partners_by_lang(self, default_lang):
        """The recipients grouped by their language: each reads the email in it."""
        return self.partners.grouped(lambda p: p.lang or default_lang)


@dataclass
class RowPlan:
    """What is due for one row, and its values once every step went out."""

    row: object
    steps: list
    vals: dict
    notes: list


@dataclass
class EscalationBatch:
    """What one run sends and changes, collected over its rows, applied at once."""

    mails: list = field(default_factory=list)
    notes: dict = field(default_factory=lambda: defaultdict(list))  # case id -> notes
    activities: dict = field(default_factory=dict)  # (case id, user id, level id) -> values
    raise_priority: dict = field(default_factory=lambda: defaultdict(set))  # case id -> level ids
    next_line: dict = field(default_factory=dict)  # (case id, level id) -> reason
    now: object = None  # the run's time

    def keys(self):
        """What this batch does once per case and level (see ``seen`` of a run)."""
        return (
            {("activity", *key) for key in self.activities}
            | {("raise", case_id, level_id) for case_id, levels in self.raise_priority.items() for level_id in levels}
            | {("next_line", *key) for key in self.next_line}
        )


class ServiceDeskSlaEscalation(models.AbstractModel):
    _name = "service.desk.sla.escalation"
    _description = "Service Desk SLA Escalation Job"

    # ------------------------------------------------------------------
    # Locking
    # ------------------------------------------------------------------

    @api.model
    def _lock_due(self, now, limit):
        """Take up to ``limit`` due rows, locked with their cases.

        Rows, or cases, locked by another run are skipped: two runs never
        work on the same case at once.
        """
        Sla = self.env["service.desk.case.sla"]
        Sla.flush_model(["next_escalation_at"])
        self.env.cr.execute(
            SQL(
                "SELECT s.id FROM service_desk_case_sla s JOIN service_desk_case c ON c.id = s.case_id "
                "WHERE s.next_escalation_at <= %s ORDER BY s.next_escalation_at, s.id LIMIT %s "
                "FOR NO KEY UPDATE OF s, c SKIP LOCKED",
                now,
                limit,
            )
        )
        return Sla.browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------------
    # One batch
    # ------------------------------------------------------------------

    @api.model
    def _escalate_safely(self, rows, now):
        """Escalate the batch; when it fails, row by row, recording broken rows.

        Returns ``(done rows, conflict)``: ``conflict`` when another
        transaction held something the batch needed (its rows are left due,
        untouched, for the next run).
        """
        cr = self.env.cr
        seen = set()
        try:
            with cr.savepoint():
                broken = self._escalate(rows, now, seen)
            return rows - broken, False
        except CONFLICT_ERRORS as error:
            _logger.info("SLA escalation batch left to a concurrent transaction: %s", error)
            return rows.browse(), True
        except Exception:
            _logger.exception("SLA escalation batch failed, retrying row by row")
        broken, conflict, errors = rows.browse(), False, {}
        for row in rows:
            try:
                with cr.savepoint():
                    broken |= self._escalate(row, now, seen)
            except CONFLICT_ERRORS:
                conflict = True
                broken |= row
            except Exception as error:
                _logger.exception("SLA row %s (case %s) skipped", row.id, row.case_id.id)
                errors[row] = error_text(error)
                broken |= row
        if errors:
            notes = defaultdict(list)
            self._write_failures(errors, now, notes)
            self._log_notes(notes)
        return rows - broken, conflict

    @api.model
    def _escalate(self, rows, now, seen):
        """Send the warning or the due escalation levels of ``rows``.

        The new levels are written in the same transaction as the queued
        mails. ``seen`` holds what this run already did once per case and
        level. Returns the rows that failed (recorded on the rows).
        """
        rows = rows.sudo()
        # prefetch the org chart of the batch
        rows.mapped("case_id.team_id.department_id.parent_id.manager_id.user_id.partner_id")
        rows.mapped("case_id.team_id.department_id.manager_id.work_contact_id")
        rows.case_id.team_id._get_staff().partner_id  # noqa: B018
        rows.mapped("policy_id.escalation_level_ids.user_ids.partner_id")
        Sla = self.env["service.desk.case.sla"].sudo()
        clocks = Sla._sla_prepare_clocks(rows.filtered("deadline"), "deadline")
        plans, errors = [], {}
        for row in rows:
            try:
                plans.append(self._plan_row(row, now, clocks))
            except Exception as error:
                _logger.exception("SLA row %s (case %s) could not be escalated", row.id, row.case_id.id)
                errors[row] = error_text(error)
        rendered, failed = self._render(plans)
        batch = EscalationBatch(now=now)
        vals_by_row = {}
        for plan in plans:
            error = self._apply_row(plan, rendered, failed, batch, seen)
            if error:
                errors[plan.row] = error
                # what went out stays; the rest is retried
                vals_by_row[plan.row] = {
                    key: value for key, value in plan.vals.items() if key in ("state", "escalation_level")
                }
            else:
                vals_by_row[plan.row] = dict(plan.vals)
                if plan.row.escalation_error or plan.row.escalation_attempts:
                    vals_by_row[plan.row].update(escalation_error=False, escalation_attempts=0)
        Sla._sla_write_grouped({row: vals for row, vals in vals_by_row.items() if row not in errors})
        self._write_failures(errors, now, batch.notes, vals_by_row)
        self._apply_batch(batch)
        seen |= batch.keys()
        return rows.browse([row.id for row in errors])

    def _target_label(self, row):
        return dict(row._fields["target"]._description_selection(self.env)).get(row.target)

    @api.model
    def _plan_row(self, row, now, clocks):
        """What is due for ``row`` at ``now`` (nothing is written here)."""
        case = row.case_id
        steps, vals, notes = [], {}, []
        if row.state == "running" and row.deadline and row.deadline > now:
            if not row.warning_sent:
                partners = case.user_id.partner_id or case.team_id._get_staff().partner_id
                template = self.env.ref("service_desk_sla.mail_template_sla_warning", raise_if_not_found=False)
                steps.append(EscalationStep(0, self.env["service.desk.escalation.level"], partners, [], template))
            vals.update(warning_sent=True, next_escalation_at=row.deadline)
        else:
            if row.state == "running":
                vals["state"] = "breached"
                notes.append(self.env._("SLA breached: %s.", self._target_label(row)))
            levels = row.policy_id.escalation_level_ids.sorted(lambda lv: (lv.sequence, lv.id))
            number = row.escalation_level
            next_at = False
            while number < len(levels):
                level = levels[number]
                at = level._due_at(row, clocks)
                if at > now:
                    next_at = at
                    break
                number += 1
                partners, missing = level._recipients(case)
                steps.append(EscalationStep(number, level, partners, missing, level.mail_template_id))
            vals.update(escalation_level=number, next_escalation_at=next_at)
        return RowPlan(row, steps, vals, notes)

    @api.model
    def _default_lang(self):
        return self.env.lang or "en_US"

    @api.model
    def _render(self, plans):
        """Render each (template, level number, language) once over all its rows.

        The language is the recipients': a step whose recipients speak two
        languages is rendered in both. Returns ``(rendered, failed)``: the
        mail values keyed by (row id, number, language), and why the template
        could not be rendered, keyed by (row id, number).
        """
        groups = defaultdict(list)
        default_lang = self._default_lang()
        for plan in plans:
            for step in plan.steps:
                if step.template and step.partners:
                    for lang in step.partners_by_lang(default_lang):
                        groups[step.template, step.number, lang].append(plan.row.id)
        rendered, failed = {}, {}
        for (template, number, lang), row_ids in groups.items():
            template = template.sudo().with_context(
                sla_level_number=number, lang=lang, **{COMPILED_RENDERING_KEY: True}
            )
            try:
                values = template._generate_template(row_ids, MAIL_FIELDS)
            except UserError as error:
                # the renderer raises UserError: find the rows the template fails on
                values = {}
                if len(row_ids) == 1:
                    failed[row_ids[0], number] = error_text(error)
                    continue
                for row_id in row_ids:
                    try:
                        values.update(template._generate_template([row_id], MAIL_FIELDS))
                    except UserError as row_error:
                        _logger.warning("SLA template %s failed on row %s: %s", template.id, row_id, row_error)
                        failed[row_id, number] = error_text(row_error)
            for row_id, row_values in values.items():
                rendered[row_id, number, lang] = row_values
        return rendered, failed

    @api.model
    def _apply_row(self, plan, rendered, failed, batch, seen):
        """Add what went out for this row to ``batch``; returns the error that stopped it, if any."""
        row = plan.row
        case = row.case_id
        target = self._target_label(row)
        notes = batch.notes[case.id]
        notes += plan.notes
        for step in plan.steps:
            error = failed.get((row.id, step.number))
            if error:
                plan.vals["escalation_level"] = max(step.number - 1, row.escalation_level)
                return self.env._(
                    "Escalation level %(number)s (%(target)s): the email template '%(template)s' "
                    "could not be rendered: %(error)s",
                    number=step.number,
                    target=target,
                    template=step.template.display_name,
                    error=error,
                )
            for lang, partners in step.partners_by_lang(self._default_lang()).items():
                values = rendered.get((row.id, step.number, lang))
                if values is not None:
                    batch.mails.append(self._mail_values(row, step, values, partners))
            if not step.number:
                notes.append(
                    self.env._(
                        "SLA at risk: %(target)s due %(deadline)s; notified %(who)s.",
                        target=target,
                        deadline=fields.Datetime.to_string(row.deadline),
                        who=", ".join(step.partners.mapped("name")) or "-",
                    )
                )
                continue
            for who in step.missing:
                notes.append(
                    self.env._(
                        "Escalation level %(number)s (%(target)s): no %(who)s to notify, skipped.",
                        number=step.number,
                        target=target,
                        who=who,
                    )
                )
            if step.partners:
                notes.append(
                    self.env._(
                        "Escalation level %(number)s (%(target)s): notified %(who)s.",
                        number=step.number,
                        target=target,
                        who=", ".join(step.partners.mapped("name")),
                    )
                )
            level = step.level
            if level.schedule_activity:
                for user in step.partners.user_ids.filtered(lambda u: not u.share):
                    key = (case.id, user.id, level.id)
                    if ("activity", *key) in seen:
                        continue
                    if key in batch.activities:
                        batch.activities[key]["targets"].append(target)
                    else:
                        batch.activities[key] = {"targets": [target], "date": batch.now}
            if level.raise_priority and ("raise", case.id, level.id) not in seen:
                batch.raise_priority[case.id].add(level.id)
            if level.escalate_next_line and ("next_line", case.id, level.id) not in seen:
                batch.next_line.setdefault(
                    (case.id, level.id),
                    self.env._("SLA breached (%(target)s), level %(n)s", target=target, n=step.number),
                )
        return None

    @api.model
    def _mail_values(self, row, step, rendered, partners):
        """Values of a queued ``mail.mail`` of ``step`` to ``partners``, rendered on ``row``."""
        return {
            "subject": rendered.get("subject"),
            "body_html": rendered.get("body_html"),
            "email_from": rendered.get("email_from") or row.case_id.company_id.email_formatted,
            "reply_to": rendered.get("reply_to"),
            "recipient_ids": [Command.set(partners.ids)],
            "model": "service.desk.case",
            "res_id": row.case_id.id,
            "is_internal": True,
            "auto_delete": step.template.auto_delete,
        }

    @api.model
    def _write_failures(self, errors, now, notes, vals_by_row=None):
        """Record ``{row: error}``: retried later, given up after a few attempts.

        The case is told once, when the row starts failing.
        """
        vals_by_row = vals_by_row or {}
        failures = {}
        for row, error in errors.items():
            attempts = row.escalation_attempts + 1
            vals = dict(vals_by_row.get(row, {}))
            vals.update(
                escalation_error=error,
                escalation_attempts=attempts,
                next_escalation_at=False if attempts >= MAX_ATTEMPTS else now + RETRY_DELAY,
            )
            if not row.escalation_error:
                notes[row.case_id.id].append(
                    self.env._(
                        "The SLA escalation of %(target)s failed: %(error)s. It is retried %(count)s times, "
                        "then an administrator can retry it from the SLA targets (filter 'Escalation Errors').",
                        target=self._target_label(row),
                        error=error,
                        count=MAX_ATTEMPTS - 1,
                    )
                )
            failures[row] = vals
        self.env["service.desk.case.sla"].sudo()._sla_write_grouped(failures)

    @api.model
    def _apply_batch(self, batch):
        """Create the batch's mails and activities, raise priorities, hand over, log notes."""
        if batch.mails:
            self.env["mail.mail"].sudo().create(batch.mails)
        if batch.activities:
            self._create_activities(batch.activities)
        Case = self.env["service.desk.case"].sudo()
        raised = self._raise_priority(batch.raise_priority) if batch.raise_priority else {}
        for (case_id, _level_id), reason in batch.next_line.items():
            if not Case.browse(case_id)._sla_hand_to_next_line(reason):
                batch.notes[case_id].append(self.env._("No next support line to hand the case to."))
        self._log_notes(batch.notes, raised)

    @api.model
    def _raise_priority(self, levels_by_case):
        """Raise the priority of each case by one step per level (one write per
        new priority). Returns ``{case id: former priority}`` of the cases
        changed: their change is tracked on the escalation note of the case
        (see ``_log_notes``), not in a tracking message of its own per case.
        """
        cases = self.env["service.desk.case"].sudo().browse(list(levels_by_case))
        before = {case.id: case.priority for case in cases}
        cases.with_context(mail_notrack=True)._sla_raise_priority(
            {case_id: len(levels) for case_id, levels in levels_by_case.items()}
        )
        return {case.id: before[case.id] for case in cases if case.priority != before[case.id]}

    @api.model
    def _create_activities(self, activities):
        """One to-do per case, user and level, created in batches.

        ``mail.activity.create`` subscribes each user to the records of the
        batch; a case listed twice for one user would insert its follower
        twice, so one batch holds each (case, user) once.
        """
        model_id = self.env["ir.model"]._get_id("service.desk.case")
        todo = self.env.ref("mail.mail_activity_data_todo")
        rounds = []
        for (case_id, user_id, _level_id), data in activities.items():
            vals = {
                "res_model_id": model_id,
                "res_id": case_id,
                "activity_type_id": todo.id,
                "summary": self.env._("SLA breached: %s", ", ".join(dict.fromkeys(data["targets"]))),
                "user_id": user_id,
                "date_deadline": fields.Date.context_today(self, data["date"]),
            }
            for batch in rounds:
                if (case_id, user_id) not in batch:
                    batch[case_id, user_id] = vals
                    break
            else:
                rounds.append({(case_id, user_id): vals})
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        for batch in rounds:
            Activity.create(list(batch.values()))

    @api.model
    def _log_notes(self, notes, raised=None):
        """One note per case (one batch), with the priority change tracked on
        it for the cases in ``raised`` (``{case id: former priority}``)."""
        raised = raised or {}
        bodies = {case_id: Markup("<br/>").join(lines) for case_id, lines in notes.items() if lines}
        for case_id in raised:
            bodies.setdefault(case_id, Markup())
        if not bodies:
            return
        Case = self.env["service.desk.case"].sudo()
        messages = Case.browse(list(bodies))._message_log_batch(bodies=bodies)
        if raised:
            message_of = {message.res_id: message.id for message in messages}
            info = Case.fields_get(["priority"], attributes=("string", "type", "selection", "currency_field"))
            Tracking = self.env["mail.tracking.value"].sudo()
            values = []
            for case in Case.browse(list(raised)):
                vals = Tracking._create_tracking_values(
                    raised[case.id], case.priority, "priority", info["priority"], case
                )
                vals["mail_message_id"] = message_of[case.id]
                values.append(vals)
            Tracking.create(values)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_escalate(self, batch_size=200):
        """Escalate one bounded batch of due rows, then plan the next run."""
        now = fields.Datetime.now()
        Sla = self.env["service.desk.case.sla"]
        rows = self._lock_due(now, batch_size)
        done, conflict = self._escalate_safely(rows, now) if rows else (rows, False)
        remaining = 0
        if len(rows) >= batch_size:
            self.env.cr.execute(SQL("SELECT count(*) FROM service_desk_case_sla WHERE next_escalation_at <= %s", now))
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        if not remaining:
            Sla.flush_model(["next_escalation_at"])
            self.env.cr.execute(
                SQL("SELECT min(next_escalation_at) FROM service_desk_case_sla WHERE next_escalation_at > %s", now)
            )
            Sla._sla_schedule([self.env.cr.fetchone()[0], conflict and now + CONFLICT_DELAY])
        return done
