/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_desk_escalate_tour", {
    steps: () => [
        {
            content: "The agent escalates a case of their group",
            trigger: ".o_form_view .o_form_statusbar button[name=action_escalate]",
            run: "click",
        },
        {
            content: "Open the groups offered",
            trigger: ".o_dialog .o_field_widget[name=team_id] input",
            run: "click",
        },
        {
            content: "Only later-line groups allowed for the service are offered",
            trigger:
                ".o_field_widget[name=team_id] .o-autocomplete--dropdown-menu" +
                ":has(a:contains(Payments L2)):has(a:contains(Experts L3))" +
                ":not(:has(a:contains(Front Desk))):not(:has(a:contains(Events L2)))",
        },
        {
            content: "Pick the second line",
            trigger: ".o_field_widget[name=team_id] .o-autocomplete--dropdown-menu a:contains(Payments L2)",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_dialog .o_field_widget[name=reason] textarea",
            run: "edit Needs the payment gateway logs",
        },
        {
            content: "Escalate",
            trigger: ".o_dialog button[name=action_confirm]",
            run: "click",
        },
        {
            content: "A clear notice",
            trigger: ".o_notification:contains(escalated to Payments L2)",
        },
        {
            content: "The case is out of sight: back on the case list",
            trigger: ".o_list_view",
        },
    ],
});
