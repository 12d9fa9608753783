// Shared helpers of the workbench pages. Data from the API is untrusted (it is article text):
// it only ever reaches the page through textContent, attribute values and safe hrefs, never innerHTML.
"use strict";

const WB = (() => {
  const QUADS = {
    1: { label: "verbal cooperation", color: "#4c9be8" },
    2: { label: "material cooperation", color: "#1a6e3f" },
    3: { label: "verbal conflict", color: "#e8a23c" },
    4: { label: "material conflict", color: "#c0392b" },
  };
  const FILTERS = ["actor", "dyad", "type", "quad_class", "date_from", "date_to", "place", "q"];

  /** Build an element: el("a", {href: "/x", class: "y"}, "text", childNode, ...). Strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** SVG element with attributes (same rules as el). */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** An external link only for http(s) URLs: any other URL (javascript:, data:) is shown as plain text. */
  function safeLink(url, text) {
    try {
      const parsed = new URL(url, window.location.origin);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank" }, text || url);
      }
    } catch (e) { /* not a URL: fall through to plain text */ }
    return document.createTextNode(url);
  }

  async function api(path, params) {
    const query = params ? new URLSearchParams(clean(params)).toString() : "";
    const response = await fetch(path + (query ? "?" + query : ""), { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail; } catch (e) { /* keep the status text */ }
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return response.json();
  }

  function clean(params) {
    const out = {};
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") out[k] = v;
    return out;
  }

  /** The current page's filters from its URL query string. */
  function filtersFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const out = {};
    for (const key of FILTERS) if (params.get(key)) out[key] = params.get(key);
    return out;
  }

  function pageLink(path, params) {
    const query = new URLSearchParams(clean(params || {})).toString();
    return path + (query ? "?" + query : "");
  }

  /** The dyad page of two country codes: /dyads/AZE:TUR. */
  function dyadHref(a, b) {
    return `/dyads/${encodeURIComponent(a)}:${encodeURIComponent(b)}`;
  }

  function countryList(actors) {
    return [...new Set((actors || []).map((a) => a.country).filter(Boolean))];
  }

  /** "Zakir Hasanov (AZE GOV)" for each actor, joined. */
  function actorsLabel(actors) {
    return (actors || []).map((a) => {
      const code = [a.country, a.sector].filter(Boolean).join(" ");
      return a.name + (code ? ` (${code})` : "");
    }).join("; ");
  }

  function placeLabel(place) {
    return place ? `${place.name}${place.country ? " (" + place.country + ")" : ""}` : "";
  }

  function whenLabel(e) {
    if (!e.date) return "undated";
    let text = e.date;
    if (e.date_end && e.date_end !== e.date) text += " … " + e.date_end;
    return text;
  }

  function quadSwatch(q) {
    return el("span", { class: `q q${q}`, title: QUADS[q] ? QUADS[q].label : "" });
  }

  function fmt(n, digits) {
    return n === null || n === undefined ? "–" : Number(n).toFixed(digits === undefined ? 1 : digits);
  }

  /** A table of events; each row opens the event page. */
  function eventTable(events) {
    const head = el("tr", {}, ["date", "type", "source", "target", "place", "Goldstein", "reports"].map(
      (h, i) => el("th", { class: i >= 5 ? "num" : null }, h)));
    const rows = events.map((e) => {
      const href = "/events/" + encodeURIComponent(e.event_id);
      return el("tr", { class: "clickable", "data-event-id": e.event_id, onclick: () => { window.location.href = href; } },
        el("td", {}, el("a", { href }, whenLabel(e))),
        el("td", { class: "type" }, quadSwatch(e.quad_class), e.event_type + (e.mode ? "/" + e.mode : "")),
        el("td", {}, actorsLabel(e.source)),
        el("td", {}, actorsLabel(e.target) || "—"),
        el("td", {}, placeLabel(e.location)),
        el("td", { class: "num" }, fmt(e.goldstein)),
        el("td", { class: "num" }, `${e.n_mentions} in ${e.n_articles}`));
    });
    return el("table", { class: "events" }, el("thead", {}, head), el("tbody", {}, rows));
  }

  /** A filter form for the given fields, filled from `values`; calls onSubmit(values) on submit. */
  function filterForm(fields, values, onSubmit, types) {
    const inputs = {};
    const labels = {
      actor: "actor (code or name)", dyad: "dyad (AZE:TUR)", type: "event type", quad_class: "quad class",
      date_from: "from", date_to: "to", place: "place", q: "text contains", sort: "sort", freq: "per",
    };
    const form = el("form", { class: "filters", id: "filters" });
    for (const field of fields) {
      let input;
      if (field === "type") {
        input = el("select", { name: "type" }, el("option", { value: "" }, "any"),
          (types || []).map((t) => el("option", { value: t }, t)));
      } else if (field === "quad_class") {
        input = el("select", { name: "quad_class" }, el("option", { value: "" }, "any"),
          Object.entries(QUADS).map(([k, v]) => el("option", { value: k }, `${k} ${v.label}`)));
      } else if (field === "sort") {
        input = el("select", { name: "sort" }, [["date", "oldest first"], ["-date", "newest first"],
          ["-n_mentions", "most reported"], ["goldstein", "most conflictual"], ["-goldstein", "most cooperative"]]
          .map(([v, t]) => el("option", { value: v }, t)));
      } else if (field === "freq") {
        input = el("select", { name: "freq" }, ["week", "month", "quarter", "year"].map(
          (f) => el("option", { value: f }, f)));
      } else {
        const type = field.startsWith("date") ? "date" : "text";
        input = el("input", { name: field, type, size: field === "q" ? 16 : 10 });
      }
      if (values[field] !== undefined) input.value = values[field];
      inputs[field] = input;
      form.append(el("label", {}, labels[field] || field, input));
    }
    form.append(el("button", { type: "submit" }, "apply"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const out = {};
      for (const [k, input] of Object.entries(inputs)) if (input.value) out[k] = input.value;
      onSubmit(out);
    });
    return form;
  }

  function showError(container, error) {
    container.replaceChildren(el("p", { class: "error" }, "Could not load: " + error.message));
  }

  /** Mark the page as rendered (tests and the benchmark wait for this). */
  function ready() {
    window.wbRenderedAt = performance.now();
    document.body.dataset.ready = "1";
  }

  function metaContent(name) {
    const node = document.querySelector(`meta[name="${name}"]`);
    return node ? node.getAttribute("content") : "";
  }

  /** Whether this server accepts corrections (`eventcoder serve --allow-edits`). */
  function editsAllowed() {
    return metaContent("wb-edits") === "1";
  }

  /** POST JSON with the server's CSRF token; resolves to the answer, rejects with its one-line detail. */
  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": metaContent("wb-csrf") },
      body: JSON.stringify(body),
    });
    let answer = null;
    try { answer = await response.json(); } catch (e) { /* no body */ }
    if (!response.ok) {
      const detail = answer && answer.detail !== undefined ? answer.detail : response.statusText;
      const error = new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
      error.status = response.status;
      throw error;
    }
    return answer;
  }

  /** Send a correction of an event (or mention): {type, mode, source, target, date, place, reject, ...}. */
  function correct(id, body) {
    return post("/api/events/" + encodeURIComponent(id) + "/corrections", body);
  }

  /** "TUR:GOV, AZE" for actor lists (what the correction forms and `eventcoder correct` take). */
  function actorCodes(actors) {
    return (actors || []).filter((a) => a.country).map((a) => a.country + (a.sector ? ":" + a.sector : "")).join(", ");
  }

  return {
    QUADS, FILTERS, el, svg, safeLink, api, clean, filtersFromUrl, pageLink, dyadHref, countryList, actorsLabel,
    placeLabel, whenLabel, quadSwatch, fmt, eventTable, filterForm, showError, ready, editsAllowed, post, correct,
    actorCodes,
  };
})();
