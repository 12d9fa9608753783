// Events and dyad pages: filters, the cooperation–conflict series chart and the event timeline.
"use strict";

(async () => {
  const { el, api, pageLink } = WB;
  const PAGE = 50;
  const dyadMatch = window.location.pathname.match(/^\/dyads\/([^/]+)$/);
  const fixedDyad = dyadMatch ? decodeURIComponent(dyadMatch[1]) : null;
  const urlParams = new URLSearchParams(window.location.search);
  const state = {
    filters: WB.filtersFromUrl(), sort: urlParams.get("sort") || "date", freq: urlParams.get("freq") || "month",
    offset: Number(urlParams.get("offset")) || 0,
  };
  if (fixedDyad) state.filters.dyad = fixedDyad;
  let chart = null;
  let series = [];

  if (fixedDyad) {
    const title = `Dyad ${fixedDyad.replace(":", " – ")}`;
    document.getElementById("title").textContent = title;
    document.title = `${title} · eventcoder workbench`;
  }

  function query() {
    return { ...state.filters, sort: state.sort };
  }

  function syncUrl() {
    const params = { ...state.filters, sort: state.sort === "date" ? null : state.sort,
      freq: state.freq === "month" ? null : state.freq, offset: state.offset || null };
    if (fixedDyad) delete params.dyad;
    history.replaceState(null, "", pageLink(window.location.pathname, params));
    const download = (fmt) => pageLink(`/api/events.${fmt}`, query());
    document.getElementById("dl-csv").setAttribute("href", download("csv"));
    document.getElementById("dl-jsonl").setAttribute("href", download("jsonl"));
  }

  async function loadTable() {
    const box = document.getElementById("table");
    try {
      const page = await api("/api/events", { ...query(), limit: PAGE, offset: state.offset });
      box.replaceChildren(page.events.length ? WB.eventTable(page.events) : el("p", { class: "muted" }, "No events match."));
      const last = Math.min(page.offset + page.events.length, page.total);
      document.getElementById("count").textContent = `${page.total.toLocaleString()} events`;
      document.getElementById("page-info").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
      document.getElementById("prev").disabled = page.offset === 0;
      document.getElementById("next").disabled = last >= page.total;
    } catch (error) {
      WB.showError(box, error);
    }
  }

  function periodEnd(start) {
    const d = new Date(start + "T00:00:00Z");
    if (state.freq === "week") d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + ({ month: 1, quarter: 3, year: 12 }[state.freq] || 1));
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }

  async function loadChart() {
    const params = { ...state.filters, freq: state.freq };
    series = await api("/api/series", params);
    const quadSets = [1, 2, 3, 4].map((q) => ({
      type: "bar", label: WB.QUADS[q].label, backgroundColor: WB.QUADS[q].color, stack: "events", yAxisID: "y",
      data: series.map((p) => [p.verbal_coop, p.material_coop, p.verbal_conflict, p.material_conflict][q - 1]),
    }));
    const goldstein = {
      type: "line", label: "mean Goldstein", borderColor: "#16213a", backgroundColor: "#16213a", yAxisID: "g",
      data: series.map((p) => p.goldstein_mean), spanGaps: true, pointRadius: 2, borderWidth: 1.5,
    };
    const data = { labels: series.map((p) => p.period), datasets: [...quadSets, goldstein] };
    if (chart) {
      chart.data = data;
      showRange(false);
      return;
    }
    chart = new Chart(document.getElementById("series-chart"), {
      data,
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: "events" }, ticks: { precision: 0 } },
          g: { position: "right", min: -10, max: 10, grid: { drawOnChartArea: false }, title: { display: true, text: "Goldstein" } },
        },
        onClick: (event, elements) => {
          if (!elements.length) return;
          const start = series[elements[0].index].period;
          state.filters.date_from = start;
          state.filters.date_to = periodEnd(start);
          state.offset = 0;
          renderForm();
          refresh(false);
        },
      },
    });
    showRange(false);
  }

  /** Long series (an old background event can stretch a dyad over decades) open on their last periods. */
  function showRange(all) {
    const RECENT = 36;
    const box = document.getElementById("chart-range");
    const long = series.length > 2 * RECENT;
    chart.options.scales.x.min = long && !all ? series[series.length - RECENT].period : undefined;
    chart.options.scales.x.max = undefined;
    chart.update();
    if (!long) {
      box.replaceChildren();
      return;
    }
    const first = series[0].period;
    box.replaceChildren(all ? `Showing all ${series.length} periods since ${first}. ` :
      `Showing the last ${RECENT} of ${series.length} periods (the series starts ${first}). `,
    el("a", { href: "#", id: "chart-toggle", onclick: (event) => { event.preventDefault(); showRange(!all); } },
      all ? "show recent" : "show all"));
  }

  function renderForm() {
    const fields = ["actor", "type", "quad_class", "date_from", "date_to", "place", "q", "sort", "freq"];
    if (!fixedDyad) fields.splice(1, 0, "dyad");
    const values = { ...state.filters, sort: state.sort, freq: state.freq };
    document.getElementById("filters-box").replaceChildren(WB.filterForm(fields, values, (out) => {
      state.sort = out.sort || "date";
      state.freq = out.freq || "month";
      delete out.sort;
      delete out.freq;
      state.filters = fixedDyad ? { ...out, dyad: fixedDyad } : out;
      state.offset = 0;
      refresh(true);
    }, window.wbTypes));
  }

  async function refresh(withChart) {
    syncUrl();
    const jobs = [loadTable()];
    if (withChart) jobs.push(loadChart().catch((error) => WB.showError(document.querySelector(".chart-box"), error)));
    await Promise.all(jobs);
  }

  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE);
    refresh(false);
  });
  document.getElementById("next").addEventListener("click", () => {
    state.offset += PAGE;
    refresh(false);
  });

  const types = api("/api/overview").then((o) => o.types.map((t) => t.event_type), () => []).then((t) => {
    window.wbTypes = t;
    renderForm();
  });
  await Promise.all([types, refresh(true)]);
  WB.ready();
})();
