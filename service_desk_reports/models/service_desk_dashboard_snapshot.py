# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.json import json_default

# a snapshot younger than this is served as is (minutes, ir.config_parameter)
MAX_AGE_PARAM = "service_desk_reports.dashboard_max_age"
MAX_AGE_DEFAULT = 15
# the dashboard's data sources read the analysis with this context key: their
# grouped reads are served from a snapshot (service.desk.report.mixin.read_group)
DASHBOARD_CONTEXT_KEY = "service_desk_dashboard"
# a grouped read's snapshot is dropped this many days after it was first
# computed (the next load computes it again): filters nobody uses fade out
QUERY_KEEP_DAYS = 7
REPORT_MODELS = (
    "service.desk.case.report",
    "service.desk.sla.report",
    "service.desk.rating.report",
    "service.desk.backlog.report",
)


class ServiceDeskDashboardSnapshot(models.Model):
    """The dashboard figures (``service.desk.case.report.get_dashboard_data``)
    of one access scope, kept so that loading the dashboard reads one small
    row instead of aggregating the whole case history.

    A scope is what the record rules of the report models let a user read:
    supervisors and managers share one snapshot, an agent has his own. A
    snapshot is served while younger than ``MAX_AGE_PARAM`` minutes (15 by
    default); the cron refreshes the snapshots every 10 minutes as the user
    who last asked for them, and a load that finds none (or a stale one)
    computes the figures live and stores them.

    The spreadsheet's own grouped reads (one per chart and per KPI pivot,
    with the dashboard's filters) are kept the same way, one row per scope,
    read and language (``_get_read_group``), with the read in ``data``."""

    _name = "service.desk.dashboard.snapshot"
    _description = "Service Desk Dashboard Snapshot"
    _order = "id"
    _rec_name = "scope_key"

    scope_key = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Computed As", required=True, ondelete="cascade", readonly=True)
    allowed_company_ids = fields.Json(readonly=True, help="The companies the figures were computed for.")
    data = fields.Json(readonly=True)
    computed_at = fields.Datetime(string="Computed On", required=True, readonly=True)

    _sql_constraints = [
        ("scope_key_uniq", "unique (scope_key)", "There is one dashboard snapshot per access scope."),
    ]

    @api.model
    def _scope_key(self):
        """Identifies what the current user may read in the report models:
        their record-rule domains (already evaluated for this user) and the
        allowed companies. Equal keys read the same rows."""
        if self.env.su:
            parts = ["superuser"]
        else:
            Rule = self.env["ir.rule"]
            parts = [f"{name}:{Rule._compute_domain(name, 'read')!r}" for name in REPORT_MODELS]
        parts.append(f"companies:{sorted(self.env.companies.ids)}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @api.model
    def _max_age(self):
        param = self.env["ir.config_parameter"].sudo().get_param(MAX_AGE_PARAM)
        return timedelta(minutes=int(param or MAX_AGE_DEFAULT))

    @api.model
    def _get_data(self, compute):
        """The figures of the current user's scope: the stored snapshot when
        fresh, else ``compute()`` (run as the current user) stored for the
        next loads. The result carries ``computed_at``."""
        for model_name in REPORT_MODELS:
            # the access rights are checked on each load, not only when computing
            self.env[model_name].check_access("read")
        key = self._scope_key()
        now = fields.Datetime.now()
        snapshot = self.sudo().search([("scope_key", "=", key)], limit=1)
        if snapshot and snapshot.computed_at > now - self._max_age():
            return {**snapshot.data, "computed_at": fields.Datetime.to_string(snapshot.computed_at)}
        data = compute()
        self._store(key, self.env.uid, self.env.companies.ids, data, now)
        return {**data, "computed_at": fields.Datetime.to_string(now)}

    @api.model
    def _query_key(self, scope_key, signature):
        text = json.dumps(signature, sort_keys=True, default=json_default)
        return hashlib.sha256(f"{scope_key}\nread_group:{text}".encode()).hexdigest()

    @api.model
    def _get_read_group(self, model_name, signature, compute):
        """The result of one grouped read of the dashboard (``signature``:
        the ``read_group`` arguments) for the current user's scope: the
        stored one when fresh, else ``compute()`` stored for the next loads
        and kept current by the cron. Figures are at most ``MAX_AGE_PARAM``
        minutes old (15 by default)."""
        self.env[model_name].check_access("read")
        scope_key = self._scope_key()
        signature = {"model": model_name, **signature}
        key = self._query_key(scope_key, signature)
        now = fields.Datetime.now()
        snapshot = self.sudo().search([("scope_key", "=", key)], limit=1)
        if snapshot and snapshot.computed_at > now - self._max_age():
            return snapshot.data["groups"]
        if self.env.cr.readonly:
            # grouped reads come on a read-only cursor: Odoo serves the request
            # again on a read/write one, where the figures are computed and stored
            raise psycopg2.errors.ReadOnlySqlTransaction("The dashboard's stored figures are out of date")
        # what the client receives: JSON (dates as strings, tuples as lists)
        groups = json.loads(json.dumps(compute(), default=json_default))
        data = {"scope": scope_key, "signature": signature, "groups": groups}
        self._store(key, self.env.uid, self.env.companies.ids, data, now)
        return groups

    @api.model
    def _store(self, key, uid, company_ids, data, now):
        # an upsert: two users of one scope may compute it at the same time
        snapshot = self.sudo()
        snapshot.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO service_desk_dashboard_snapshot
                       (scope_key, user_id, allowed_company_ids, data, computed_at,
                        create_uid, create_date, write_uid, write_date)
                VALUES (%(key)s, %(uid)s, %(companies)s, %(data)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (scope_key) DO UPDATE
                   SET user_id = EXCLUDED.user_id, allowed_company_ids = EXCLUDED.allowed_company_ids,
                       data = EXCLUDED.data,
                       computed_at = EXCLUDED.computed_at, write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                """,
                key=key,
                uid=uid,
                companies=snapshot._fields["allowed_company_ids"].convert_to_column(sorted(company_ids), snapshot),
                data=snapshot._fields["data"].convert_to_column(data, snapshot),
                now=now,
            )
        )
        snapshot.invalidate_model()

    @api.model
    def _cron_refresh(self, batch_size=50):
        """Recompute the snapshots older than the cron's interval, each as the
        user it was computed for (so with his access rights); forget those
        whose user is archived or no longer has that scope."""
        now = fields.Datetime.now()
        snapshots = self.sudo().search([("computed_at", "<", now - timedelta(minutes=5))], limit=batch_size)
        report = self.env["service.desk.case.report"]
        for snapshot in snapshots:
            user = snapshot.user_id
            companies = [cid for cid in snapshot.allowed_company_ids or [] if cid in user.company_ids.ids]
            report_as = report.with_user(user).with_context(allowed_company_ids=companies)
            query = (snapshot.data or {}).get("signature")
            if not user.active or not companies:
                snapshot.unlink()
                continue
            scope_key = self.with_env(report_as.env)._scope_key()
            if query:
                # a grouped read of the dashboard: recomputed while someone asked for it this week
                if scope_key != snapshot.data["scope"] or snapshot.create_date < now - timedelta(days=QUERY_KEEP_DAYS):
                    snapshot.unlink()
                    continue
                kwargs = {k: v for k, v in query.items() if k not in ("model", "lang", "tz")}
                Report = report_as.env[query["model"]].with_context(
                    lang=query.get("lang"), tz=query.get("tz"), **{DASHBOARD_CONTEXT_KEY: False}
                )
                groups = Report.read_group(**kwargs)
                data = {**snapshot.data, "groups": json.loads(json.dumps(groups, default=json_default))}
                self._store(snapshot.scope_key, user.id, companies, data, now)
                continue
            if scope_key != snapshot.scope_key:
                snapshot.unlink()
                continue
            data = report_as._compute_dashboard_data()
            self._store(snapshot.scope_key, user.id, companies, data, now)
        remaining = self.sudo().search_count([("computed_at", "<", now - timedelta(minutes=5))])
        self.env["ir.cron"]._notify_progress(done=len(snapshots), remaining=remaining)
