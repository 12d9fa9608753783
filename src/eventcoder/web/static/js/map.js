// Map: the bundled Natural Earth basemap (equirectangular) with one circle per geocoded place.
"use strict";

(async () => {
  const { el, svg, api, pageLink } = WB;
  const box = document.getElementById("map");
  const basemap = fetch("/static/vendor/world-110m.json").then((r) => r.json());

  function color(g) {
    if (g === null || g === undefined) return "#777";
    return g >= 3 ? "#1a6e3f" : g >= 0 ? "#4c9be8" : g > -5 ? "#e8a23c" : "#c0392b";
  }

  document.getElementById("legend").replaceChildren(...[["#1a6e3f", "Goldstein ≥ 3"], ["#4c9be8", "0 to 3"],
    ["#e8a23c", "-5 to 0"], ["#c0392b", "≤ -5"]].map(([c, t]) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = c;
    return el("span", {}, swatch, t);
  }));

  async function load(filters) {
    history.replaceState(null, "", pageLink("/map", filters));
    try {
      const [world, places] = await Promise.all([basemap, api("/api/places", filters)]);
      const maxN = Math.max(1, ...places.map((p) => p.n_events));
      const [x0, y0, w, h] = world.viewBox.split(" ").map(Number);
      const land = world.countries.map((c) => svg("path", { d: c.d, class: "land" }, svg("title", {}, c.name)));
      const dots = places.map((p) => {
        const dot = svg("circle", { cx: p.lon + 180, cy: 90 - p.lat, r: 0.8 + 4 * Math.sqrt(p.n_events / maxN),
          fill: color(p.goldstein_mean), class: "place" },
        svg("title", {}, `${p.name}${p.country ? " (" + p.country + ")" : ""}: ${p.n_events} events, mean Goldstein ${WB.fmt(p.goldstein_mean, 2)}`));
        dot.addEventListener("click", () => { window.location.href = pageLink("/events", { ...filters, place: p.name }); });
        return dot;
      });
      box.replaceChildren(svg("svg", { class: "map", viewBox: `${x0} ${y0} ${w} ${h}`, role: "img", "aria-label": "map of events" },
        svg("rect", { x: x0, y: y0, width: w, height: h, class: "ocean" }), ...land, ...dots));
      document.getElementById("places").replaceChildren(places.length ? el("table", {},
        el("thead", {}, el("tr", {}, el("th", {}, "place"), el("th", {}, "precision"), el("th", { class: "num" }, "events"),
          el("th", { class: "num" }, "mean Goldstein"))),
        el("tbody", {}, places.slice(0, 50).map((p) => el("tr", {},
          el("td", {}, el("a", { href: pageLink("/events", { ...filters, place: p.name }) }, WB.placeLabel(p))),
          el("td", {}, p.precision || "?"), el("td", { class: "num" }, p.n_events),
          el("td", { class: "num" }, WB.fmt(p.goldstein_mean, 2)))))) : el("p", { class: "muted" }, "No geocoded events."));
    } catch (error) {
      WB.showError(box, error);
    }
  }

  const filters = WB.filtersFromUrl();
  const types = await api("/api/overview").then((o) => o.types.map((t) => t.event_type), () => []);
  document.getElementById("filters-box").replaceChildren(
    WB.filterForm(["dyad", "actor", "type", "date_from", "date_to"], filters, load, types));
  await load(filters);
  WB.ready();
})();
