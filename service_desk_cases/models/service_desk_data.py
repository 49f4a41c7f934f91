# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The service desk's vocabulary, defined once (in the style of rating_data)."""

from odoo.addons.rating.models import rating_data

STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# Someone still has to work on the case.
OPEN_STATES = ("new", "in_progress", "waiting")
# Nobody has to work on the case any more.
DONE_STATES = ("resolved", "closed", "cancelled")
# The case was handled (resolved, possibly closed since): a cancelled case was not.
HANDLED_STATES = ("resolved", "closed")

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
PRIORITY_DEFAULT = "1"
PRIORITY_MAX = PRIORITIES[-1][0]

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("web", "Web"),
    ("api", "API"),
    ("internal", "Internal"),
]

REQUESTER_TYPES = [("external", "External"), ("internal", "Internal")]

# Ratings: Odoo's own thresholds (1 = dissatisfied, 3 = okay, 5 = satisfied).
RATING_LIMIT_SATISFIED = rating_data.RATING_LIMIT_SATISFIED
RATING_LIMIT_OK = rating_data.RATING_LIMIT_OK
RATING_LIMIT_MIN = rating_data.RATING_LIMIT_MIN
# A rating at or below this value is "dissatisfied": the case reopens.
RATING_LIMIT_DISSATISFIED = rating_data.RATING_LIMIT_MIN

# Sizes of what people type (characters).
SUBJECT_MAX_SIZE = 255
DESCRIPTION_MAX_SIZE = 1024 * 1024
MAIL_SUBJECT_MAX_SIZE = 120
