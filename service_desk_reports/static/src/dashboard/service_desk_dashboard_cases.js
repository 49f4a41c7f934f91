/** @odoo-module */
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
/**
 * On the Service Desk dashboard, a chart's bar or slice, a pivot cell and a
 * KPI open the cases behind the figure (service.desk.case list, then form),
 * not the rows of the analysis model: the analysis model turns the figure's
 * domain into the cases (``get_cases_action``), with the user's rights.
 */
import * as spreadsheet from "@odoo/o-spreadsheet";
import { patch } from "@web/core/utils/patch";
import { OdooChartUIPlugin } from "@spreadsheet/chart/plugins/odoo_chart_ui_plugin";
import { SEE_RECORDS_PIVOT_VISIBLE } from "@spreadsheet/pivot/pivot_actions";

const { chartRegistry, clickableCellRegistry } = spreadsheet.registries;

export const ANALYSIS_MODELS = [
    "service.desk.case.report",
    "service.desk.sla.report",
    "service.desk.rating.report",
    "service.desk.backlog.report",
];

/**
 * Open the cases behind a figure; ``measure`` is the figure's measure: the
 * cases of an average are those that have a value.
 */
async function openCases(env, resModel, domain, name, measure) {
    const action = await env.services.orm.call(resModel, "get_cases_action", [domain], { name, measure });
    await env.services.action.doAction(action);
}

function analysisPivotId(position, getters) {
    const pivotId = getters.getPivotIdFromPosition(position);
    if (!pivotId || getters.getPivotCoreDefinition(pivotId).type !== "ODOO") {
        return undefined;
    }
    return ANALYSIS_MODELS.includes(getters.getPivotCoreDefinition(pivotId).model) ? pivotId : undefined;
}

async function openPivotCellCases(position, env, name) {
    const getters = env.model.getters;
    const pivotId = analysisPivotId(position, getters);
    const pivot = getters.getPivot(pivotId);
    await pivot.load();
    const pivotCell = getters.getPivotCellFromPosition(position);
    const domain = pivot.getPivotCellDomain(pivotCell.domain);
    const measure = pivotCell.measure ? pivot.getMeasure(pivotCell.measure).fieldName : undefined;
    await openCases(env, pivot.definition.model, domain, name || getters.getPivotName(pivotId), measure);
}

/** The sheet position of a scorecard's key value, when it is an analysis pivot cell. */
function scorecardPosition(getters, figureId) {
    const definition = getters.getChartDefinition(figureId);
    if (definition?.type !== "scorecard" || !definition.keyValue) {
        return undefined;
    }
    const range = getters.getRangeFromSheetXC(getters.getActiveSheetId(), definition.keyValue);
    const position = { sheetId: range.sheetId, col: range.zone.left, row: range.zone.top };
    return analysisPivotId(position, getters) ? position : undefined;
}

clickableCellRegistry.add("service_desk_cases", {
    condition: (position, getters) =>
        SEE_RECORDS_PIVOT_VISIBLE(position, getters) && Boolean(analysisPivotId(position, getters)),
    execute: (position, env) => openPivotCellCases(position, env),
    // before Odoo's "see records" of the analysis rows
    sequence: 1,
});

patch(OdooChartUIPlugin.prototype, {
    getChartDatasetActionCallbacks(chart) {
        const callbacks = super.getChartDatasetActionCallbacks(chart);
        if (!ANALYSIS_MODELS.includes(chart.metaData.resModel)) {
            return callbacks;
        }
        const { datasets, labels } = chart.dataSource.getData();
        const env = this.custom.env;
        return {
            ...callbacks,
            onClick: async (event, items) => {
                if (!items.length || !env) {
                    return;
                }
                const { datasetIndex, index } = items[0];
                const dataset = datasets[datasetIndex];
                const name = dataset.label ? `${labels[index]} / ${dataset.label}` : labels[index];
                const { resModel, measure } = chart.metaData;
                await openCases(env, resModel, dataset.domains[index], name, measure);
            },
        };
    },
});

// Odoo's line charts have no click action: the analysis' ones open their cases too.
const lineChart = chartRegistry.get("odoo_line");
chartRegistry.add("odoo_line", {
    ...lineChart,
    getChartRuntime(chart, getters) {
        const runtime = lineChart.getChartRuntime(chart, getters);
        if (ANALYSIS_MODELS.includes(chart.metaData.resModel)) {
            runtime.chartJsConfig.options = {
                ...runtime.chartJsConfig.options,
                ...getters.getChartDatasetActionCallbacks(chart),
            };
        }
        return runtime;
    },
});

patch(spreadsheet.components.FigureComponent.prototype, {
    async onClick() {
        if (this.env.isDashboard()) {
            const getters = this.env.model.getters;
            const position = scorecardPosition(getters, this.props.figure.id);
            if (position) {
                const title = getters.getChartDefinition(this.props.figure.id).title?.text;
                return openPivotCellCases(position, this.env, title);
            }
        }
        return super.onClick(...arguments);
    },
});
