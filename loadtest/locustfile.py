# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The service desk's user mix for Locust (run by ``make loadtest``, which
points it at the local server on 127.0.0.1 only).

Everyone logs in with a demo login (password = login) and then works as the
web client does: JSON-RPC on ``/web/dataset/call_kw`` (whose ``@api.readonly``
methods Odoo serves from the replica), the portal's pages, and the email
gateway over XML-RPC (``mail.thread.message_process``)."""

import ast
import atexit
import collections
import itertools
import json
import os
import random
import re
import time
import xmlrpc.client
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, LoadTestShape, User, between, events, task
from locust.stats import calculate_response_time_percentile

DB = os.environ.get("SD_LT_DB", "sd_loadtest")
RUN = os.environ.get("SD_LT_RUN", "manual")
CREATED_PATH = os.environ.get("SD_LT_CREATED", "")
CREATED = []
# think time between a user's actions: up to SD_LOADTEST_WAIT seconds (0 saturates the server)
WAIT = float(os.environ.get("SD_LOADTEST_WAIT", "1.0"))
# seconds after the last user is logged in before the statistics start
SETTLE = float(os.environ.get("SD_LOADTEST_SETTLE", "1"))
# users done with their login and setup
READY = [0]
MEASURE_MARK = os.environ.get("SD_LT_MEASURE_MARK", "")
_ids = itertools.count(1)


_ENV = []


@events.init.add_listener
def _loopback_only(environment, **_kw):
    _ENV.append(environment)
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"the service desk load test runs against the loopback only, not {host!r}")


# Capacity steps (SD_LOADTEST_STEPS=4,8,16...): the users grow step by step;
# each step is measured on its own once its users are logged in, and written
# as a JSON line to SD_LT_STEPS_OUT for the harness
STEPS = [int(n) for n in os.environ.get("SD_LOADTEST_STEPS", "").split(",") if n.strip()]
STEP_TIME = float(os.environ.get("SD_LOADTEST_STEP_TIME", "20"))
STEPS_OUT = os.environ.get("SD_LT_STEPS_OUT", "")
# not the interactive actions the p95 target is about
NOT_INTERACTIVE = ("login", "setup")


def _step_figures(environment, users, seconds):
    """Throughput and latency of the interactive actions since the last reset."""
    entries = [e for e in environment.stats.entries.values() if e.name not in NOT_INTERACTIVE and e.num_requests]
    merged = collections.Counter()
    for entry in entries:
        merged.update(entry.response_times)
    count = sum(merged.values())
    worst = max(entries, key=lambda e: e.get_response_time_percentile(0.95), default=None)
    return {
        "users": users,
        "seconds": round(seconds, 1),
        "requests": sum(e.num_requests for e in entries),
        "failures": sum(e.num_failures for e in entries),
        "rps": round(sum(e.num_requests for e in entries) / seconds, 2) if seconds else 0,
        "p50_ms": calculate_response_time_percentile(merged, count, 0.5) if count else 0,
        "p95_ms": calculate_response_time_percentile(merged, count, 0.95) if count else 0,
        "p99_ms": calculate_response_time_percentile(merged, count, 0.99) if count else 0,
        "worst_action_p95": {"action": worst.name, "p95_ms": worst.get_response_time_percentile(0.95)}
        if worst
        else None,
    }


def _steps_write(line):
    if STEPS_OUT:
        with open(STEPS_OUT, "a") as fh:
            fh.write(json.dumps(line) + "\n")


if STEPS:

    class CapacitySteps(LoadTestShape):
        """One step per user count: ramp, wait until every user is logged
        in (then SETTLE s), measure STEP_TIME s, write the step, next."""

        def __init__(self):
            super().__init__()
            self.step = 0
            self.phase = "ramp"
            self.since = time.monotonic()

        def tick(self):
            if self.step >= len(STEPS):
                return None
            users = STEPS[self.step]
            now = time.monotonic()
            # (a user whose login failed never gets ready: measure anyway after 2 minutes)
            if self.phase == "ramp" and (READY[0] >= users or now - self.since > 120):
                self.phase, self.since = "settle", now
            elif self.phase == "settle" and now - self.since >= SETTLE:
                _ENV[0].stats.reset_all()
                _steps_write({"event": "start", "users": users, "time": time.time()})
                self.phase, self.since = "measure", now
            elif self.phase == "measure" and now - self.since >= STEP_TIME:
                figures = _step_figures(_ENV[0], users, now - self.since)
                _steps_write({"event": "end", "time": time.time(), **figures})
                self.step, self.phase, self.since = self.step + 1, "ramp", now
                if self.step >= len(STEPS):
                    return None
                users = STEPS[self.step]
            return users, max(1, users)


@events.spawning_complete.add_listener
def _measure_the_sustained_load(user_count, **_kw):
    """Start the statistics once every user has logged in and done its setup
    (then SETTLE seconds more): the logins cost hundreds of ms of CPU each
    (PBKDF2) and queue the workers while users arrive, which is not the
    sustained load the figures are about."""

    if STEPS:
        # the capacity steps measure each step themselves
        return

    def start():
        deadline = time.monotonic() + 120
        while READY[0] < user_count and time.monotonic() < deadline:
            gevent.sleep(0.2)
        gevent.sleep(SETTLE)
        _ENV[0].stats.reset_all()
        if MEASURE_MARK:
            # the harness starts its CPU accounting and its request-log window here
            with open(MEASURE_MARK, "w") as fh:
                fh.write(f"{time.time()}\n")

    gevent.spawn(start)


@atexit.register
def _write_created():
    if CREATED_PATH:
        with open(CREATED_PATH, "w") as fh:
            json.dump(CREATED, fh)


def subject(kind):
    return f"LT {RUN} {kind} {next(_ids)}"


class OdooUser(FastHttpUser):
    """A browser session (cookies kept). FastHttpUser (geventhttpclient)
    costs Locust a fraction of the CPU of requests' HttpUser: on a small
    machine the load generator competes with Odoo for the cores."""

    abstract = True
    login = None
    wait_time = between(WAIT / 5, WAIT)

    def on_start(self):
        self.uid = self.rpc(
            "/web/session/authenticate",
            {"db": DB, "login": self.login, "password": self.login},
            name="login",
        )["uid"]
        self.setup()
        READY[0] += 1

    def setup(self):
        """What the user loads once, after logging in."""

    def rpc(self, url, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9), "params": params}
        with self.client.post(url, json=payload, name=name, catch_response=True) as resp:
            try:
                body = resp.json()
            except ValueError:
                resp.failure(f"HTTP {resp.status_code}, not JSON")
                return None
            if body.get("error"):
                data = body["error"].get("data") or {}
                resp.failure(f"{data.get('name', 'error')}: {data.get('message', '')[:200]}")
                return None
            return body.get("result")

    def call(self, model, method, args, kwargs=None, name=None):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            name=name or f"{model}.{method}",
        )


CASE_LIST = {
    "number": {},
    "name": {},
    "priority": {},
    "state": {},
    "stage_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "partner_id": {"fields": {"display_name": {}}},
}
CASE_FORM = {
    **CASE_LIST,
    "description": {},
    "service_id": {"fields": {"display_name": {}}},
    "sla_ids": {"fields": {"target": {}, "deadline": {}, "state": {}}},
    "message_follower_ids": {},
}


class Operator(OdooUser):
    """Registers phone calls: the telephony link, then the case."""

    weight = 2
    login = "operator"

    def setup(self):
        partners = self.call(
            "res.partner", "search_read", [[("email", "!=", False)]], {"fields": ["id"], "limit": 20}, name="setup"
        )
        self.partner_ids = [p["id"] for p in partners or []] or [False]
        services = self.call(
            "service.desk.service", "search_read", [[("parent_id", "=", False)]], {"fields": ["id"]}, name="setup"
        )
        self.service_ids = [s["id"] for s in services or []] or [False]

    @task
    def phone_call(self):
        phone = f"+1555{random.randint(1000000, 9999999)}"
        resp = self.client.get("/service_desk/call", params={"phone": phone}, name="GET /service_desk/call")
        token = re.search(r'name="csrf_token" value="([^"]+)"', resp.text)
        if not token:
            return
        self.client.post(
            "/service_desk/call",
            data={"phone": phone, "csrf_token": token.group(1)},
            name="POST /service_desk/call",
            allow_redirects=False,
        )
        case_id = self.call(
            "service.desk.case",
            "create",
            [
                {
                    "name": subject("call"),
                    "channel": "phone",
                    "partner_id": random.choice(self.partner_ids),
                    "service_id": random.choice(self.service_ids),
                }
            ],
            name="case create (phone)",
        )
        if isinstance(case_id, list):
            case_id = case_id[0] if case_id else None
        if case_id:
            CREATED.append(case_id)


class Agent(OdooUser):
    """Works the queue: the list, a case, a reply, a take."""

    weight = 4
    # two demo agents: the same login in parallel sessions would race with
    # itself (e.g. subscribing the same partner twice to one case)
    logins = itertools.cycle(["agent", "engineer"])

    def on_start(self):
        self.login = next(self.logins)
        super().on_start()

    @task(3)
    def list_and_open(self):
        page = self.call(
            "service.desk.case",
            "web_search_read",
            [[]],
            {"specification": CASE_LIST, "limit": 80, "order": "priority desc, id desc"},
            name="case list (web_search_read)",
        )
        records = (page or {}).get("records") or []
        if not records:
            return
        case = random.choice(records)
        self.call(
            "service.desk.case", "web_read", [[case["id"]]], {"specification": CASE_FORM}, name="case open (web_read)"
        )
        if random.random() < 0.5:
            self.call(
                "service.desk.case",
                "message_post",
                [[case["id"]]],
                {
                    "body": f"Load test reply {time.time():.3f}",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                name="case reply (message_post)",
            )

    @task(1)
    def take(self):
        page = self.call(
            "service.desk.case",
            "web_search_read",
            [[("user_id", "=", False), ("state", "=", "new"), ("team_id.member_ids", "in", [self.uid])]],
            {"specification": {"id": {}}, "limit": 20},
            name="case list unassigned (web_search_read)",
        )
        records = (page or {}).get("records") or []
        if records:
            self.call(
                "service.desk.case", "action_take", [[random.choice(records)["id"]]], name="case take (action_take)"
            )


class PortalCustomer(OdooUser):
    """Lists their cases on the portal, opens one, replies in its chatter."""

    weight = 3
    login = "portal"

    @task
    def portal(self):
        resp = self.client.get("/my/cases", name="GET /my/cases")
        ids = sorted({int(i) for i in re.findall(r"/my/cases/(\d+)", resp.text)})
        if not ids:
            return
        case_id = random.choice(ids)
        self.client.get(f"/my/cases/{case_id}", name="GET /my/cases/<id>")
        if random.random() < 0.5:
            self.rpc(
                "/mail/message/post",
                {
                    "thread_model": "service.desk.case",
                    "thread_id": case_id,
                    "post_data": {"body": "Customer reply from the load test", "message_type": "comment"},
                },
                name="portal reply (/mail/message/post)",
            )


class Manager(OdooUser):
    """Opens the dashboard and a pivot of the case analysis."""

    weight = 1
    login = "leader"

    @task
    def dashboard_and_pivot(self):
        self.call(
            "service.desk.case.report",
            "read_group",
            [[], ["__count", "hours_to_resolve:avg"], ["team_id", "state"]],
            {"lazy": False},
            name="pivot (read_group case report)",
        )
        self.call(
            "service.desk.case.report",
            "web_read_group",
            [[], ["__count"], ["priority"]],
            {"lazy": True},
            name="dashboard (web_read_group case report)",
        )


class MailGateway(User):
    """The MTA's fetchmail/postfix hook: a new email to a group's alias."""

    weight = 1
    wait_time = between(WAIT, 3 * WAIT)

    def on_start(self):
        base = self.host.rstrip("/")
        self.common = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common")
        self.models = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True)
        self.admin = self.common.authenticate(DB, "admin", "admin", {})
        aliases = self.models.execute_kw(
            DB,
            self.admin,
            "admin",
            "mail.alias",
            "search_read",
            [[("alias_model_id.model", "=", "service.desk.case"), ("alias_name", "!=", False)]],
            {"fields": ["display_name", "alias_defaults"], "limit": 5},
        )
        # with an alias domain, the gateway routes on the To address; without
        # one (the demo), on the model with the alias's defaults, as the alias would
        self.aliases = [(a["display_name"], ast.literal_eval(a["alias_defaults"] or "{}")) for a in aliases]
        READY[0] += 1

    @task
    def incoming_mail(self):
        n = next(_ids)
        to, defaults = random.choice(self.aliases) if self.aliases else ("helpdesk@example.com", {})
        routed = "@" in to
        msg = (
            f"From: Customer {n} <customer{n}@example.org>\r\n"
            f"To: {to}\r\n"
            f"Subject: {subject('mail')}\r\n"
            f"Message-Id: <lt-{RUN}-{n}-{random.random()}@example.org>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "My service stopped working this morning.\r\n"
        )
        t0 = time.perf_counter()
        exc = None
        res = None
        try:
            args = [False, msg] if routed else ["service.desk.case", msg, defaults]
            res = self.models.execute_kw(DB, self.admin, "admin", "mail.thread", "message_process", args)
        except (xmlrpc.client.Fault, OSError) as error:
            exc = error
        events.request.fire(
            request_type="XMLRPC",
            name="mail gateway (message_process)",
            response_time=(time.perf_counter() - t0) * 1000,
            response_length=0,
            exception=exc,
        )
        if isinstance(res, int):
            CREATED.append(res)
