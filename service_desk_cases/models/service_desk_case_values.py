# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Incoming values of a case: one place that refuses, before anything is
written, values of the wrong type, system fields, what a requester may not
choose, and blank or oversized texts. Each error names the field."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .service_desk_data import DESCRIPTION_MAX_SIZE, SUBJECT_MAX_SIZE

# Fields set only by the actions that own them (numbering, stage change,
# take, reply, rating): see _get_protected_fields().
PROTECTED_FIELDS = frozenset(
    {
        "number",
        "date_taken",
        "date_first_response",
        "date_resolved",
        "date_closed",
        "state",
        "reopen_count",
        "line_id",
        "commercial_partner_id",
        "rating_last_value",
    }
)
# field type -> (accepted python types, refused python types, kind of value)
_SCALAR_TYPES = {
    "char": (str, (), "text"),
    "text": (str, (), "text"),
    "html": (str, (), "text"),
    "integer": (int, bool, "integer"),
    "float": (int | float, bool, "number"),
    "monetary": (int | float, bool, "number"),
    "boolean": (bool | int, (), "boolean"),
}


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _shorten(text, size):
    return text if len(text) <= size else text[: size - 1] + "\u2026"


def _command_ids(value, ftype):
    """The record ids an x2many value refers to, or None when it is not a
    list of commands (or of ids, for a many2many)."""
    if not isinstance(value, list | tuple):
        return None
    ids = []
    for command in value:
        if _is_id(command) and ftype == "many2many":
            ids.append(command)
        elif not isinstance(command, list | tuple) or not command:
            return None
        elif command[0] in (3, 4) and len(command) > 1 and _is_id(command[1]):
            ids.append(command[1])
        elif command[0] == 6 and len(command) == 3:
            if not isinstance(command[2] or [], list | tuple) or not all(_is_id(i) for i in command[2] or []):
                return None
            ids.extend(command[2] or [])
        elif command[0] not in (0, 1, 2, 5):
            return None
    return ids


# Hierarchies whose parents a new case reads after the records it refers to
# (the catalog check reads the service of a subservice): loaded with them.
PARENTS_READ = frozenset({"service.desk.service"})

# What people who are not service desk staff (requesters, portal customers)
# may not choose on a new case: the desk routes it.
STAFF_ONLY_FIELDS = ("user_id", "team_id")


class ServiceDeskCase(models.Model):
    _inherit = "service.desk.case"

    # ------------------------------------------------------------------
    # Incoming values: types, system fields, requesters, sizes
    # ------------------------------------------------------------------

    def _get_protected_fields(self):
        """Fields that only the actions owning them write, for every user but
        the superuser: those actions write them with ``sudo()``. Extensions
        add theirs: ``return super()._get_protected_fields() | {...}``."""
        return set(PROTECTED_FIELDS)

    @api.model
    def _check_incoming_values(self, vals_list, create=False):
        """Refuse, before anything is written, values that are of the wrong
        type, that set system fields, that a requester may not choose, or
        that are blank or too long. Each error names the field."""
        self._check_value_types(vals_list)
        if not self.env.su:
            self._check_protected_values(vals_list)
            if create and not self.env.user.has_group("service_desk_cases.group_service_desk_user"):
                self._check_requester_values(vals_list)
        self._check_text_values(vals_list, create=create)

    def _field_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    @api.model
    def _check_value_types(self, vals_list):
        """One check for every field: a value of the wrong type (text for a
        relation, an unknown selection key, a record that does not exist...)
        raises a ValidationError naming the field instead of a crash."""
        refs = {}  # comodel -> {id: field}
        for vals in vals_list:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if field is None or value is None or value is False:
                    continue
                expected = self._value_type_error(field, value, refs)
                if expected:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(value)s is not a valid value (expected %(expected)s).",
                            field=self._field_label(fname),
                            value=_shorten(repr(value), 60),
                            expected=expected,
                        )
                    )
        if self.env.su:
            # trusted code (gateway, crons, imports as superuser): the
            # database's foreign keys suffice, spare the queries
            return
        for comodel, by_id in refs.items():
            by_id.pop(None, None)
            Model = self.env[comodel]

            def loaded(record_id, Model=Model):
                return next(self.env.cache.get_fields(Model.browse(record_id)), None) is not None

            # records already loaded in this transaction exist: no query for them
            unknown = [i for i in by_id if not loaded(i)]
            if not unknown:
                continue
            # One query tells which exist (whatever the access rules, as
            # exists() does) and loads the fields that the create reads next
            # (those the user may read), instead of a query for each.
            fnames = [
                name
                for name, field in Model._fields.items()
                if field.prefetch is True and field.column_type and field.is_accessible(self.env)
            ]
            if comodel in PARENTS_READ:
                # with their parents, in the same query
                Model.sudo().with_context(active_test=False).search_fetch(
                    self._existence_domain(Model, unknown), fnames, order="id"
                )
            else:
                Model.sudo().browse(unknown).fetch(fnames)
            missing = {i for i in unknown if not loaded(i)}
            if missing:
                ref_id = min(missing)
                raise ValidationError(
                    self.env._(
                        "%(field)s: no record with id %(id)s exists.",
                        field=by_id[ref_id]._description_string(self.env),
                        id=ref_id,
                    )
                )

    @api.model
    def _existence_domain(self, Model, ids):
        """The records ``ids`` of ``Model`` (a model of ``PARENTS_READ``) and
        their parents."""
        parents = SQL(
            "(SELECT %s FROM %s WHERE id = ANY(%s))",
            SQL.identifier(Model._parent_name),
            SQL.identifier(Model._table),
            ids,
        )
        return ["|", ("id", "in", ids), ("id", "in", parents)]

    def _value_type_error(self, field, value, refs):
        """What ``field`` expects when ``value`` does not fit it, else None.
        Ids of relations are collected in ``refs`` to check they exist."""
        if field.type == "many2one":
            if isinstance(value, models.BaseModel) and value._name == field.comodel_name and len(value) <= 1:
                value = value.id or None
            if value is None or _is_id(value):
                refs.setdefault(field.comodel_name, {}).setdefault(value, field)
                return None
            return self.env._("the id of an existing record")
        if field.type in ("many2many", "one2many"):
            ids = _command_ids(value, field.type)
            if ids is None:
                return self.env._("a list of commands or ids")
            for ref_id in ids:
                refs.setdefault(field.comodel_name, {}).setdefault(ref_id, field)
            return None
        if field.type == "selection":
            values = field.get_values(self.env)
            return None if value in values else ", ".join(repr(v) for v in values)
        if field.type in ("date", "datetime"):
            convert = fields.Date.to_date if field.type == "date" else fields.Datetime.to_datetime
            try:
                convert(value)
            except (TypeError, ValueError):
                return self.env._("a date")
            return None
        kinds = _SCALAR_TYPES.get(field.type)
        if not kinds or (isinstance(value, kinds[0]) and not isinstance(value, kinds[1])):
            return None
        return {
            "text": self.env._("text"),
            "integer": self.env._("a whole number"),
            "number": self.env._("a number"),
            "boolean": self.env._("true or false"),
        }[kinds[2]]

    @api.model
    def _check_protected_values(self, vals_list):
        protected = self._get_protected_fields()
        names = {fname for vals in vals_list for fname in vals if fname in protected}
        names |= {key[8:] for key in self.env.context if key.startswith("default_") and key[8:] in protected}
        if names:
            raise AccessError(
                self.env._(
                    "%(fields)s: set by the service desk itself (numbering, stage changes, taking, "
                    "replying, ratings), not by hand.",
                    fields=", ".join(sorted(self._field_label(f) for f in names)),
                )
            )

    @api.model
    def _check_requester_values(self, vals_list):
        """Requesters and portal customers file requests: the desk routes
        them, in its first stage, in the name of their own organisation."""
        commercial = self.env.user.partner_id.commercial_partner_id
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        # a contact the requester cannot read is not theirs either
        own = self.env["res.partner"]
        if partner_ids:
            own = own.search([("id", "in", list(partner_ids)), ("commercial_partner_id", "=", commercial.id)])
        context_stage = self.env.context.get("default_stage_id")
        for vals in vals_list:
            chosen = [f for f in STAFF_ONLY_FIELDS if vals.get(f)]
            stage = self.env["service.desk.stage"].browse(vals.get("stage_id") or context_stage or [])
            if stage and stage.state != "new":
                chosen.append("stage_id")
            if chosen:
                raise AccessError(
                    self.env._(
                        "%(fields)s: chosen by the service desk, not by the requester.",
                        fields=", ".join(self._field_label(f) for f in chosen),
                    )
                )
            if vals.get("partner_id") and vals["partner_id"] not in own.ids:
                raise AccessError(
                    self.env._(
                        "%(field)s: you may file requests for yourself or your organisation only.",
                        field=self._field_label("partner_id"),
                    )
                )

    @api.model
    def _check_text_values(self, vals_list, create=False):
        """A subject is not blank; subject and description have bounded sizes.
        The superuser (mail gateway, imports) gets them shortened instead."""
        sizes = {"name": SUBJECT_MAX_SIZE, "description": DESCRIPTION_MAX_SIZE}
        for vals in vals_list:
            if (create or "name" in vals) and not (vals.get("name") or "").strip():
                raise ValidationError(self.env._("%(field)s: a case needs a subject.", field=self._field_label("name")))
            for fname, size in sizes.items():
                value = vals.get(fname)
                if not value or len(value) <= size:
                    continue
                if self.env.su:
                    vals[fname] = _shorten(value, size)
                    continue
                raise ValidationError(
                    self.env._(
                        "%(field)s is too long: %(length)s characters, at most %(size)s.",
                        field=self._field_label(fname),
                        length=len(value),
                        size=size,
                    )
                )
