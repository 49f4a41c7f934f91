# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SLA vocabulary, defined once (in the style of ``rating/models/rating_data.py``)."""

# The targets of a case, in the order they are shown.
TARGETS = [("take", "Take Into Work"), ("response", "First Response"), ("resolve", "Resolution")]
# States of one SLA row (service.desk.case.sla.state).
SLA_STATES = [("running", "Running"), ("paused", "Paused"), ("met", "Met"), ("breached", "Breached")]
# Rows whose clock still counts (the target is not reached yet).
SLA_OPEN_STATES = ("running", "paused")
# The SLA status of a case (service.desk.case.sla_status).
SLA_STATUSES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached")]
