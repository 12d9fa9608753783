// Overview: corpus counts, top dyads, event types and the latest events.
"use strict";

(async () => {
  const { el, api, fmt, pageLink } = WB;
  const main = document.getElementById("main");
  try {
    const [stats, dyads, latest] = await Promise.all([
      api("/api/overview"), api("/api/dyads", { limit: 12 }), api("/api/events", { sort: "-date", limit: 15 }),
    ]);
    const card = (label, value) => el("div", { class: "card" }, el("div", { class: "num" }, value), label);
    document.getElementById("stats").replaceChildren(
      card("events", stats.n_events.toLocaleString()), card("mentions", stats.n_mentions.toLocaleString()),
      card("articles", stats.n_articles.toLocaleString()), card("rejected inputs", stats.n_rejects.toLocaleString()),
      card("event dates", `${stats.first_date || "?"} … ${stats.last_date || "?"}`));

    document.getElementById("dyads").replaceChildren(el("table", { id: "dyad-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "dyad"), el("th", { class: "num" }, "events"),
        el("th", { class: "num" }, "mean Goldstein"), el("th", {}, "first … last"))),
      el("tbody", {}, dyads.map((d) => el("tr", {},
        el("td", {}, el("a", { href: WB.dyadHref(d.a, d.b), "data-dyad": d.dyad }, `${d.a} – ${d.b}`)),
        el("td", { class: "num" }, d.n_events), el("td", { class: "num" }, fmt(d.goldstein_mean, 2)),
        el("td", { class: "muted" }, `${d.first || "?"} … ${d.last || "?"}`))))));

    document.getElementById("types").replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "type"), el("th", { class: "num" }, "events"))),
      el("tbody", {}, stats.types.map((t) => el("tr", {},
        el("td", { class: "type" }, WB.quadSwatch(t.quad_class),
          el("a", { href: pageLink("/events", { type: t.event_type }) }, t.event_type)),
        el("td", { class: "num" }, t.n_events))))));

    document.getElementById("latest").replaceChildren(WB.eventTable(latest.events));
  } catch (error) {
    WB.showError(main, error);
  }
  WB.ready();
})();
