/** @odoo-module */
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
/**
 * The pivot and graph views of the Service Desk analysis: a cell, a bar or a
 * slice opens the cases behind it (service.desk.case list, then form) rather
 * than the analysis rows, which are not records one can work on.
 */
import { Domain } from "@web/core/domain";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { graphView } from "@web/views/graph/graph_view";
import { PivotRenderer } from "@web/views/pivot/pivot_renderer";
import { pivotView } from "@web/views/pivot/pivot_view";

/** ``measure``: the cases of an average are those that have a value. */
async function openCases(orm, actionService, resModel, domain, measure) {
    const action = await orm.call(resModel, "get_cases_action", [new Domain(domain).toList()], { measure });
    await actionService.doAction(action);
}

export class ServiceDeskReportPivotRenderer extends PivotRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }

    onOpenView(cell) {
        this.openedMeasure = cell.measure;
        return super.onOpenView(cell);
    }

    openView(domain) {
        const { resModel } = this.model.metaData;
        return openCases(this.orm, this.actionService, resModel, domain, this.openedMeasure);
    }
}

export class ServiceDeskReportGraphRenderer extends GraphRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }

    openView(domain) {
        const { resModel, measure } = this.model.metaData;
        return openCases(this.orm, this.actionService, resModel, domain, measure);
    }
}

registry.category("views").add("service_desk_report_pivot", {
    ...pivotView,
    Renderer: ServiceDeskReportPivotRenderer,
});
registry.category("views").add("service_desk_report_graph", {
    ...graphView,
    Renderer: ServiceDeskReportGraphRenderer,
});
