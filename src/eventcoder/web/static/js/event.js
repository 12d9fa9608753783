// Event page: the event's facts and every supporting sentence, trigger and actors highlighted.
"use strict";

(async () => {
  const { el, api } = WB;
  const main = document.getElementById("main");
  const eventId = decodeURIComponent(window.location.pathname.replace(/^\/events\//, ""));

  /** The sentence as text nodes with <mark>s over the spans the API gives (trigger, actors). */
  function highlighted(sentence, spans) {
    const out = [];
    let at = 0;
    for (const span of spans) {
      if (span.start < at) continue;
      out.push(sentence.slice(at, span.start));
      out.push(el("mark", { class: span.kind }, sentence.slice(span.start, span.end)));
      at = span.end;
    }
    out.push(sentence.slice(at));
    return out;
  }

  try {
    const detail = await api("/api/events/" + encodeURIComponent(eventId));
    const e = detail.event;
    const articles = Object.fromEntries(detail.articles.map((a) => [a.article_id, a]));
    const heading = `${e.event_type}${e.mode ? "/" + e.mode : ""}: ${WB.actorsLabel(e.source)}` +
      (e.target.length ? ` → ${WB.actorsLabel(e.target)}` : "");
    document.getElementById("title").textContent = heading;
    document.title = `${e.event_type} ${e.date || ""} · eventcoder workbench`;

    const countries = [...new Set([...WB.countryList(e.source), ...WB.countryList(e.target)])].sort();
    const dyadLinks = [];
    for (let i = 0; i < countries.length; i++) {
      for (let j = i + 1; j < countries.length; j++) {
        dyadLinks.push(el("a", { href: WB.dyadHref(countries[i], countries[j]) }, `${countries[i]} – ${countries[j]}`), " ");
      }
    }
    const fact = (k, ...v) => [el("dt", {}, k), el("dd", {}, ...v)];
    document.getElementById("facts").replaceChildren(
      ...fact("when", `${WB.whenLabel(e)} (${e.date_precision || "?"} precision, ${e.date_basis || "?"})`),
      ...fact("where", WB.placeLabel(e.location) || "—"),
      ...fact("who", WB.actorsLabel(e.source), e.target.length ? " → " + WB.actorsLabel(e.target) : ""),
      ...fact("CAMEO", `${e.cameo_code || "?"} · Goldstein ${WB.fmt(e.goldstein)} · `, WB.quadSwatch(e.quad_class),
        WB.QUADS[e.quad_class] ? WB.QUADS[e.quad_class].label : "?"),
      ...fact("reports", `${e.n_mentions} sentences in ${e.n_articles} articles from ${e.n_sources} sources · confidence ${WB.fmt(e.confidence, 2)}`),
      ...(dyadLinks.length ? fact("dyads", ...dyadLinks) : []),
      ...fact("event id", e.event_id));

    document.getElementById("evidence").replaceChildren(...detail.evidence.map(({ mention: m, spans }) => {
      const a = articles[m.article_id] || { article_id: m.article_id };
      const articleHref = "/articles/" + encodeURIComponent(m.article_id) + "#" + encodeURIComponent(m.mention_id);
      return el("li", { class: m.is_background ? "mention background" : "mention", "data-mention-id": m.mention_id },
        el("div", { class: "meta" }, el("a", { href: articleHref, class: "article-link" }, a.title || a.article_id),
          ` — ${a.source || "unknown source"}, ${a.published || "undated"}`,
          m.is_background ? el("span", { class: "tag" }, "background (recycled or old)") : null),
        el("p", { class: "sentence" }, highlighted(m.sentence, spans)),
        el("div", { class: "meta" }, `trigger “${m.trigger}” · rule ${m.rule || "?"} · confidence ${WB.fmt(m.confidence, 2)}` +
          (m.date ? ` · dated ${m.date} (${m.date_basis})` : "")));
    }));

    document.getElementById("articles").replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, ["title", "source", "published", "original"].map((h) => el("th", {}, h)))),
      el("tbody", {}, detail.articles.map((a) => el("tr", {},
        el("td", {}, el("a", { href: "/articles/" + encodeURIComponent(a.article_id) }, a.title || a.article_id)),
        el("td", {}, a.source || "—"), el("td", {}, a.published || "—"),
        el("td", {}, a.url ? WB.safeLink(a.url, "link") : "—"))))));
  } catch (error) {
    WB.showError(main, error);
  }
  WB.ready();
})();
