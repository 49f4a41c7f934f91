# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request


def _get_is_readonly(_controller):
    """The GET only shows the number (a read-only cursor: the replica when
    there is one); the POST registers the call on the primary."""
    return request.httprequest.method == "GET"


class ServiceDeskPhoneCallController(http.Controller):
    @http.route("/service_desk/call", type="http", auth="user", methods=["GET", "POST"], readonly=_get_is_readonly)
    def service_desk_call(self, phone=None, **kwargs):
        """Entry point for the telephony system on an incoming call.

        A GET (the link the telephony system opens, which mail and link
        scanners may also prefetch) changes nothing: it shows the number and
        posts it back at once. The POST, protected by the CSRF token, opens
        the operator's call form in the Service Desk app with the caller (and
        the contact's defaults) filled in when the number matches a contact,
        and the number prefilled otherwise.
        """
        env = request.env
        phone = (phone or "").strip()[:64]
        if not env.user.has_group("service_desk_cases.group_service_desk_user"):
            return request.render(
                "service_desk_cases.phone_call_error",
                {"message": env._("Only service desk agents can register phone calls."), "phone": phone},
                status=403,
            )
        if request.httprequest.method != "POST":
            return request.render("service_desk_cases.phone_call_open", {"phone": phone})
        try:
            with env.cr.savepoint():
                call = env["service.desk.phone.call"].create({"phone": phone or False})
                call._apply_partner_defaults()
                call._fill_single_choices()
        except ValidationError as error:
            return request.render(
                "service_desk_cases.phone_call_error",
                {"message": str(error), "phone": phone},
                status=400,
            )
        # The action's path opens the form as a page of the Service Desk app
        # (its menu bar, "Register a Call" in the breadcrumbs).
        return request.redirect(f"/odoo/service-desk-call/{call.id}")
