/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_desk_portal_case_tour", {
    url: "/my/cases/new",
    steps: () => [
        {
            content: "Type the subject",
            trigger: ".o_service_desk_case_form input[name=name]",
            run: "edit Projector flickers in hall 2",
        },
        {
            content: "Choose the subservice: its service follows",
            trigger: ".o_service_desk_case_form select[name=subservice_id]",
            run: "selectByLabel Schedule question",
        },
        {
            content: "The service was filled in",
            trigger: ".o_service_desk_case_form select[name=service_id]:has(option:selected:contains(Events))",
        },
        {
            content: "No internal group to choose",
            trigger: ".o_service_desk_case_form:not(:has(select[name=team_id]))",
        },
        {
            content: "Describe the problem on several lines",
            trigger: ".o_service_desk_case_form textarea[name=description]",
            run: "edit The image flickers every minute, since the morning show.",
        },
        {
            content: "Submit",
            trigger: ".o_service_desk_case_form button[type=submit]",
            run: "click",
        },
        {
            content: "The case page shows the description",
            trigger: ".o_service_desk_case_description:contains(flickers every minute)",
        },
        {
            content: "The history (chatter) is loaded",
            trigger: ".o_portal_chatter",
            run: async () => {
                await odoo.portalChatterReady;
            },
        },
    ],
});
