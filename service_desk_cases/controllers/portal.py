# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.errors import ReadOnlySqlTransaction

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.rating.controllers.main import Rating

from ..models.service_desk_data import DESCRIPTION_MAX_SIZE

# The group is chosen by the catalog and the routing, never by the customer.
CASE_FORM_FIELDS = ("name", "description", "service_id", "subservice_id")
ATTACHMENTS_MAX_COUNT = 10
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024


def _readonly_on_get(_controller):
    """A form's GET only shows it (a read-only cursor: the replica when there
    is one); its POST writes on the primary."""
    return request.httprequest.method == "GET"


class ServiceDeskCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "case_count" in counters:
            Case = request.env["service.desk.case"]
            values["case_count"] = Case.search_count(self._prepare_cases_domain()) if Case.has_access("read") else 0
        return values

    # ------------------------------------------------------------------
    # List and detail
    # ------------------------------------------------------------------

    def _prepare_cases_domain(self):
        """Cases the portal lists: those of the user's commercial partner,
        or the internal requester's own. The record rules still apply."""
        user = request.env.user
        if user._is_internal():
            return ["|", ("partner_id", "=", user.partner_id.id), ("create_uid", "=", user.id)]
        return [("commercial_partner_id", "=", user.commercial_partner_id.id)]

    def _case_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": env._("Subject"), "order": "name, id"},
            "stage": {"label": env._("Stage"), "order": "stage_id, id desc"},
            "priority": {"label": env._("Priority"), "order": "priority desc, id desc"},
        }

    def _case_searchbar_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open Cases"), "domain": [("is_open", "=", True)]},
            "done": {"label": env._("Done"), "domain": [("is_open", "=", False)]},
        }

    # Read-only routes: Odoo serves them from a read-only cursor, on the
    # streaming replica when one is configured (db_replica_host), and runs
    # them again on the primary if they try to write.
    @http.route(["/my/cases", "/my/cases/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_cases(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Case = request.env["service.desk.case"]
        sortings = self._case_searchbar_sortings()
        filters = self._case_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._prepare_cases_domain() + filters[filterby]["domain"]
        if not Case.has_access("read"):
            domain = [("id", "=", False)]
        count = Case.search_count(domain)
        pager = portal_pager(
            url="/my/cases",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        cases = Case.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"])
        request.session["my_cases_history"] = cases.ids[:100]
        values.update(
            {
                "cases": cases,
                "page_name": "service_desk_case",
                "default_url": "/my/cases",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("service_desk_cases.portal_my_cases", values)

    @http.route("/my/cases/<int:case_id>", type="http", auth="public", website=True, readonly=True)
    def portal_my_case(self, case_id, access_token=None, **kw):
        try:
            case_sudo = self._document_check_access("service.desk.case", case_id, access_token)
        except MissingError:
            if request.env.cr.readonly:
                # A replica that lags may not have the case yet (the redirect
                # right after its creation): read it on the primary.
                raise ReadOnlySqlTransaction("the case is not on the replica yet") from None
            if request.env.user._is_public():
                return request.redirect(f"/web/login?redirect=/my/cases/{case_id}")
            raise request.not_found() from None
        except AccessError:
            if request.env.user._is_public():
                return request.redirect(f"/web/login?redirect=/my/cases/{case_id}")
            raise request.not_found() from None
        if not case_sudo.access_token and request.env.cr.readonly:
            # the first view gives the case its access token: a write
            raise ReadOnlySqlTransaction("the case has no access token yet")
        case_sudo._portal_ensure_token()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "case": case_sudo,
                "page_name": "service_desk_case",
                "case_actions": case_sudo._requester_actions(),
                "case_message": kw.get("message"),
                "access_token": access_token,
            }
        )
        values = self._get_page_view_values(case_sudo, access_token, values, "my_cases_history", False, **kw)
        return request.render("service_desk_cases.portal_my_case", values)

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    def _case_form_catalog(self):
        """Services and subservices the user may pick from (read as the
        user: the catalog's access rules apply)."""
        Service = request.env["service.desk.service"]
        company_domain = [("company_id", "in", [request.env.company.id, False])]
        services = Service.search([("parent_id", "=", False)] + company_domain)
        subservices = Service.search([("parent_id", "in", services.ids)] + company_domain)
        return services, subservices

    def _case_form_validate(self, post):
        """Check the posted form against the catalog the user can read.

        Returns (values for create, errors by field name).
        """
        env = request.env
        services, subservices = self._case_form_catalog()
        errors = {}

        def _record(field, records, label):
            raw = (post.get(field) or "").strip()
            if not raw:
                return records.browse()
            record = records.browse(int(raw)) if raw.isdigit() else records.browse()
            if record not in records or not record:
                errors[field] = env._("%(field)s: choose a value from the list.", field=label)
                return records.browse()
            return record

        name = (post.get("name") or "").strip()
        if not name:
            errors["name"] = env._("Subject: describe your request in a few words.")
        elif len(name) > 200:
            errors["name"] = env._("Subject: keep it under 200 characters.")
        description = post.get("description") or ""
        if len(description) > DESCRIPTION_MAX_SIZE:
            errors["description"] = env._(
                "Description: keep it under %(size)s characters, or attach a file.", size=DESCRIPTION_MAX_SIZE
            )
        service = _record("service_id", services, env._("Service"))
        subservice = _record("subservice_id", subservices, env._("Subservice"))
        if subservice and not service:
            service = subservice.parent_id
        if subservice and subservice.parent_id != service:
            errors["subservice_id"] = env._(
                "Subservice: '%(sub)s' is not part of the service '%(service)s'.",
                sub=subservice.name,
                service=service.name,
            )
        user = env.user
        values = {
            "name": name,
            "description": plaintext2html(description) if description.strip() else False,
            "service_id": service.id,
            "subservice_id": subservice.id,
            "partner_id": user.partner_id.id,
            "company_id": env.company.id,
            "channel": "internal" if user._is_internal() else "portal",
        }
        return values, errors

    def _case_form_values(self, post, errors):
        services, subservices = self._case_form_catalog()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_desk_case_new",
                "services": services,
                "subservices": subservices,
                "post": post,
                "errors": errors,
                "attachments_max_count": ATTACHMENTS_MAX_COUNT,
                "attachment_max_size_mb": ATTACHMENT_MAX_SIZE // (1024 * 1024),
            }
        )
        return values

    def _case_form_files(self, errors):
        """The files posted with the form: [(name, content)], within limits."""
        env = request.env
        files = [f for f in request.httprequest.files.getlist("attachments") if f and f.filename]
        if len(files) > ATTACHMENTS_MAX_COUNT:
            errors["attachments"] = env._("Attachments: at most %(count)s files.", count=ATTACHMENTS_MAX_COUNT)
            return []
        result = []
        for upload in files:
            content = upload.read(ATTACHMENT_MAX_SIZE + 1)
            if len(content) > ATTACHMENT_MAX_SIZE:
                errors["attachments"] = env._(
                    "Attachments: '%(name)s' is larger than %(size)s MB.",
                    name=upload.filename,
                    size=ATTACHMENT_MAX_SIZE // (1024 * 1024),
                )
                return []
            result.append((upload.filename, content))
        return result

    @http.route(
        "/my/cases/new", type="http", auth="user", website=True, methods=["GET", "POST"], readonly=_readonly_on_get
    )
    def portal_my_case_new(self, **post):
        env = request.env
        if not (env.user._is_portal() or env.user.has_group("service_desk_cases.group_service_desk_requester")):
            raise request.not_found()
        if request.httprequest.method != "POST":
            return request.render("service_desk_cases.portal_my_case_new", self._case_form_values({}, {}))
        post = {key: post.get(key, "") for key in CASE_FORM_FIELDS}
        values, errors = self._case_form_validate(post)
        files = self._case_form_files(errors)
        if not errors:
            Case = env["service.desk.case"]
            # Portal users read cases only: the values were checked above
            # against the catalog they can read, so create as superuser.
            if not Case.has_access("create"):
                Case = Case.sudo()
            try:
                with env.cr.savepoint():
                    case = Case.create(values)
            except ValidationError as error:
                errors["common"] = str(error)
            else:
                if files:
                    # The requester's files, on the case's public history.
                    case.sudo().message_post(
                        body=env._("Files attached to the request."),
                        author_id=env.user.partner_id.id,
                        attachments=files,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
                return request.redirect(f"/my/cases/{case.id}")
        return request.render("service_desk_cases.portal_my_case_new", self._case_form_values(post, errors), status=400)

    # ------------------------------------------------------------------
    # The requester's actions on a finished case (POST + CSRF)
    # ------------------------------------------------------------------

    def _case_for_requester(self, case_id, access_token=None):
        """The case (as superuser) once the user's access to it is checked:
        only its requester's side (or the holder of its link) acts on it."""
        try:
            return self._document_check_access("service.desk.case", case_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None

    def _case_redirect(self, case_sudo, access_token=None, message=None):
        url = f"/my/cases/{case_sudo.id}"
        params = []
        if access_token:
            params.append(f"access_token={access_token}")
        if message:
            params.append(f"message={message}")
        return request.redirect(url + ("?" + "&".join(params) if params else ""))

    @http.route("/my/cases/<int:case_id>/close", type="http", auth="public", methods=["POST"], website=True)
    def portal_case_close(self, case_id, access_token=None, **kw):
        case_sudo = self._case_for_requester(case_id, access_token)
        try:
            case_sudo._requester_close()
        except UserError:
            return self._case_redirect(case_sudo, access_token, "not_closable")
        return self._case_redirect(case_sudo, access_token, "closed")

    @http.route("/my/cases/<int:case_id>/reopen", type="http", auth="public", methods=["POST"], website=True)
    def portal_case_reopen(self, case_id, access_token=None, **kw):
        case_sudo = self._case_for_requester(case_id, access_token)
        try:
            case_sudo._requester_reopen()
        except UserError:
            return self._case_redirect(case_sudo, access_token, "not_reopenable")
        return self._case_redirect(case_sudo, access_token, "reopened")

    @http.route("/my/cases/<int:case_id>/rate", type="http", auth="public", methods=["POST"], website=True)
    def portal_case_rate(self, case_id, rate=0, feedback=None, access_token=None, **kw):
        case_sudo = self._case_for_requester(case_id, access_token)
        rate = int(rate) if str(rate).isdigit() else 0
        if rate not in (1, 3, 5):
            return self._case_redirect(case_sudo, access_token, "bad_rate")
        try:
            case_sudo._requester_rate(rate, (feedback or "").strip()[:2000])
        except UserError:
            return self._case_redirect(case_sudo, access_token, "not_ratable")
        return self._case_redirect(case_sudo, access_token, "rated")


class ServiceDeskRating(Rating):
    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        """A case rating applies once (see ``rating_apply``): opening one of
        the mail's links again shows the value that was given."""
        rating = request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
        if rating.res_model == "service.desk.case" and rating.consumed and int(rating.rating) in (1, 3, 5):
            rate = int(rating.rating)
        return super().action_open_rating(token, rate, **kwargs)
