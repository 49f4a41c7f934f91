/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function row(caseName) {
    return `.o_list_view .o_data_row:has(td[name=name]:contains(${caseName}))`;
}

function cellOf(caseName, field, text, content) {
    return {
        content: `${caseName}: ${content}`,
        trigger: `${row(caseName)} td[name=${field}]:contains(${text})`,
    };
}

function neverReads(caseName, field, pattern, why) {
    return {
        content: `${caseName}: ${why}`,
        trigger: `${row(caseName)} td[name=${field}]`,
        run({ anchor }) {
            if (pattern.test(anchor.textContent)) {
                throw new Error(`${caseName} ${field} reads "${anchor.textContent}"`);
            }
        },
    };
}

tours.add("service_desk_sla_screens_tour", {
    steps: () => [
        // deadline: date, time and how far from now
        {
            content: "Running case: the deadline reads its date and 'in 1 h ...'",
            trigger:
                `${row("Running case")} td[name=sla_deadline] ` +
                ".o_sd_deadline:has(.o_sd_deadline_date):has(.o_sd_deadline_relative:contains(in 1 h 1))",
        },
        cellOf("Late case", "sla_deadline", "overdue by 1 h", "the deadline reads overdue"),
        cellOf("Breached case", "sla_deadline", "breached", "flagged breached by the escalation job"),
        neverReads("Breached case", "sla_deadline", /\bin \d|Tomorrow/, "never a future-looking deadline"),
        // remaining working hours, not 00:00
        cellOf("Running case", "sla_time_left_hours", "1 h 1", "working time left"),
        cellOf("Late case", "sla_time_left_hours", "overdue by 1 h", "working time past the deadline"),
        cellOf("Paused case", "sla_time_left_hours", "1 h 30 min", "the frozen remainder while paused"),
        neverReads("Running case", "sla_time_left_hours", /00:00/, "no float_time zero"),
        cellOf("Old case", "sla_time_left_hours", "overdue by 28 h", "working hours, not days"),
        // the status is read now, not when the escalation job last ran
        cellOf("Late case", "sla_live_status", "Breached", "breached at once, before the escalation job runs"),
        cellOf("Running case", "sla_live_status", "On Track", "on track"),
        cellOf("Breached case", "sla_live_status", "Breached", "breached"),
        // the Overdue filter agrees with the badges
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        ...["Overdue", "At Risk", "SLA Breached"].map((name) => ({
            content: `SLA filter ${name}`,
            trigger: `.o_search_bar_menu .o_filter_menu .o_menu_item:contains(${name})`,
        })),
        {
            content: "Group by SLA status",
            trigger: ".o_search_bar_menu .o_group_by_menu .o_menu_item:contains(SLA Status)",
        },
        {
            content: "Filter Overdue",
            trigger: ".o_search_bar_menu .o_filter_menu .o_menu_item:contains(Overdue)",
            run: "click",
        },
        {
            content: "The late case is overdue, the running and paused ones are not",
            trigger:
                ".o_list_view:has(.o_data_row td[name=name]:contains(Late case))" +
                ":has(.o_data_row td[name=name]:contains(Breached case))" +
                ":not(:has(.o_data_row td[name=name]:contains(Running case)))" +
                ":not(:has(.o_data_row td[name=name]:contains(Paused case)))",
        },
        {
            content: "Open the late case",
            trigger: `${row("Late case")} td[name=name]`,
            run: "click",
        },
        {
            content: "The form: the ribbon says breached",
            trigger: ".o_form_view .ribbon:contains(SLA Breached)",
        },
        {
            content: "The form: the status badge says breached",
            trigger: ".o_form_view .o_field_widget[name=sla_live_status]:contains(Breached)",
        },
        {
            content: "The form: working time past the deadline",
            trigger: ".o_form_view .o_field_widget[name=sla_time_left_hours]:contains(overdue by 1 h)",
        },
        {
            content: "Open the SLA tab",
            trigger: ".o_form_view .o_notebook a[name=sla]",
            run: "click",
        },
        {
            content: "Each target shows its working time left",
            trigger:
                ".o_form_view .o_field_widget[name=sla_ids] .o_data_row:has(td:contains(Resolution)) " +
                "td[name=time_left_hours]:contains(5 h)",
        },
    ],
});

tours.add("service_desk_sla_kanban_tour", {
    steps: () => [
        {
            content: "The late case's card is breached at once",
            trigger:
                ".o_kanban_record:has(.o_sd_case_number):contains(Late case) " +
                ".o_field_widget[name=sla_live_status]:contains(Breached)",
        },
        {
            content: "The paused case's card shows the working time it stopped with",
            trigger: ".o_kanban_record:contains(Paused case) .o_sd_sla_paused:contains(1 h 30 min)",
        },
        {
            content: "The running case's card is on track, with its deadline",
            trigger:
                ".o_kanban_record:contains(Running case):has(.o_field_widget[name=sla_live_status]:contains(On Track))" +
                " .o_sd_deadline_relative:contains(in 1 h)",
        },
    ],
});

tours.add("service_desk_sla_leader_todo_tour", {
    steps: () => [
        {
            content: "Open the activities of the systray",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "The leader's SLA to-do is listed under the cases",
            trigger: ".o-mail-ActivityMenu .o-mail-ActivityGroup[data-model_name='service.desk.case']",
            run: "click",
        },
        {
            content: "The case of the to-do is listed",
            trigger: ".o_data_row td[name=name]:contains(Escalated case), .o_kanban_record:contains(Escalated case)",
            run: "click",
        },
        {
            content: "It opens the case",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Escalated case)",
        },
        {
            content: "with the to-do on it",
            trigger: ".o-mail-Activity:contains(SLA breached)",
        },
    ],
});
