/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Working hours in words, never in days (a working day is not 24 h):
 * "38 h", "2 h 15 min", "40 min".
 */
export function formatWorkHours(minutes) {
    const hours = Math.floor(minutes / 60);
    const mins = minutes % 60;
    if (hours) {
        return mins ? _t("%(hours)s h %(mins)s min", { hours, mins }) : _t("%(hours)s h", { hours });
    }
    return _t("%(mins)s min", { mins });
}

/**
 * Working hours in words: "7 h 30 min" left, or "overdue by 1 h 10 min"
 * when negative (instead of float_time's "-01:10" or "00:00").
 */
export class ServiceDeskWorkHoursField extends Component {
    static template = "service_desk_sla.WorkHoursField";
    static props = { ...standardFieldProps };

    get minutes() {
        return Math.round((this.props.record.data[this.props.name] || 0) * 60);
    }

    get overdue() {
        return this.minutes < 0;
    }

    get text() {
        const span = formatWorkHours(Math.abs(this.minutes));
        return this.overdue ? _t("overdue by %(span)s", { span }) : span;
    }

    get title() {
        return this.overdue ? _t("Working time past the deadline") : _t("Working time left until the deadline");
    }
}

export const serviceDeskWorkHoursField = {
    component: ServiceDeskWorkHoursField,
    displayName: _t("Working hours (in words)"),
    supportedTypes: ["float"],
};

registry.category("fields").add("sd_work_hours", serviceDeskWorkHoursField);
