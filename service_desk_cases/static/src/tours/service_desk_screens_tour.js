/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("service_desk_case_new_tour", {
    steps: () => [
        {
            content: "The breadcrumb of a new case reads New",
            trigger: ".o_breadcrumb .active:contains(New):not(:contains(False))",
        },
        {
            content: "Choose the contact",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Ticket refunds",
        },
        {
            content: "Pick it",
            trigger: ".o_field_widget[name=partner_id] .o-autocomplete--dropdown-menu a:contains(Ticket refunds)",
            run: "click",
        },
        {
            content: "The contact's service shows at once, before saving",
            trigger: ".o_form_view .o_field_widget[name=service_id] input:value(Events)",
        },
        {
            content: "The contact's engineer shows at once",
            trigger: ".o_form_view .o_field_widget[name=user_id] input:value(Eva Engineer)",
        },
        {
            content: "Still unsaved: the breadcrumb still reads New",
            trigger: ".o_form_view .o_form_status_indicator_buttons:not(.invisible)",
            run() {
                const crumb = document.querySelector(".o_breadcrumb .active").textContent;
                if (crumb.includes("False")) {
                    throw new Error(`Breadcrumb reads ${crumb}`);
                }
            },
        },
        {
            content: "Leave without saving",
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            content: "Discarded: back on the cases",
            trigger: ".o_list_view",
        },
    ],
});

tours.add("service_desk_escalate_hidden_tour", {
    steps: () => [
        {
            content: "The case form is loaded",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Card declined)",
        },
        {
            content: "No Escalate button for who cannot escalate",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_escalate]))",
        },
    ],
});

tours.add("service_desk_escalate_shown_tour", {
    steps: () => [
        {
            content: "The case form is loaded",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Card declined)",
        },
        {
            content: "Escalate is offered to the staff of the case's group",
            trigger: ".o_form_view .o_form_statusbar button[name=action_escalate]",
        },
    ],
});

tours.add("service_desk_kanban_tour", {
    steps: () => [
        {
            content: "A card shows the number, the requester, priority and assignee",
            trigger:
                ".o_kanban_record:has(.o_sd_case_number):has(.o_sd_case_requester:contains(Acme Theatres))" +
                ":has(.o_field_priority):has(.o_field_many2one_avatar_user)",
        },
        {
            content: "The number stays on one line",
            trigger: ".o_kanban_record .o_sd_case_number",
            run() {
                for (const el of document.querySelectorAll(".o_kanban_record .o_sd_case_number")) {
                    const style = getComputedStyle(el);
                    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
                    if (style.whiteSpace !== "nowrap" || el.getBoundingClientRect().height > lineHeight * 1.5) {
                        throw new Error(`Case number ${el.textContent} wraps`);
                    }
                }
            },
        },
    ],
});

tours.add("service_desk_search_tour", {
    steps: () => [
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        ...["My Cases", "My Groups", "Unassigned", "My Activities", "Late Activities"].map((name) => ({
            content: `Filter ${name}`,
            trigger: `.o_search_bar_menu .o_filter_menu .o_menu_item:contains(${name})`,
        })),
        ...["Line", "Group", "Service"].map((name) => ({
            content: `Group by ${name}`,
            trigger: `.o_search_bar_menu .o_group_by_menu .o_menu_item:contains(${name})`,
        })),
        {
            content: "Group by line",
            trigger: ".o_search_bar_menu .o_group_by_menu .o_menu_item:contains(Line)",
            run: "click",
        },
        {
            content: "Cases grouped by line",
            trigger: ".o_list_view .o_group_header:contains(First Line)",
        },
        {
            content: "Filter My Activities",
            trigger: ".o_search_bar_menu .o_filter_menu .o_menu_item:contains(My Activities)",
            run: "click",
        },
        {
            content: "Only the case with my activity is left",
            trigger: ".o_list_view .o_group_header:contains(First Line):contains(1)",
        },
    ],
});

tours.add("service_desk_home_tour", {
    steps: () => [
        {
            content: "After login the Service Desk app is open",
            trigger: ".o_main_navbar .o_menu_brand:contains(Service Desk)",
        },
        {
            content: "with its cases",
            trigger: ".o_action_manager .o_list_view, .o_action_manager .o_kanban_view",
        },
    ],
});

tours.add("service_desk_leader_reassign_tour", {
    steps: () => [
        {
            content: "The leader opens the assignee",
            trigger: ".o_form_view .o_field_widget[name=user_id] input",
            run: "click",
        },
        {
            content: "Only the group's staff are offered",
            trigger:
                ".o_field_widget[name=user_id] .o-autocomplete--dropdown-menu" +
                ":has(a:contains(Eva Engineer)):not(:has(a:contains(Anton Agent)))",
        },
        {
            content: "Reassign to Eva",
            trigger: ".o_field_widget[name=user_id] .o-autocomplete--dropdown-menu a:contains(Eva Engineer)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ],
});

tours.add("service_desk_leader_todo_tour", {
    steps: () => [
        {
            content: "The leader's to-do is listed on the case",
            trigger: ".o_activity_view .o_activity_record:contains(Card declined)",
            run: "click",
        },
        {
            content: "It opens the case",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Card declined)",
        },
        {
            content: "in the Service Desk app",
            trigger: ".o_main_navbar .o_menu_brand:contains(Service Desk)",
        },
    ],
});
