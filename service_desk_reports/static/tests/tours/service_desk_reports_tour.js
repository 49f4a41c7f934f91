/** @odoo-module **/
// Copyright 2026 Service Desk contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** Click the first bar (or slice) of a dashboard chart, as a user would. */
function clickFirstElement(figureId) {
    const canvas = document.querySelector(`.o-figure[data-id=${figureId}] canvas`);
    const chart = window.Chart.getChart(canvas);
    const element = chart.getDatasetMeta(0).data[0];
    const { x, y } = element.getCenterPoint();
    const rect = canvas.getBoundingClientRect();
    const options = { bubbles: true, clientX: rect.left + x, clientY: rect.top + y };
    canvas.dispatchEvent(new MouseEvent("mousemove", options));
    canvas.dispatchEvent(new MouseEvent("click", options));
}

function assertRows(count) {
    const rows = document.querySelectorAll(".o_list_view .o_data_row");
    if (rows.length !== count) {
        throw new Error(`Expected ${count} cases, got ${rows.length}`);
    }
}

const dashboardLoaded = {
    content: "The dashboard and its charts are drawn",
    trigger: ".o-figure[data-id=sd-late] canvas",
    run() {
        const canvas = document.querySelector(".o-figure[data-id=sd-late] canvas");
        const chart = window.Chart.getChart(canvas);
        if (!chart || !chart.getDatasetMeta(0).data.length) {
            throw new Error("The chart has no bars yet");
        }
    },
};

function backToDashboardAndClick(figureId) {
    return [
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: `The chart ${figureId} is drawn`,
            trigger: `.o-figure[data-id=${figureId}] canvas`,
            run() {
                const chart = window.Chart.getChart(this.anchor);
                if (!chart || !chart.getDatasetMeta(0).data.length) {
                    throw new Error(`${figureId} has no data yet`);
                }
            },
        },
        {
            content: `Click the first element of ${figureId}`,
            trigger: `.o-figure[data-id=${figureId}] canvas`,
            run: () => clickFirstElement(figureId),
        },
    ];
}

/** The case list (not the analysis rows): it has the case list's New button. */
const caseList = {
    content: "The cases themselves are listed",
    trigger: ".o_action_manager .o_list_view .o_list_button_add",
};

tours.add("service_desk_dashboard_chart_cases_tour", {
    steps: () => [
        dashboardLoaded,
        {
            content: "The Not handled in time chart: click the first group's bar",
            trigger: ".o-figure[data-id=sd-late] canvas",
            run: () => clickFirstElement("sd-late"),
        },
        caseList,
        {
            content: "Only the late case of that group",
            trigger: ".o_list_view .o_data_row:contains(Late)",
            run: () => assertRows(1),
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains(Late) .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The case form",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run() {
                const subject = document.querySelector(".o_form_view .o_field_widget[name=name] input").value;
                if (!subject.startsWith("Late")) {
                    throw new Error(`Opened ${subject}`);
                }
            },
        },
        ...backToDashboardAndClick("sd-subservice"),
        caseList,
        {
            content: "The pie's first slice (Events / Schedule question): its two cases",
            trigger: ".o_list_view .o_data_row",
            run: () => assertRows(2),
        },
        ...backToDashboardAndClick("sd-trend"),
        caseList,
        {
            content: "The trend's first week: the one case resolved then",
            trigger: ".o_list_view .o_data_row",
            run: () => assertRows(1),
        },
    ],
});

tours.add("service_desk_dashboard_kpi_cases_tour", {
    steps: () => [
        dashboardLoaded,
        {
            content: "Click the Not handled in time KPI",
            trigger: ".o-figure[data-id=sd-kpi-4]",
            run: "click",
        },
        caseList,
        {
            content: "The two late cases, nothing else",
            trigger: ".o_list_view .o_data_row:contains(Late payment refund)",
            run: () => assertRows(2),
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        dashboardLoaded,
        {
            content: "Click the Avg. rating KPI",
            trigger: ".o-figure[data-id=sd-kpi-7]",
            run: "click",
        },
        caseList,
        {
            content: "The four rated cases",
            trigger: ".o_list_view .o_data_row",
            run: () => assertRows(4),
        },
    ],
});

tours.add("service_desk_analysis_cases_tour", {
    steps: () => [
        {
            content: "The case analysis pivot",
            trigger: ".o_pivot_view .o_pivot table",
        },
        {
            content: "Choose the favourite Not Handled in Time",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_favorite_menu .o-dropdown-item:contains(Not Handled in Time)",
            run: "click",
        },
        {
            content: "Click the total of the cases not handled in time",
            trigger: ".o_pivot_view .o_pivot table tbody tr:first-child td.o_pivot_cell_value:last-child",
            run: "click",
        },
        caseList,
        {
            content: "The two late cases",
            trigger: ".o_list_view .o_data_row:contains(Late payment refund)",
            run: () => assertRows(2),
        },
    ],
});

tours.add("service_desk_analysis_row_opens_case_tour", {
    steps: () => [
        {
            content: "The backlog list (one row per open case)",
            trigger: ".o_list_view .o_data_row:contains(Late card refund)",
        },
        {
            content: "Open the row",
            trigger: ".o_list_view .o_data_row:contains(Late card refund) td.o_data_cell",
            run: "click",
        },
        {
            content: "The case form opens, not an analysis row",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(Late card refund)",
        },
    ],
});

tours.add("service_desk_analysis_favourite_tour", {
    steps: () => [
        {
            content: "The case analysis pivot",
            trigger: ".o_pivot_view .o_pivot table",
        },
        {
            content: "Open the favourites",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The seed's panel: overall figures",
            trigger: ".o_favorite_menu .o-dropdown-item:contains(Overall Figures)",
            run: "click",
        },
        {
            content: "Its measures per line",
            trigger: ".o_pivot_view .o_pivot th:contains(Working Hours to Take)",
        },
        {
            content: "Close the search panel",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The panel is shown",
            trigger: ".o_pivot_view .o_pivot:not(:has(.o-dropdown--menu))",
        },
    ],
});

tours.add("service_desk_analysis_list_empty_tour", {
    steps: () => [
        {
            content: "The case analysis list",
            trigger: ".o_list_view",
        },
        {
            content: "Drop the default period and grouping",
            trigger: ".o_searchview_facet:first .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:first .o_facet_remove",
            run: "click",
        },
        {
            content: "One row per case",
            trigger: ".o_list_view .o_data_row:contains(Never taken)",
        },
        {
            content: "The case never taken has no time to take (empty, not 00:00)",
            trigger: ".o_list_view .o_data_row:contains(Late payment refund) td[name=hours_to_take]:contains(03:00)",
            run() {
                const row = [...document.querySelectorAll(".o_list_view .o_data_row")].find((r) =>
                    r.textContent.includes("Never taken")
                );
                const cell = row.querySelector("td[name=hours_to_take]").textContent.trim();
                if (cell !== "") {
                    throw new Error(`The never-taken case shows "${cell}" hours to take`);
                }
            },
        },
    ],
});

tours.add("service_desk_analysis_pivot_xlsx_tour", {
    steps: () => [
        {
            content: "The case analysis pivot",
            trigger: ".o_pivot_view .o_pivot table",
        },
        {
            content: "Open the favourites",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The seed's panel: handled cases per responsible",
            trigger: ".o_favorite_menu .o-dropdown-item:contains(Handled Cases per Responsible)",
            run: "click",
        },
        {
            content: "Its rows per assignee; keep the download for the test",
            trigger: ".o_pivot_view .o_pivot th:contains(Olga Operator)",
            run() {
                const { download } = odoo.loader.modules.get("@web/core/network/download");
                download._download = async (options) => {
                    window.sdPivotExport = options;
                };
            },
        },
        {
            content: "Download xlsx",
            trigger: ".o_pivot_view .o_pivot_download",
            run: "click",
        },
        {
            content: "The workbook the server writes is kept as an attachment for the test to read",
            trigger: ".o_pivot_view",
            async run() {
                const { url, data } = window.sdPivotExport;
                const form = new FormData();
                form.append("data", data.data);
                form.append("csrf_token", odoo.csrf_token);
                const response = await fetch(url, { method: "POST", body: form });
                if (!response.ok) {
                    throw new Error(`${url} answered ${response.status}`);
                }
                const bytes = new Uint8Array(await response.arrayBuffer());
                let binary = "";
                for (const byte of bytes) {
                    binary += String.fromCharCode(byte);
                }
                const { rpc } = odoo.loader.modules.get("@web/core/network/rpc");
                await rpc("/web/dataset/call_kw/ir.attachment/create", {
                    model: "ir.attachment",
                    method: "create",
                    args: [{ name: "sd_pivot_export.xlsx", datas: btoa(binary) }],
                    kwargs: {},
                });
                document.body.classList.add("o_sd_export_kept");
            },
        },
        {
            content: "Kept",
            trigger: "body.o_sd_export_kept",
        },
    ],
});

/** Record the texts each canvas draws, with where they start and how wide they are. */
function spyCanvasTexts() {
    window.sdTexts = new Map();
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
        const texts = window.sdTexts.get(this.canvas) || [];
        texts.push({ text: String(text), x, width: this.measureText(String(text)).width });
        window.sdTexts.set(this.canvas, texts);
        return fillText.call(this, text, x, y, ...rest);
    };
}

function kpiTexts(figureId) {
    const canvas = document.querySelector(`.o-figure[data-id=${figureId}] canvas`);
    return { canvas, texts: window.sdTexts.get(canvas) || [] };
}

tours.add("service_desk_dashboard_kpi_readable_tour", {
    steps: () => [
        {
            content: "Watch what the KPIs draw",
            trigger: ".o-figure[data-id=sd-kpi-7] canvas",
            run: spyCanvasTexts,
        },
        {
            content: "Filter on a group whose cases nobody rated",
            trigger: ".o_control_panel .o_multi_record_selector input",
            run: "edit Events L2",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Events L2)",
            run: "click",
        },
        {
            content: 'Avg. rating shows "-" when nobody rated',
            trigger: ".o_control_panel .o_multi_record_selector .o_tag:contains(Events L2)",
            run() {
                const { texts } = kpiTexts("sd-kpi-7");
                const drawn = texts.map((t) => t.text);
                if (!drawn.includes("-")) {
                    throw new Error(`Avg. rating drew ${JSON.stringify(drawn)}`);
                }
            },
        },
        {
            content: "Every KPI title fits its card",
            trigger: ".o-figure[data-id=sd-kpi-8] canvas",
            run() {
                for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) {
                    const { canvas, texts } = kpiTexts(`sd-kpi-${id}`);
                    if (!texts.length) {
                        throw new Error(`sd-kpi-${id} drew nothing yet`);
                    }
                    const width = canvas.getBoundingClientRect().width;
                    for (const text of texts) {
                        if (text.x < 0 || text.x + text.width > width) {
                            throw new Error(`"${text.text}" overflows sd-kpi-${id} (${width}px)`);
                        }
                    }
                }
            },
        },
    ],
});

tours.add("service_desk_analysis_graph_cases_tour", {
    steps: () => [
        {
            content: "The case analysis graph is drawn",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                if (!chart || !chart.getDatasetMeta(0).data.length) {
                    throw new Error("The graph has no data yet");
                }
            },
        },
        {
            content: "Click its first bar (remember how many cases it counts)",
            trigger: ".o_graph_renderer canvas",
            run() {
                const canvas = this.anchor;
                const chart = window.Chart.getChart(canvas);
                window.sdExpectedRows = chart.data.datasets[0].data[0];
                const { x, y } = chart.getDatasetMeta(0).data[0].getCenterPoint();
                const rect = canvas.getBoundingClientRect();
                const options = { bubbles: true, clientX: rect.left + x, clientY: rect.top + y };
                canvas.dispatchEvent(new MouseEvent("mousemove", options));
                canvas.dispatchEvent(new MouseEvent("click", options));
            },
        },
        caseList,
        {
            content: "As many cases as the bar counts",
            trigger: ".o_list_view .o_data_row",
            run: () => assertRows(window.sdExpectedRows),
        },
    ],
});
