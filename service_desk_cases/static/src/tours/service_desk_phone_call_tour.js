/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

function pickMany2one(field, search, label) {
    return [
        {
            content: `Search the ${field}`,
            trigger: `.o_dialog .o_field_widget[name=${field}] input`,
            run: `edit ${search}`,
        },
        {
            content: `Pick ${label}`,
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-menu a:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} is set`,
            trigger: `.o_dialog .o_field_widget[name=${field}] input:value(${label})`,
        },
    ];
}

registry.category("web_tour.tours").add("service_desk_phone_call_tour", {
    url: "/odoo/action-service_desk_cases.service_desk_phone_call_action",
    steps: () => [
        {
            content: "Type the caller's number",
            trigger: ".o_dialog .o_field_widget[name=phone] input",
            run: "edit +7 (495) 123-45-67 && press Tab",
        },
        {
            content: "The caller is found by the normalised number",
            trigger: ".o_dialog .o_field_widget[name=partner_id] input:value(Ivan Caller)",
        },
        ...pickMany2one("service_id", "Payments", "Payments"),
        {
            content: "Open the subservice dropdown",
            trigger: ".o_dialog .o_field_widget[name=subservice_id] input",
            run: "click",
        },
        {
            content: "Only the service's children are offered",
            trigger:
                ".o_field_widget[name=subservice_id] .o-autocomplete--dropdown-menu" +
                ":has(a:contains(Card payment failed))" +
                ":not(:has(a:contains(Schedule question)))",
        },
        {
            content: "Pick the subservice",
            trigger:
                ".o_field_widget[name=subservice_id] .o-autocomplete--dropdown-menu a:contains(Card payment failed)",
            run: "click",
        },
        ...pickMany2one("team_id", "Payments L2", "Payments L2"),
        {
            content: "Write the subject",
            trigger: ".o_dialog .o_field_widget[name=name] input",
            run: "edit Card charged twice for one ticket",
        },
        {
            content: "Register the case",
            trigger: ".o_dialog button[name=action_register]",
            run: "click",
        },
        {
            content: "We land on the case form",
            trigger:
                ".o_form_view .o_field_widget[name=name] input:value(Card charged twice for one ticket)",
        },
    ],
});

registry.category("web_tour.tours").add("service_desk_call_route_tour", {
    url: "/service_desk/call?phone=%2B7%20(495)%20123-45-67",
    steps: () => [
        {
            content: "The telephony link opens the call form with the caller filled in",
            trigger: ".o_dialog .o_field_widget[name=partner_id] input:value(Ivan Caller)",
        },
        {
            content: "The number is there too",
            trigger: ".o_dialog .o_field_widget[name=phone] input:value(+7 (495) 123-45-67)",
        },
    ],
});
