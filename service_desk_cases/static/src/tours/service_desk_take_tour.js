/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

// "Take" is offered only to those who can take the case (issue 10, item 6).
registry.category("web_tour.tours").add("service_desk_take_hidden_tour", {
    steps: () => [
        {
            content: "The case form is open",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Card declined)",
        },
        {
            content: "No Take button for someone outside the case's group",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_take]))",
        },
    ],
});

registry.category("web_tour.tours").add("service_desk_take_tour", {
    steps: () => [
        {
            content: "A member of the group takes the case",
            trigger: ".o_form_view .o_form_statusbar button[name=action_take]",
            run: "click",
        },
        {
            content: "The case is in progress",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(In Progress)",
        },
        {
            content: "Take is no longer offered to the assignee",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_take]))",
        },
    ],
});
