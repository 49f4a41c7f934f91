/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { Component } from "@odoo/owl";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Span of time in words, at most two units: "3 d 4 h", "2 h 15 min", "40 min".
 */
export function formatSpan(minutes) {
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days) {
        return hours ? _t("%(days)s d %(hours)s h", { days, hours }) : _t("%(days)s d", { days });
    }
    if (hours) {
        return mins ? _t("%(hours)s h %(mins)s min", { hours, mins }) : _t("%(hours)s h", { hours });
    }
    return _t("%(mins)s min", { mins });
}

/**
 * A deadline read at a glance: its date and time, and how far it is from
 * now ("in 2 h 15 min", "overdue by 40 min"). A deadline already missed
 * (or flagged breached by ``breached_field``) never reads as a future one.
 */
export class ServiceDeskDeadlineField extends Component {
    static template = "service_desk_cases.DeadlineField";
    static props = {
        ...standardFieldProps,
        breachedField: { type: String, optional: true },
        showDate: { type: Boolean, optional: true },
    };
    static defaultProps = { showDate: true };

    get value() {
        return this.props.record.data[this.props.name];
    }

    get formattedDate() {
        return formatDateTime(this.value, { showSeconds: false });
    }

    get breached() {
        const field = this.props.breachedField;
        return Boolean(field && this.props.record.data[field] === "breached");
    }

    get overdue() {
        return this.value && this.value.diffNow().as("minutes") < 0;
    }

    get relative() {
        if (!this.value) {
            return "";
        }
        const minutes = Math.round(Math.abs(this.value.diffNow().as("minutes")));
        if (this.overdue) {
            return _t("overdue by %(span)s", { span: formatSpan(minutes) });
        }
        if (this.breached) {
            return _t("breached");
        }
        return _t("in %(span)s", { span: formatSpan(minutes) });
    }

    get relativeClass() {
        if (this.overdue || this.breached) {
            return "text-danger";
        }
        return this.value && this.value.diffNow().as("hours") < 1 ? "text-warning" : "text-muted";
    }
}

export const serviceDeskDeadlineField = {
    component: ServiceDeskDeadlineField,
    displayName: _t("Deadline (relative)"),
    supportedTypes: ["datetime"],
    extractProps: ({ options }) => ({
        breachedField: options.breached_field,
        showDate: options.show_date !== false,
    }),
};

registry.category("fields").add("sd_deadline", serviceDeskDeadlineField);
