/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

const FORM = ".o_action_manager .o_form_view.o_service_desk_phone_call";

function pickMany2one(field, search, label) {
    return [
        {
            content: `Search the ${field}`,
            trigger: `${FORM} .o_field_widget[name=${field}] input`,
            run: `edit ${search}`,
        },
        {
            content: `Pick ${label}`,
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-menu a:contains(${label})`,
            run: "click",
        },
        {
            content: `${label} is set`,
            trigger: `${FORM} .o_field_widget[name=${field}] input:value(${label})`,
        },
    ];
}

function inServiceDeskApp(content) {
    return {
        content,
        trigger: ".o_main_navbar .o_menu_brand:contains(Service Desk)",
    };
}

registry.category("web_tour.tours").add("service_desk_phone_call_tour", {
    url: "/odoo/action-service_desk_cases.service_desk_phone_call_action",
    steps: () => [
        inServiceDeskApp("The call form is a page of the Service Desk app"),
        {
            content: "Fields come in the order of the call (and of the Tab key)",
            trigger: `${FORM} .o_field_widget[name=phone] input`,
            run() {
                const order = [...document.querySelectorAll(`${FORM} .o_field_widget[name]`)]
                    .filter((el) => !el.closest(".o_invisible_modifier, .d-none"))
                    .map((el) => el.getAttribute("name"));
                const expected = ["phone", "partner_id", "partner_name", "name", "service_id",
                    "subservice_id", "line_id", "team_id", "user_id", "priority", "description"];
                const seen = order.filter((name) => expected.includes(name));
                if (seen.join() !== expected.join()) {
                    throw new Error(`Field order ${seen.join()} instead of ${expected.join()}`);
                }
                const label = document.querySelector(`${FORM} label[for^=name]`);
                if (!label || !label.closest(".oe_title") || !document.querySelector(`${FORM} h1 .o_field_widget[name=name]`)) {
                    throw new Error("The subject is not the labelled main input");
                }
            },
        },
        {
            content: "Type the caller's number",
            trigger: `${FORM} .o_field_widget[name=phone] input`,
            run: "edit +7 (495) 123-45-67 && press Tab",
        },
        {
            content: "The caller is found by the normalised number",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(Ivan Caller)`,
        },
        {
            content: "Write the subject",
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: "edit Card charged twice for one ticket",
        },
        ...pickMany2one("service_id", "Payments", "Payments"),
        {
            content: "Open the subservice dropdown",
            trigger: `${FORM} .o_field_widget[name=subservice_id] input`,
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
        {
            content: "Three lines may take it: no line is chosen for the operator",
            trigger: `${FORM} .o_field_widget[name=subservice_id] input:value(Card payment failed)`,
            run() {
                const line = document.querySelector(`${FORM} .o_field_widget[name=line_id] input`);
                if (line.value) {
                    throw new Error(`Line filled in with ${line.value} though three lines are allowed`);
                }
            },
        },
        ...pickMany2one("line_id", "Second", "Second Line"),
        {
            content: "The second line's only allowed group is filled in",
            trigger: `${FORM} .o_field_widget[name=team_id] input:value(Payments L2)`,
        },
        {
            content: "Open the groups",
            trigger: `${FORM} .o_field_widget[name=team_id] input`,
            run: "click",
        },
        {
            content: "Only groups of the chosen line are offered",
            trigger:
                ".o_field_widget[name=team_id] .o-autocomplete--dropdown-menu" +
                ":has(a:contains(Payments L2))" +
                ":not(:has(a:contains(Front Desk))):not(:has(a:contains(Experts L3)))",
            run: "press Escape",
        },
        {
            content: "Register the case",
            trigger: `${FORM} button[name=action_register]`,
            run: "click",
        },
        {
            content: "We land on the case form",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Card charged twice for one ticket)",
        },
        inServiceDeskApp("The case stays in the Service Desk app"),
        {
            content: "The breadcrumbs name the case",
            trigger: ".o_breadcrumb .active:contains(Card charged twice for one ticket)",
        },
    ],
});

registry.category("web_tour.tours").add("service_desk_call_route_tour", {
    url: "/service_desk/call?phone=%2B7%20(495)%20123-45-67",
    steps: () => [
        inServiceDeskApp("The telephony link opens inside the Service Desk app"),
        {
            content: "The telephony link opens the call form with the caller filled in",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(Ivan Caller)`,
        },
        {
            content: "The number is there too",
            trigger: `${FORM} .o_field_widget[name=phone] input:value(+7 (495) 123-45-67)`,
        },
    ],
});

registry.category("web_tour.tours").add("service_desk_call_link_tour", {
    url: "/service_desk/call?phone=%2B7%20(495)%20123-45-67",
    steps: () => [
        inServiceDeskApp("The telephony link opens inside the Service Desk app"),
        {
            content: "The call form is the page (not a dialog over a blank page), with the caller filled in",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(Ivan Caller)`,
        },
        {
            content: "No dialog",
            trigger: "body:not(:has(.o_dialog))",
        },
        {
            content: "The breadcrumbs show the call form",
            trigger: ".o_breadcrumb .active:contains(Call from +7 (495) 123-45-67)",
        },
        {
            content: "The number is there too",
            trigger: `${FORM} .o_field_widget[name=phone] input:value(+7 (495) 123-45-67)`,
        },
        {
            content: "The caller's defaults are there: the service",
            trigger: `${FORM} .o_field_widget[name=service_id] input:value(Events)`,
        },
        {
            content: "Write the subject",
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: "edit Refund for a cancelled show",
        },
        {
            content: "Register the case",
            trigger: `${FORM} button[name=action_register]`,
            run: "click",
        },
        {
            content: "The saved case",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Refund for a cancelled show)",
        },
        inServiceDeskApp("The saved case stays in the Service Desk app"),
    ],
});

registry.category("web_tour.tours").add("service_desk_call_contact_defaults_tour", {
    url: "/odoo/action-service_desk_cases.service_desk_phone_call_action",
    steps: () => [
        ...pickMany2one("partner_id", "Ticket refunds", "Ticket refunds"),
        {
            content: "The contact's service shows at once",
            trigger: `${FORM} .o_field_widget[name=service_id] input:value(Events)`,
        },
        {
            content: "The contact's engineer shows at once",
            trigger: `${FORM} .o_field_widget[name=user_id] input:value(Eva Engineer)`,
        },
        {
            content: "Write the subject",
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: "edit Refund of two tickets",
        },
        {
            content: "Register the case",
            trigger: `${FORM} button[name=action_register]`,
            run: "click",
        },
        {
            content: "The saved case has the engineer",
            trigger: ".o_form_view:not(.o_service_desk_phone_call) .o_field_widget[name=user_id] input:value(Eva Engineer)",
        },
    ],
});
