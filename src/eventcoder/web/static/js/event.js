// Event page: the event's facts and every supporting sentence, trigger and actors highlighted.
"use strict";

(async () => {
  const { el, api } = WB;
  const main = document.getElementById("main");
  const eventId = decodeURIComponent(window.location.pathname.replace(/^\/events\//, ""));
  let current = null;  // the event the correction form edits

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

    const edits = WB.editsAllowed();
    document.getElementById("evidence").replaceChildren(...detail.evidence.map(({ mention: m, spans }) => {
      const a = articles[m.article_id] || { article_id: m.article_id };
      const articleHref = "/articles/" + encodeURIComponent(m.article_id) + "#" + encodeURIComponent(m.mention_id);
      return el("li", { class: m.is_background ? "mention background" : "mention", "data-mention-id": m.mention_id },
        el("div", { class: "meta" }, el("a", { href: articleHref, class: "article-link" }, a.title || a.article_id),
          ` — ${a.source || "unknown source"}, ${a.published || "undated"}`,
          m.is_background ? el("span", { class: "tag" }, "background (recycled or old)") : null),
        el("p", { class: "sentence" }, highlighted(m.sentence, spans)),
        el("div", { class: "meta" }, `trigger “${m.trigger}” · rule ${m.rule || "?"} · confidence ${WB.fmt(m.confidence, 2)}` +
          (m.date ? ` · dated ${m.date} (${m.date_basis})` : ""),
          edits && detail.evidence.length > 1 ? el("button", {
            type: "button", class: "plain small split", "data-mention-id": m.mention_id,
            title: "This sentence reports another event: make it an event of its own",
            onclick: () => send({ split: m.mention_id }, "split"),
          }, "split out") : null,
          edits ? el("button", {
            type: "button", class: "plain small reject-mention", "data-mention-id": m.mention_id,
            title: "This sentence reports no event: drop it (the rest of the event stays)",
            onclick: () => send({ reject: true }, "reject-mention", m.mention_id),
          }, "not a report") : null));
    }));

    document.getElementById("articles").replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, ["title", "source", "published", "original"].map((h) => el("th", {}, h)))),
      el("tbody", {}, detail.articles.map((a) => el("tr", {},
        el("td", {}, el("a", { href: "/articles/" + encodeURIComponent(a.article_id) }, a.title || a.article_id)),
        el("td", {}, a.source || "—"), el("td", {}, a.published || "—"),
        el("td", {}, a.url ? WB.safeLink(a.url, "link") : "—"))))));
    await showCorrections(e.event_id);
    if (edits) await correctionForm(e);
  } catch (error) {
    WB.showError(main, error);
  }
  WB.ready();

  /** The corrections made on this event or shaping it now. */
  async function showCorrections(id) {
    const rows = await api("/api/corrections", { event_id: id });
    const box = document.getElementById("corrections");
    if (!rows.length) {
      box.replaceChildren(el("p", { class: "muted" }, "None: as coded."));
      return;
    }
    box.replaceChildren(el("table", { class: "corrections" },
      el("thead", {}, el("tr", {}, ["when", "who", "change", "note", "status", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.map((c) => el("tr", { "data-correction-id": c.correction_id, class: "status-" + c.status },
        el("td", {}, (c.created_at || "").slice(0, 16).replace("T", " ")), el("td", {}, c.user || "?"),
        el("td", {}, describe(c)), el("td", {}, c.note || ""), el("td", {}, c.status),
        el("td", {}, WB.editsAllowed() && c.kind !== "undo" && c.status !== "undone" ? el("button", {
          type: "button", class: "plain small undo", title: "Take this correction back",
          onclick: () => undo(c.correction_id) }, "undo") : null))))));
  }

  async function undo(correctionId) {
    const status = document.getElementById("correct-status");
    try {
      const answer = await WB.post("/api/corrections/" + encodeURIComponent(correctionId) + "/undo", {});
      if (answer.published && answer.event_id) {
        window.location.assign("/events/" + encodeURIComponent(answer.event_id));
      } else {
        status.textContent = answer.published ? `Undone (${correctionId}).` : `Undo saved; not published yet: ${answer.pending_reason}`;
      }
    } catch (error) {
      status.className = "status error";
      status.textContent = "Not undone: " + error.message;
    }
  }

  function describe(c) {
    const show = (v) => {
      if (v === null || v === undefined) return "–";
      if (c.kind === "source" || c.kind === "target") return WB.actorCodes(v) || "–";
      if (c.kind === "place") return WB.placeLabel(v);
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    };
    if (c.kind === "reject" || c.kind === "confirm") return c.kind + (c.scope === "mention" ? " (one sentence)" : "");
    if (c.kind === "undo") return `undo ${c.new_value} (${c.old_value})`;
    return `${c.kind}: ${show(c.old_value)} → ${show(c.new_value)}` + (c.scope === "mention" ? " (one sentence)" : "");
  }

  /** Send a correction; go to where the event's reports are now. */
  async function send(body, what, target) {
    const status = document.getElementById("correct-status");
    status.className = "status";
    status.textContent = "saving…";
    for (const b of document.querySelectorAll("#main button")) b.disabled = true;
    try {
      const answer = await WB.correct(target || current.event_id, body);
      const ids = answer.corrections.map((c) => c.correction_id).join(", ");
      if (!answer.published) {
        status.textContent = `Saved (${ids}); a run is writing the database and applies it when it publishes: ${answer.pending_reason}`;
      } else if (answer.event_id) {
        status.textContent = `Saved (${ids}).`;
        window.location.assign("/events/" + encodeURIComponent(answer.event_id) + "?corrected=" + encodeURIComponent(ids));
        return;
      } else {
        status.replaceChildren(`Rejected (${ids}): the event left the data. `, el("a", { href: "/review" }, "Back to the review queue"));
      }
    } catch (error) {
      status.className = "status error";
      status.textContent = "Not saved: " + error.message;
    }
    for (const b of document.querySelectorAll("#main button")) b.disabled = false;
  }

  function dateLabel(e) {
    if (!e.date) return null;
    return e.date_end && e.date_end !== e.date ? `${e.date}..${e.date_end}` : e.date;
  }

  /** The correction form: type, mode, actors, date, place; confirm, reject, merge. */
  async function correctionForm(e) {
    current = e;
    const vocab = await api("/api/vocabulary");
    const form = document.getElementById("correct");
    const typeSelect = el("select", { name: "type" }, vocab.types.map((t) => el("option", { value: t }, t)));
    typeSelect.value = e.event_type;
    const modeSelect = el("select", { name: "mode" });
    function fillModes() {
      const modes = vocab.modes[typeSelect.value] || [];
      modeSelect.replaceChildren(el("option", { value: "" }, "none"), ...modes.map((m) => el("option", { value: m }, m)));
      modeSelect.value = modes.includes(e.mode) ? e.mode : "";
    }
    fillModes();
    typeSelect.addEventListener("change", fillModes);
    const initial = {
      source: WB.actorCodes(e.source), target: WB.actorCodes(e.target), date: e.date || "",
      place: e.location ? e.location.name : "",
    };
    const input = (name, value, attrs) => el("input", { name, value, ...(attrs || {}) });
    const fields = {
      source: input("source", initial.source, { size: 18, placeholder: "TUR:GOV, AZE" }),
      target: input("target", initial.target, { size: 18, placeholder: "none" }),
      date: input("date", initial.date, { type: "date" }),
      place: input("place", initial.place, { size: 14, placeholder: "Baku" }),
      note: input("note", "", { size: 24, placeholder: "why (optional)" }),
      merge: input("merge", "", { size: 22, placeholder: "ev_… (another event)" }),
    };
    form.replaceChildren(
      el("label", {}, "type", typeSelect), el("label", {}, "mode", modeSelect),
      el("label", {}, "source", fields.source), el("label", {}, "target", fields.target),
      el("label", {}, "date", fields.date), el("label", {}, "place", fields.place), el("label", {}, "note", fields.note),
      el("div", { class: "actions" },
        el("button", { type: "submit", name: "save" }, "Save changes"),
        el("button", { type: "button", name: "confirm", class: "plain", onclick: () => send({ confirm: true, note: fields.note.value || null }, "confirm") }, "Confirm as coded"),
        el("button", { type: "button", name: "reject", class: "danger", onclick: () => send({ reject: true, note: fields.note.value || null }, "reject") }, "Reject: not an event")),
      el("div", { class: "actions" }, el("label", {}, "same event as", fields.merge),
        el("button", { type: "button", name: "merge", class: "plain", onclick: () => {
          if (fields.merge.value.trim()) send({ merge: fields.merge.value.trim(), note: fields.note.value || null }, "merge");
        } }, "Merge")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {};
      const expected = {};
      if (typeSelect.value !== e.event_type) { body.type = typeSelect.value; expected.type = e.event_type; }
      // the mode a type change keeps (the old one, when the new type has it): send a mode only when it differs
      const keptMode = (vocab.modes[typeSelect.value] || []).includes(e.mode) ? e.mode : null;
      if ((modeSelect.value || null) !== keptMode) {
        body.mode = modeSelect.value || "none";
        expected.mode = e.mode || null;
      }
      for (const key of ["source", "target"]) {
        if (fields[key].value.trim() !== initial[key]) { body[key] = fields[key].value.trim() || "none"; expected[key] = e[key]; }
      }
      if (fields.date.value && fields.date.value !== initial.date) { body.date = fields.date.value; expected.date = dateLabel(e); }
      if (fields.place.value.trim() !== initial.place) {
        body.place = fields.place.value.trim() || "none";
        expected.place = e.location;
      }
      if (!Object.keys(body).length) {
        document.getElementById("correct-status").textContent = "Nothing changed.";
        return;
      }
      if (fields.note.value) body.note = fields.note.value;
      body.expected = expected;
      send(body, "save");
    });
    document.getElementById("correct-box").hidden = false;
    const corrected = new URLSearchParams(window.location.search).get("corrected");
    if (corrected) document.getElementById("correct-status").textContent = `Saved (${corrected}).`;
  }
})();
