# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, ServiceDeskReportCommon


@tagged("post_install", "-at_install")
class TestReportCaseAnalysis(ServiceDeskReportCommon):
    def test_counts_per_assignee_and_subcategory(self):
        per_user = {
            user: count for user, count in self._groups("service.desk.case.report", [], ["user_id"], ["__count"])
        }
        self.assertEqual(
            per_user,
            {self.user_operator: 2, self.user_agent: 2, self.user_agent2: 1, self.user_engineer: 2},
        )
        per_sub = dict(self._groups("service.desk.case.report", [], ["subservice_id"], ["__count"]))
        self.assertEqual(per_sub, {self.sub_card: 5, self.sub_schedule: 2})
        handled = dict(self._groups("service.desk.case.report", [("is_handled", "=", True)], ["user_id"], ["__count"]))
        self.assertEqual(handled, {self.user_operator: 2, self.user_agent: 1})

    def test_working_hours_averages(self):
        [(take, response, resolve)] = self._groups(
            "service.desk.case.report",
            [],
            [],
            ["hours_to_take:avg", "hours_to_response:avg", "hours_to_resolve:avg"],
        )
        # take: (1 + 3 + 0.5 + 1.5 + 6) / 5; response: (2 + 2.5) / 2; resolve (8 + 20 + 4) / 3
        self.assertAlmostEqual(take, 2.4)
        self.assertAlmostEqual(response, 2.25)
        self.assertAlmostEqual(resolve, 32 / 3)
        per_user = {
            user: (t, r)
            for user, t, r in self._groups(
                "service.desk.case.report",
                [],
                ["user_id"],
                ["hours_to_take:avg", "hours_to_resolve:avg"],
            )
        }
        self.assertAlmostEqual(per_user[self.user_operator][0], 2.0)
        self.assertAlmostEqual(per_user[self.user_operator][1], 14.0)
        self.assertFalse(per_user[self.user_agent2][1], "a running resolution has no duration yet")

    def test_never_taken_case_has_no_durations(self):
        """A case nobody took shows no time to take (empty, not 00:00), and
        the averages leave it out."""
        case = self._create_case(team_id=self.team_experts.id, subservice_id=self.sub_card.id)
        self.env.flush_all()
        self.assertEqual(
            set(case.sla_ids.mapped("state")), {"running"}, "the SLA addon starts the clocks of the new case"
        )
        Report = self.env["service.desk.case.report"]
        [(take, response, resolve)] = Report._read_group(
            [("case_id", "=", case.id)], [], ["hours_to_take:avg", "hours_to_response:avg", "hours_to_resolve:avg"]
        )
        for value in (take, response, resolve):
            self.assertIs(value, False, "empty (NULL), not 0.0")
        [(take,)] = Report._read_group([("case_id", "in", (self.cases | case).ids)], [], ["hours_to_take:avg"])
        self.assertAlmostEqual(take, 2.4, msg="the never-taken case does not lower the average")
        Sla = self.env["service.desk.sla.report"]
        [(elapsed,)] = Sla._read_group([("case_id", "=", case.id)], [], ["elapsed_hours:avg"])
        self.assertIs(elapsed, False)
        # the list shows an empty cell for a duration whose event did not happen
        arch = self.env["service.desk.case.report"].get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('invisible="not hours_to_take and not date_taken"', arch)

    def test_breaches_escalation_and_late_cases(self):
        per_team = {
            team: rest
            for team, *rest in self._groups(
                "service.desk.case.report",
                [],
                ["team_id"],
                [
                    "breached_take:sum",
                    "breached_response:sum",
                    "breached_resolve:sum",
                    "late_count:sum",
                    "escalation_level:max",
                ],
            )
        }
        self.assertEqual(per_team[self.team_first], [1, 0, 1, 1, 2])
        self.assertEqual(per_team[self.team_payments], [1, 0, 0, 1, 1])
        self.assertEqual(per_team[self.team_events], [0, 0, 0, 0, 0])
        late = self.env["service.desk.case.report"].search([("case_id", "in", self.cases.ids), ("is_late", "=", True)])
        self.assertEqual(late.case_id, self.c2 | self.c5)
        self.assertEqual(late.ids, late.case_id.ids, "the report row id is the case id")

    def test_sla_compliance_per_target(self):
        per_target = dict(self._groups("service.desk.sla.report", [], ["target"], ["compliance:avg"]))
        # take: met c1 c3 c4, breached c2 c5; response: 2 met; resolve: 2 met, 1 breached
        self.assertAlmostEqual(per_target["take"], 60.0)
        self.assertAlmostEqual(per_target["response"], 100.0)
        self.assertAlmostEqual(per_target["resolve"], 200 / 3)
        per_team = dict(self._groups("service.desk.sla.report", [], ["team_id"], ["compliance:avg"]))
        self.assertAlmostEqual(per_team[self.team_first], 75.0)  # 6 of 8 decided targets
        self.assertAlmostEqual(per_team[self.team_payments], 50.0)  # c4 take met, c5 take breached
        per_month = dict(
            self._groups(
                "service.desk.sla.report",
                [("target", "=", "take")],
                ["create_date:month"],
                ["breached_count:sum"],
            )
        )
        self.assertEqual(list(per_month.values()), [1, 1])  # c2 in February, c5 in March

    def test_satisfaction_by_department(self):
        per_dept = {
            dept: (avg, happy, unhappy, count)
            for dept, avg, happy, unhappy, count in self._groups(
                "service.desk.rating.report",
                [],
                ["department_id"],
                ["rating:avg", "happy_rate:avg", "unhappy_rate:avg", "__count"],
            )
        }
        avg, happy, unhappy, count = per_dept[self.dept_support]  # 5, 2, 3
        self.assertEqual(count, 3)
        self.assertAlmostEqual(avg, 10 / 3)
        self.assertAlmostEqual(happy, 100 / 3)
        self.assertAlmostEqual(unhappy, 100 / 3)
        self.assertEqual(per_dept[self.dept_finance], (5.0, 100.0, 0.0, 1))
        # the case analysis carries the last rating as well
        per_team = dict(self._groups("service.desk.case.report", [], ["department_id"], ["rating:avg"]))
        self.assertAlmostEqual(per_team[self.dept_support], 10 / 3)
        self.assertAlmostEqual(per_team[self.dept_finance], 5.0)

    def test_resolution_trend(self):
        per_week = self._groups(
            "service.desk.case.report",
            [("date_resolved", "!=", False)],
            ["date_resolved:week"],
            ["__count"],
        )
        # Feb 3 (week 6), Feb 10 and Feb 11 (week 7)
        self.assertEqual([count for _week, count in per_week], [1, 2])

    @freeze_time(NOW)
    def test_backlog_buckets(self):
        per_bucket = dict(self._groups("service.desk.backlog.report", [], ["age_bucket"], ["__count"]))
        # c4 10 hours old, c5 2 days, c7 5 days, c6 18 days; c1-c3 are done
        self.assertEqual(per_bucket, {"0_1d": 1, "1_3d": 1, "3_7d": 1, "7d": 1})
        per_team = {
            (team, bucket): count
            for team, bucket, count in self._groups(
                "service.desk.backlog.report", [], ["team_id", "age_bucket"], ["__count"]
            )
        }
        self.assertEqual(
            per_team,
            {
                (self.team_payments, "0_1d"): 1,
                (self.team_payments, "1_3d"): 1,
                (self.team_first, "3_7d"): 1,
                (self.team_events, "7d"): 1,
            },
        )
        with freeze_time("2026-03-14 12:00"):
            buckets = dict(self._groups("service.desk.backlog.report", [], ["age_bucket"], ["__count"]))
        self.assertEqual(buckets, {"3_7d": 2, "7d": 2})

    def test_report_follows_case_changes(self):
        self.c5.write({"user_id": self.user_agent2.id})
        per_user = dict(self._groups("service.desk.case.report", [], ["user_id"], ["__count"]))
        self.assertEqual(per_user[self.user_agent2], 2)
        self.assertEqual(per_user[self.user_engineer], 1)

    def test_read_group_query_count(self):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        domain = [("case_id", "in", self.cases.ids)]
        Report._read_group(domain, ["user_id", "create_date:week"], ["__count"])  # warm caches
        with self.assertQueryCount(1):
            Report._read_group(domain, ["user_id", "create_date:week"], ["__count"])
        with self.assertQueryCount(1):
            Report._read_group(domain, ["subservice_id"], ["__count", "hours_to_resolve:avg", "late_count:sum"])
        Rating = self.env["service.desk.rating.report"].with_user(self.user_leader)
        Rating._read_group([], ["department_id", "rating_date:month"], ["rating:avg"])
        with self.assertQueryCount(1):
            Rating._read_group([], ["department_id", "rating_date:month"], ["rating:avg"])
