# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import os
import uuid

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.service_desk_cases.tests.common import logged_queries

from .sla_common import SlaCommon, msk

_logger = logging.getLogger(__name__)

# Queries of one case created by an operator in its own transaction (record
# cache cold, registry caches warm, as in a running server), with a
# requester, a subservice routed to a group of five, SLA rows on a
# business-hours calendar and the group's email queued. Issue #13 asks for
# 30 at most (it was 53 here, 58.6 per case in the bench, then 29, 23); what
# is left (22 logged by logged_queries, 21 counted by assertQueryCount; one
# more user read when the tests run before this one warmed less):
#  - the operator's user (1); the requester (1) and the subservice with its
#    service (1), loaded with the check that they exist; the company, by the
#    company check (1);
#  - routing: default stage (1), first line (1), the groups allowed for the
#    subservice (1), the group with its fields (1), its members (1) and their
#    users (1); the routing rules, the engineer directory and the sequence's
#    settings come from per-process caches; the number: nextval (1);
#  - the case: one INSERT with its stored computes (commercial partner,
#    line, email, requester type, last rating) and its SLA policy, deadline
#    and status, all computed before it (no UPDATE after it) (1); the
#    requester type (1); a new case does not touch the requester's
#    last-rating statistics;
#  - followers: one statement (1), the assignee's partner read with the
#    members;
#  - the members' partners with the note author's and the company's (1);
#  - the creation note and the group's email: the template (1), the alias
#    domain of the reply-to (1), both messages in one INSERT (1), the mail
#    and its recipients (2);
#  - SLA rows (service_desk_sla, 2): their INSERT with deadline, warning and
#    next escalation already planned (1), and one read of the escalation job's
#    next run and of the wake-ups already planned (1): a trigger is inserted
#    only when neither comes before the new rows' next escalation. The
#    policy's criteria and clock settings (calendar, targets, warning, pausing
#    stages) and the calendar's working intervals come from per-process
#    caches, cleared when a policy, a stage's active flag, a calendar, an
#    attendance or a calendar-wide leave changes (tests in test_sla_cache.py);
#    the partner tags of the policy criteria are read only when a policy has
#    tags.
SINGLE_CREATE_QUERIES = 22
# One new mail from a known contact through message_process (and the test's
# search of the case it created, 1): Odoo's routing (about 20: aliases,
# bounce and blacklist checks, the author, the mail-loop guard), the
# desk's own-address check (1), the contact (1), the create above, and
# Odoo's posting of the mail on the case (about 8). It was 52 per mail, and
# 64 here before the SLA start read its policy and calendar from caches, 55
# before the gateway's own trimming (test_case_perf_gateway.py) and the
# create above losing six queries.
EMAIL_INTAKE_QUERIES = 36

MAIL = """From: {email_from}
To: {to}
Subject: {subject}
Message-ID: <{msg_id}@example.com>
Date: Tue, 10 Mar 2026 06:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The card reader at the box office does not work.
"""


@tagged("post_install", "-at_install")
class TestSlaPerf(SlaCommon, MockEmail):
    """Query counts of the paths that create one case per transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team_first.alias_domain_id = cls.mail_alias_domain
        # a group of five members, its subservice, and its email to them
        more = [cls._user(f"sd_member{i}", "agent", name=f"Member {i}") for i in range(2)]
        cls.team_first.member_ids = cls.user_operator | cls.user_agent | cls.user_agent2 | more[0] | more[1]
        cls.service = cls.env["service.desk.service"].create({"name": "Box Office"})
        cls.subservice = cls.env["service.desk.service"].create(
            {"name": "Card Readers", "parent_id": cls.service.id, "team_ids": [(6, 0, cls.team_first.ids)]}
        )

    def _count(self, limit, action):
        """Run ``action`` with a cold record cache; fail when it takes more than ``limit`` queries."""
        self.env.flush_all()
        self.env.invalidate_all()
        with logged_queries() as queries, self.assertQueryCount(default=limit):
            result = action()
        # SD_PERF_LOG=1 prints them even when within the limit
        if len(queries) > limit or os.environ.get("SD_PERF_LOG"):
            _logger.info("%s queries:\n%s", len(queries), "\n".join(queries))
        return result

    def _create_one(self, name):
        return (
            self.env["service.desk.case"]
            .with_user(self.user_operator)
            .create({"name": name, "partner_id": self.customer.id, "subservice_id": self.subservice.id})
        )

    def _mail_one(self, subject):
        raw = MAIL.format(
            email_from=self.customer.email_formatted,
            to=f"sd-front@{self.alias_domain}",
            subject=subject,
            msg_id=uuid.uuid4().hex,
        )
        self.env["mail.thread"].message_process(False, raw)
        return self.env["service.desk.case"].search([("name", "=", subject)])

    def test_single_case_create_as_operator(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._count(SINGLE_CREATE_QUERIES + 100, lambda: self._create_one("Warm-up"))
            case = self._count(SINGLE_CREATE_QUERIES, lambda: self._create_one("Measured"))
        # it did all of it
        self.assertEqual(case.team_id, self.team_first)
        self.assertEqual(len(case.sla_ids), 3)
        # planned before the INSERT: Tuesday 9:00 + 2 working hours
        take = self._row(case, "take")
        self.assertEqual((take.deadline, take.next_escalation_at), (msk(2026, 3, 10, 11, 0),) * 2)
        self.assertEqual(take.start_date, msk(2026, 3, 10, 9, 0))
        self.assertIn(self.customer, case.message_partner_ids)
        team_mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(team_mail.recipient_ids, self.team_first.member_ids.partner_id)
        self.assertIn(case.number, team_mail.body_html)

    def test_new_case_row_written_once(self):
        """The policy, deadline and status of a new case are planned with its
        other values: its row is inserted complete and never updated in the
        same transaction, and they are what its SLA rows then give."""
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._create_one("Warm-up")
            self.env.flush_all()
            with logged_queries() as queries:
                case = self._create_one("Written once")
                self.env.flush_all()
        self.assertFalse([q for q in queries if q.lstrip().startswith('UPDATE "service_desk_case"')])
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertEqual(len(case.sla_ids), 3)
        self.assertEqual(case.sla_status, "on_track")
        self.assertEqual(case.sla_deadline, min(case.sla_ids.mapped("deadline")))
        self.assertEqual(case.sla_deadline, msk(2026, 3, 10, 11, 0), "Tuesday 9:00 + 2 working hours")
        self.assertEqual(set(case.sla_ids.mapped("state")), {"running"})
        self.assertFalse(any(case.sla_ids.mapped("warning_sent")))

    def test_saved_case_keeps_its_policy_when_recomputed(self):
        """Odoo computes the policy of saved cases when it adds the column
        (this addon installed on a desk that has cases): a saved case keeps
        the one it has, and the operator reads it."""
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._create_one("Saved")
            self.env.flush_all()
        self.assertEqual(case.sla_policy_id, self.policy)
        self.env.add_to_compute(case._fields["sla_policy_id"], case)
        self.assertEqual(case.with_user(self.user_operator).sla_policy_id, self.policy)
        self.env.flush_all()
        case.invalidate_recordset()
        self.assertEqual(case.sla_policy_id, self.policy)

    def test_stage_change_reads_pausing_stages_from_cache(self):
        """Pausing and resuming on a stage change read the policy's pausing
        stages from its cached settings, not from the policy's relation."""
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._create_one("Pause me")
        agent_case = case.with_user(self.user_operator)
        for stage, state in ((self.stage_waiting, "paused"), (self.stage_progress, "running")):
            with freeze_time(msk(2026, 3, 10, 10, 0)):
                self.env.flush_all()
                self.env.invalidate_all()
                with logged_queries() as queries:
                    agent_case.stage_id = stage
                    self.env.flush_all()
            self.assertFalse([q for q in queries if "service_desk_sla_policy_service_desk_stage_rel" in q])
            self.assertEqual(set(case.sla_ids.mapped("state")), {state})

    def test_email_intake_per_mail(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._count(EMAIL_INTAKE_QUERIES + 100, lambda: self._mail_one("Warm-up"))
            case = self._count(EMAIL_INTAKE_QUERIES, lambda: self._mail_one("Measured"))
            # the sender's history does not add queries (the mail-loop guard
            # counts their recent cases in one query)
            self.env["service.desk.case"].create(
                [{"name": f"Earlier {i}", "partner_id": self.customer.id} for i in range(15)]
            )
            later = self._count(EMAIL_INTAKE_QUERIES, lambda: self._mail_one("Measured again"))
        self.assertEqual((case | later).partner_id, self.customer)
        self.assertEqual((case | later).team_id, self.team_first)
        self.assertEqual(len(later.sla_ids), 3)
