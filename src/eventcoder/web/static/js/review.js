// Review queue: the least confident unreviewed events, one keystroke per judgement.
"use strict";

(async () => {
  const { el, api } = WB;
  const main = document.getElementById("main");
  const list = document.getElementById("queue");
  const status = document.getElementById("review-status");
  const edits = WB.editsAllowed();
  const PAGE = 50;
  let items = [];
  let total = 0;
  let loaded = 0;
  let sel = 0;
  let types = [];

  function say(text, error) {
    status.className = error ? "status error" : "status";
    status.textContent = text;
  }

  /** The sentence as text nodes with <mark>s over the trigger and actors. */
  function highlighted(sentence, spans) {
    const out = [];
    let at = 0;
    for (const span of spans || []) {
      if (span.start < at) continue;
      out.push(sentence.slice(at, span.start), el("mark", { class: span.kind }, sentence.slice(span.start, span.end)));
      at = span.end;
    }
    out.push(sentence.slice(at));
    return out;
  }

  function render() {
    sel = Math.max(0, Math.min(sel, items.length - 1));
    document.getElementById("count").textContent =
      `${total} events to review` + (items.length < total ? ` (${items.length} shown)` : "");
    list.replaceChildren(...items.map((item, i) => {
      const e = item.event;
      const href = "/events/" + encodeURIComponent(e.event_id);
      const typeSelect = edits ? el("select", { name: "type", "aria-label": "type" }, types.map((t) => el("option", { value: t }, t))) : null;
      if (typeSelect) {
        typeSelect.value = e.event_type;
        typeSelect.addEventListener("keydown", (event) => {
          if (event.key === "Enter") { event.preventDefault(); setType(i, typeSelect.value); }
          if (event.key === "Escape") typeSelect.blur();
        });
        typeSelect.addEventListener("change", () => { sel = i; });
      }
      return el("li", { class: i === sel ? "item selected" : "item", "data-event-id": e.event_id,
        onclick: () => { if (sel !== i) { sel = i; mark(); } } },
        el("div", { class: "head" }, WB.quadSwatch(e.quad_class),
          el("a", { href, class: "type" }, e.event_type + (e.mode ? "/" + e.mode : "")), " ",
          WB.actorsLabel(e.source), e.target.length ? " → " + WB.actorsLabel(e.target) : "",
          el("span", { class: "muted" }, ` · ${WB.whenLabel(e)} · ${WB.placeLabel(e.location) || "no place"} · ` +
            `${e.n_mentions} report${e.n_mentions === 1 ? "" : "s"} · confidence ${WB.fmt(e.confidence, 2)}`)),
        item.evidence ? el("p", { class: "sentence" }, highlighted(item.evidence.mention.sentence, item.evidence.spans)) : null,
        edits ? el("div", { class: "actions" },
          el("button", { type: "button", class: "plain small", name: "confirm", onclick: () => act(i, { confirm: true }, "confirmed") }, "confirm (c)"),
          el("button", { type: "button", class: "danger small", name: "reject", onclick: () => act(i, { reject: true }, "rejected") }, "reject (r)"),
          typeSelect,
          el("button", { type: "button", class: "plain small", name: "set-type", onclick: () => setType(i, typeSelect.value) }, "set type (t)"))
          : null);
    }));
    mark();
  }

  function mark() {
    [...list.children].forEach((li, i) => li.classList.toggle("selected", i === sel));
    const li = list.children[sel];
    if (li) li.scrollIntoView({ block: "nearest" });
  }

  async function act(i, body, done) {
    if (!edits) { say("Read-only: start the workbench with `eventcoder serve --allow-edits` to review.", true); return; }
    const item = items[i];
    if (!item) return;
    say("saving…");
    try {
      const answer = await WB.correct(item.event.event_id, { ...body, expected: body.type ? { type: item.event.event_type } : undefined });
      const ids = answer.corrections.map((c) => c.correction_id).join(", ");
      items.splice(i, 1);
      total -= 1;
      sel = Math.min(i, items.length - 1);
      render();
      say(`${item.event.event_id} ${done} (${ids})` + (answer.published ? ". " : `; not published yet: ${answer.pending_reason} `));
      status.append(el("button", { type: "button", class: "plain small", name: "undo", onclick: async () => {
        try {
          for (const c of answer.corrections) await WB.post("/api/corrections/" + encodeURIComponent(c.correction_id) + "/undo", {});
          items.splice(i, 0, item);
          total += 1;
          sel = i;
          render();
          say(`${item.event.event_id}: ${done} undone.`);
        } catch (error) {
          say("Not undone: " + error.message, true);
        }
      } }, "undo"));
    } catch (error) {
      say("Not saved: " + error.message, true);
    }
  }

  function setType(i, type) {
    const item = items[i];
    if (!item) return;
    if (type === item.event.event_type) { say("Same type: press c to confirm it."); return; }
    act(i, { type }, `retyped ${item.event.event_type} → ${type}`);
  }

  async function load() {
    const page = await api("/api/review", { limit: PAGE, offset: loaded });
    items = items.concat(page.items);
    total = page.total;
    loaded += page.items.length;
    document.getElementById("more").hidden = loaded >= total;
    render();
  }

  document.addEventListener("keydown", (event) => {
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "SELECT", "TEXTAREA"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "j" || key === "ArrowDown") { sel = Math.min(sel + 1, items.length - 1); mark(); }
    else if (key === "k" || key === "ArrowUp") { sel = Math.max(sel - 1, 0); mark(); }
    else if (key === "o" || (key === "Enter" && !["A", "BUTTON"].includes(tag))) {
      if (items[sel]) window.location.assign("/events/" + encodeURIComponent(items[sel].event.event_id));
    }
    else if (key === "c") act(sel, { confirm: true }, "confirmed");
    else if (key === "r") act(sel, { reject: true }, "rejected");
    else if (key === "t") {
      if (!edits) { say("Read-only: start the workbench with `eventcoder serve --allow-edits` to review.", true); return; }
      const select = list.children[sel] && list.children[sel].querySelector("select[name=type]");
      if (select) select.focus();
    } else return;
    event.preventDefault();
  });
  document.getElementById("more").addEventListener("click", () => load().catch((error) => say(error.message, true)));

  try {
    types = (await api("/api/vocabulary")).types;
    if (!edits) say("Read-only: start the workbench with `eventcoder serve --allow-edits` to confirm, reject or retype from here.");
    await load();
  } catch (error) {
    WB.showError(main, error);
  }
  WB.ready();
})();
