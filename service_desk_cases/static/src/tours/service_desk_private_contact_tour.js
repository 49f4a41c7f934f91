/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_desk_private_contact_tour", {
    steps: () => [
        {
            content: "The case of a contact without a company opens with its chatter",
            trigger: ".o-mail-Chatter .o-mail-Message",
        },
        {
            content: "The requester follows the case",
            trigger: ".o-mail-Followers-button",
            run: "click",
        },
        {
            content: "Listed among the followers",
            trigger: ".o-mail-Follower:contains(Pavel Private)",
        },
        {
            content: "Reply to the requester",
            trigger: "button:contains(Send message)",
            run: "click",
        },
        {
            content: "Write the reply",
            trigger: ".o-mail-Composer-input",
            run: "edit Your ticket is at the box office",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the thread",
            trigger: ".o-mail-Message:contains(Your ticket is at the box office)",
        },
    ],
});
