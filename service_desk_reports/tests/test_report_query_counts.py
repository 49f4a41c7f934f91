# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query-count guards (upper bounds) of the paths a supervisor loads every
day: the case list's first page, the kanban and the dashboard. Their counts
must not depend on the number of cases; times are measured by ``make bench``."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.osv import expression
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.service_desk_cases.tests.common import steady_gc
from odoo.addons.service_desk_reports.models.service_desk_case import REPORT_INDEX_COLUMNS
from odoo.addons.service_desk_reports.report.service_desk_case_report import CREATE_DATE_DISTINCT

from .common import NOW, ServiceDeskReportCommon

OPEN_DOMAIN = [("state", "in", ["new", "in_progress", "waiting"])]

# Counted with warm per-process caches (record rules, groups, xmlids: filled
# once per worker, not per load) and cold record caches.
#
# The case list's first page (up to 80 cases), with cases of every kind on it
# (SLA clocks running on a calendar, no SLA, no service):
# - 3: the cases, their tags, their activities;
# - 2: the live SLA status and working time left (``sla_live_status``,
#   ``sla_time_left_hours``, computed on read): 1 read of the SLA rows of the
#   whole page (state, deadline, clock of each target) and 1 of their
#   policies; the calendars' working intervals come from the per-process
#   cache (``resource.calendar._sla_work_intervals``);
# - 5: the groups allowed for the cases' (sub)services (``allowed_team_ids``,
#   a domain of the view): the services, their groups (relation and rows),
#   one search of the company's groups for the cases without a service, and
#   the company;
# - 4: the users allowed for the cases' groups (``allowed_user_ids``): the
#   members, the users (two rounds), their companies for the rule;
# - 5: the display names of requesters, assignees' partners, lines, stages,
#   and the requesters' companies.
# More cases than a page add the count of all of them (one query).
LIST_QUERIES = 19
# The kanban of the open cases (3 stages unfolded here): the grouped read and
# the stages (3); per stage its cards, tags and activities (3 each); the
# display names (requesters, services, groups, assignees, the company: read
# with the cards, see the kanban view, as read() checks the company rule on
# it); the live SLA fields: 1 read of the SLA rows per stage holding SLA
# cards and the policies once, the calendars' working intervals from the
# per-process cache.
KANBAN_QUERIES = 28
# Computing the dashboard's figures (stored figures out of date): 1 search of
# the snapshot, 6 to read the spreadsheet's definition (the dashboard record
# and its attachment, with their access checks), 12 grouped reads (one per
# chart and per pivot), 3 for the reader's language (week start), 1 upsert.
DASHBOARD_QUERIES = 23


@tagged("post_install", "-at_install")
class TestReportQueryCounts(ServiceDeskReportCommon):
    def _spec(self, Case, view_type):
        """The fields the web client reads for the view, in the view's order
        (a stable order: the counts must not depend on the process' hash seed)."""
        arch = Case.get_views([(False, view_type)])["views"][view_type]["arch"]
        fields_ = Case._fields
        spec = {}
        for name in dict.fromkeys(name.split('"', 1)[0] for name in arch.split('field name="')[1:]):
            field = fields_.get(name)
            if field:
                spec[name] = {"fields": {"display_name": {}}} if field.relational else {}
        return spec

    def _list_page(self, Case, spec):
        return Case.web_search_read(OPEN_DOMAIN, spec, limit=80, count_limit=10001)

    def _start_clocks(self):
        """The running targets of c4 and c5 count on the company's calendar
        since the morning, as on a real page: their time left reads it."""
        running = self.slas.filtered(lambda r: r.state == "running")
        running.write({"clock_start": NOW - timedelta(hours=3), "target_hours": 16.0})
        self.env.flush_all()
        self.assertTrue(running.policy_id.calendar_id)

    def _open_cases(self, count):
        """``count`` open cases of the kinds on the first page, the newest
        first as the list shows them: without a service, with SLA clocks
        started an hour ago, without SLA (the same order on every page)."""
        kinds = [
            {"team_id": self.team_first.id, "user_id": self.user_agent.id},
            {
                "team_id": self.team_first.id,
                "user_id": self.user_agent.id,
                "service_id": self.service_payments.id,
                "subservice_id": self.sub_card.id,
            },
            {
                "team_id": self.team_events.id,
                "user_id": self.user_engineer.id,
                "service_id": self.service_events.id,
                "subservice_id": self.sub_schedule.id,
            },
        ]
        with freeze_time(NOW - timedelta(hours=1)):
            cases = self.env["service.desk.case"].create(
                [
                    {"name": f"Help {i}", "partner_id": self.customer.id, **kinds[(count - 1 - i) % len(kinds)]}
                    for i in range(count)
                ]
            )
            self.env.flush_all()
        return cases

    @freeze_time(NOW)
    def test_list_first_page_query_count(self):
        self._start_clocks()
        # the SLA clocks of the first group's cases, on the same calendar
        self.env["service.desk.sla.policy"].create(
            {
                "name": "Front desk",
                "team_ids": [(6, 0, self.team_first.ids)],
                "take_hours": 2,
                "response_hours": 4,
                "resolve_hours": 16,
            }
        )
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        spec = self._spec(Case, "list")
        counts = {}
        # 5, then 45 open cases: one page; 125, then 205: a full first page
        for total, added in ((5, 1), (45, 40), (125, 80), (205, 80)):
            new = self._open_cases(added)
            first_group = new.filtered(lambda c: c.team_id == self.team_first)
            self.assertEqual(len(first_group.sla_ids.filtered(lambda r: r.state == "running")), 3 * len(first_group))
            self._list_page(Case, spec)  # warm the per-process caches (not per page)
            Case.env.invalidate_all()
            # counted for the test's own user (the supervisor's env runs the queries)
            with self.assertQueryCount(__system__=LIST_QUERIES + (total > 80)):
                count0 = self.cr.sql_log_count
                res = self._list_page(Case, spec)
                counts[total] = self.cr.sql_log_count - count0
            self.assertEqual(res["length"], total)
            # the page holds every kind of case: no service, clocks that count
            # on the calendar, no SLA
            records = res["records"]
            self.assertTrue([r for r in records if not r["service_id"]])
            # (the take target, 2 h, started an hour ago)
            self.assertIn(1.0, [r["sla_time_left_hours"] for r in records])
            self.assertTrue([r for r in records if not r["sla_live_status"]])
        # the same number of queries however many cases; a full first page
        # adds the count of all the matching cases (one query)
        self.assertEqual(counts, {5: counts[5], 45: counts[5], 125: counts[5] + 1, 205: counts[5] + 1})

    @freeze_time(NOW)
    def test_kanban_query_count(self):
        self._start_clocks()
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        spec = self._spec(Case, "kanban")

        def kanban():
            groups = Case.web_read_group(OPEN_DOMAIN, ["stage_id"], ["stage_id"], lazy=True)
            for group in groups["groups"]:
                if group.get("stage_id") and not group.get("__fold"):
                    Case.web_search_read(group["__domain"], spec, limit=40)

        kanban()
        Case.env.invalidate_all()
        with self.assertQueryCount(__system__=KANBAN_QUERIES):
            kanban()

    def test_dashboard_load_query_count(self):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        Snapshot = self.env["service.desk.dashboard.snapshot"].sudo()
        Report.get_dashboard_data()  # warm the per-process caches (not per load)
        Snapshot.search([]).unlink()
        Report.env.invalidate_all()
        with self.assertQueryCount(__system__=DASHBOARD_QUERIES):
            Report.get_dashboard_data()
        self.assertTrue(Snapshot.search_count([]))
        Report.env.invalidate_all()
        # later loads read the snapshot
        with self.assertQueryCount(__system__=3):
            Report.get_dashboard_data()

    def _plan(self, query_sql):
        """The plan PostgreSQL picks when it may only walk btree indexes in
        order (no sequential, bitmap or sort): it names the index that can
        answer the query on its own, the one a large table uses."""
        cr = self.env.cr
        cr.execute("SET LOCAL enable_seqscan = off")
        cr.execute("SET LOCAL enable_bitmapscan = off")
        cr.execute("SET LOCAL enable_sort = off")
        cr.execute("SET LOCAL enable_incremental_sort = off")
        try:
            cr.execute(SQL("EXPLAIN %s", query_sql))
            return "\n".join(row[0] for row in cr.fetchall())
        finally:
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"):
                cr.execute(SQL("RESET %s", SQL.identifier(setting)))

    def test_mail_loop_guard_reads_recent_cases_only(self):
        """Odoo's mail-loop guard, once per inbound mail, counts the cases the
        sender created in the last two hours: a range of the create_date
        index, not the sender's whole history through the trigram index."""
        Case = self.env["service.desk.case"]
        limit = fields.Datetime.now() - timedelta(minutes=120)
        domain = expression.AND(
            [[("create_date", ">", limit)], Case._detect_loop_sender_domain("customer@example.com")]
        )
        plan = self._plan(Case.sudo()._search(domain).select(SQL("COUNT(*)")))
        self.assertIn("service_desk_case_create_date_idx", plan)

    def test_list_first_page_walks_the_open_cases_index(self):
        """The list's default order over the open cases is read from an index
        in that order: 80 entries, however many closed cases there are."""
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        query = Case._search(OPEN_DOMAIN, limit=80, order=Case._order)
        plan = self._plan(query.select(SQL.identifier(Case._table, "id")))
        self.assertIn("service_desk_case_open_priority_id_idx", plan)
        self.assertNotIn("Sort", plan)

    # ------------------------------------------------------------------
    # Issue 13, "within 1.5x of 100,000": the daily screens read the open
    # cases or one customer's cases from an index, never the whole history
    # ------------------------------------------------------------------

    def _kanban_queries(self, Case, spec):
        """The kanban as the web client loads it: the columns, then the first
        cards of each unfolded column that has cards (count bounded by the
        client's limit). Returns the number of queries."""
        with steady_gc():
            count0 = self.cr.sql_log_count
            groups = Case.web_read_group(OPEN_DOMAIN, ["stage_id"], ["stage_id"], lazy=True)
            for group in groups["groups"]:
                if group.get("stage_id") and not group.get("__fold") and group["stage_id_count"]:
                    Case.web_search_read(group["__domain"], spec, limit=40, count_limit=10001)
            return self.cr.sql_log_count - count0

    def _add_history(self, count):
        """``count`` closed cases and ``count`` open ones, in the stages of the
        cases already there."""
        Case = self.env["service.desk.case"]
        closed = Case.create([{"name": f"Old {i}", "partner_id": self.customer.id} for i in range(count)])
        closed.write({"stage_id": self.stage_closed.id})
        Case.create(
            [
                {"name": f"Open {i}", "partner_id": self.customer.id, "stage_id": stage.id}
                for i in range(count)
                for stage in (self.stage_new, self.stage_progress)
            ]
        )
        self.env.flush_all()

    def test_kanban_query_count_does_not_grow_with_cases(self):
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        spec = self._spec(Case, "kanban")
        counts = []
        for added in (0, 30):
            self._add_history(added)
            self._kanban_queries(Case, spec)  # warm the per-process caches
            Case.env.invalidate_all()
            counts.append(self._kanban_queries(Case, spec))
        self.assertEqual(counts[0], counts[1])

    def test_kanban_columns_walk_the_open_stage_index(self):
        """A column's first cards (a stage, in the list order) and the columns'
        counts come from the partial index of the open cases by stage: 40
        entries per column, and the open cases only for the counts.

        On the few rows of a test every index is about as cheap as another
        (and nothing is all-visible before a VACUUM, so an index-only scan
        costs what an index scan does), so the planner's choice among them
        varies with the statistics: the plan must read an index in the
        list's order (no sort), and the stage index must be the one that
        answers both on its own (stage, then the list order, then the
        company rule's column, over the open cases), as the 1,000,000-case
        plans in bench/README.md show."""
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        domain = expression.AND([OPEN_DOMAIN, [("stage_id", "=", self.stage_progress.id)]])
        page = Case._search(domain, limit=40, order=Case._order)
        plan = self._plan(page.select(SQL.identifier(Case._table, "id")))
        self.assertRegex(plan, r"Index (Only )?Scan")
        self.assertNotIn("Sort", plan)
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'service_desk_case_open_stage_priority_idx'"
        )
        row = self.env.cr.fetchone()
        self.assertTrue(row, "the open cases' stage index exists")
        self.assertRegex(row[0], r"\(stage_id, priority DESC, id DESC, company_id\)")
        self.assertIn("WHERE (active AND", row[0])
        self.assertIn("'new'", row[0])
        self.assertIn("'waiting'", row[0])

    def test_portal_list_walks_the_customer_index(self):
        """The portal's "my cases", newest first (the portal controller's
        default sorting), for a customer: that customer's entries of an index
        in that order, not the whole history scanned backwards by date."""
        Case = self.env["service.desk.case"].with_user(self.user_portal)
        domain = [("commercial_partner_id", "=", self.user_portal.commercial_partner_id.id)]
        query = Case._search(domain, limit=80, order="create_date desc, id desc")
        plan = self._plan(query.select(SQL.identifier(Case._table, "id")))
        self.assertIn("service_desk_case_partner_date_idx", plan)
        self.assertNotIn("Sort", plan)

    def test_period_groupings_estimate_periods_not_cases(self):
        """The grouped reads by period (assignee x week) are planned for the
        periods, not for one group per case: the planner's distinct count of
        create_date is the reports' (a hash of the groups in memory instead of
        sorting the history on disk at 1,000,000 cases)."""
        self.env.cr.execute(
            """
            SELECT attoptions FROM pg_attribute
             WHERE attrelid = 'service_desk_case'::regclass AND attname = 'create_date'
            """
        )
        self.assertIn(f"n_distinct={CREATE_DATE_DISTINCT}", self.env.cr.fetchone()[0] or [])

    def test_case_analysis_report_index(self):
        """The narrow index the case analysis reads instead of the case rows
        (figure 3 of the bench at 1,000,000 cases: an index-only scan, 56 MB
        instead of 330 MB of rows): it must hold every case column the view
        names, its joins' included, or PostgreSQL reads the rows again."""
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'service_desk_case_report_dims_idx'")
        row = self.env.cr.fetchone()
        self.assertTrue(row, "the case analysis index is missing")
        columns = row[0].split(" USING btree (", 1)[1].split(")", 1)[0].split(", ")
        self.assertEqual(columns, REPORT_INDEX_COLUMNS)
        self.assertTrue(row[0].endswith("WHERE active"))
        # the columns of service_desk_case the view reads for assignee x week,
        # with the joins PostgreSQL drops (team, SLA rows) still named
        view = self.env["service.desk.case.report"]._query().code
        for column in ("c.create_date", "c.user_id", "c.team_id", "c.id", "c.company_id", "c.subservice_id"):
            self.assertIn(column, view)
            self.assertIn(column[2:], columns)


@tagged("post_install", "-at_install")
class TestReportPortalQueryCount(HttpCase, ServiceDeskReportCommon):
    def _my_cases_queries(self):
        self.url_open("/my/cases")  # warm the per-process caches
        with steady_gc():
            count0 = self.cr.sql_log_count
            response = self.url_open("/my/cases")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - count0, response.text

    def test_portal_list_query_count_does_not_grow_with_cases(self):
        """The portal's "my cases" page runs as many queries for a customer
        whose older history is four times as long: the same first page (its
        80 newest cases), a longer pager."""
        Case = self.env["service.desk.case"]
        self.authenticate(self.user_portal.login, self.user_portal.login)
        Case.create([{"name": f"Later {i}", "partner_id": self.customer.id} for i in range(90)])
        self.env.flush_all()
        before, text = self._my_cases_queries()
        self.assertIn("Later 89", text)
        self.assertIn("/my/cases/page/2", text)
        older = Case.create([{"name": f"Older {i}", "partner_id": self.customer.id} for i in range(300)])
        older.write({"stage_id": self.stage_closed.id})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_desk_case SET create_date = create_date - interval '400 days' WHERE id IN %s",
            [tuple(older.ids)],
        )
        after, text = self._my_cases_queries()
        self.assertIn("Later 89", text)
        self.assertIn("/my/cases/page/5", text)
        self.assertEqual(before, after)
