/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

// An employee (Requester role) files a request from "My Requests": a simple
// form in a dialog that is saved by "Submit", never silently.
registry.category("web_tour.tours").add("service_desk_request_tour", {
    url: "/odoo/action-service_desk_cases.service_desk_case_action_requests",
    steps: () => [
        {
            content: "Start a new request",
            trigger: ".o_control_panel button:contains(New Request)",
            run: "click",
        },
        {
            content: "The request form has no assignee, group or stage to choose",
            trigger:
                ".o_dialog .o_form_view:not(:has(.o_field_widget[name=user_id]))" +
                ":not(:has(.o_field_widget[name=team_id])):not(:has(.o_statusbar_status))",
        },
        {
            content: "Write the subject",
            trigger: ".o_dialog .o_field_widget[name=name] input",
            run: "edit My laptop does not start",
        },
        {
            content: "Search the service",
            trigger: ".o_dialog .o_field_widget[name=service_id] input",
            run: "edit Payments",
        },
        {
            content: "Pick the service",
            trigger: ".o_field_widget[name=service_id] .o-autocomplete--dropdown-menu a:contains(Payments)",
            run: "click",
        },
        {
            content: "Describe the request",
            trigger: ".o_dialog .o_field_widget[name=description] .odoo-editor-editable",
            run: "editor It beeps three times since this morning.",
        },
        {
            content: "Submit the request",
            trigger: ".o_dialog .modal-footer button:contains(Submit)",
            run: "click",
        },
        {
            content: "The dialog is closed and the request is listed",
            trigger: "body:not(:has(.o_dialog)) .o_list_view .o_data_row td:contains(My laptop does not start)",
        },
    ],
});
