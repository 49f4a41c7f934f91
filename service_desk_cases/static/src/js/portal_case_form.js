/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Dependent dropdowns of the portal case form: the service restricts the
 * subservices to its children, a subservice selects its service. The
 * responsible group is chosen by the catalog on the server, never here.
 */
publicWidget.registry.ServiceDeskCaseForm = publicWidget.Widget.extend({
    selector: ".o_service_desk_case_form",
    events: {
        'change select[name="service_id"]': "_onServiceChange",
        'change select[name="subservice_id"]': "_onSubserviceChange",
    },

    start() {
        this.service = this.el.querySelector('select[name="service_id"]');
        this.subservice = this.el.querySelector('select[name="subservice_id"]');
        this._filter();
        return this._super(...arguments);
    },

    _onServiceChange() {
        this._filter();
    },

    _onSubserviceChange() {
        const option = this.subservice.selectedOptions[0];
        if (option && option.dataset.parent && this.service.value !== option.dataset.parent) {
            this.service.value = option.dataset.parent;
        }
        this._filter();
    },

    _filter() {
        const serviceId = this.service.value;
        for (const option of this.subservice.options) {
            if (option.value) {
                option.hidden = Boolean(serviceId) && option.dataset.parent !== serviceId;
            }
        }
        if (this.subservice.selectedOptions[0]?.hidden) {
            this.subservice.value = "";
        }
    },
});
