// Article page: the cleaned text with its coded sentences highlighted and linked to their events.
"use strict";

(async () => {
  const { el, api } = WB;
  const main = document.getElementById("main");
  const articleId = decodeURIComponent(window.location.pathname.replace(/^\/articles\//, ""));
  try {
    const detail = await api("/api/articles/" + encodeURIComponent(articleId));
    const a = detail.article;
    document.getElementById("title").textContent = a.title || a.article_id;
    document.title = `${a.title || a.article_id} · eventcoder workbench`;
    const meta = document.getElementById("meta");
    meta.replaceChildren(`${a.source || "unknown source"} · ${a.published || "undated"}`,
      detail.author.length ? ` · by ${detail.author.join(", ")}` : "", ` · ${a.article_id}`);
    if (a.url) meta.append(" · ", WB.safeLink(a.url, "original"));

    // One mark per sentence span; several mentions of one sentence share it and link to their events.
    const bySpan = new Map();
    for (const m of detail.mentions) {
      const key = `${m.char_start}:${m.char_end}`;
      if (!bySpan.has(key)) bySpan.set(key, []);
      bySpan.get(key).push(m);
    }
    const text = detail.text;
    const parts = [];
    let at = 0;
    for (const ms of bySpan.values()) {
      const { char_start: start, char_end: end } = ms[0];
      if (start < at) continue;
      parts.push(text.slice(at, start));
      const background = ms.every((m) => m.is_background);
      const mark = el("mark", { class: background ? "sentence background" : "sentence", id: ms[0].mention_id },
        text.slice(start, end));
      const links = ms.map((m) => m.event_id
        ? el("a", { href: "/events/" + encodeURIComponent(m.event_id), class: "tag" }, m.event_type)
        : el("span", { class: "tag rejected", title: "rejected by an analyst" }, m.event_type + " (rejected)"));
      parts.push(mark, ...links);
      for (const m of ms.slice(1)) mark.dataset.also = (mark.dataset.also || "") + m.mention_id + " ";
      at = end;
    }
    parts.push(text.slice(at));
    document.getElementById("text").replaceChildren(...parts);
    const hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash) {
      const target = document.getElementById(hash) || document.querySelector(`[data-also~="${CSS.escape(hash)}"]`);
      if (target) target.scrollIntoView({ block: "center" });
    }
  } catch (error) {
    WB.showError(main, error);
  }
  WB.ready();
})();
