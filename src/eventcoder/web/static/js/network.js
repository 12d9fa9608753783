// Actor network: countries as circles, shared events as lines, laid out by a small force simulation.
"use strict";

(async () => {
  const { el, svg, api, pageLink } = WB;
  const W = 1100;
  const H = 700;
  const box = document.getElementById("graph");

  /** Red (conflict, -10) through grey to green (cooperation, +10). */
  function goldsteinColor(g) {
    if (g === null || g === undefined) return "#999";
    const t = Math.max(-1, Math.min(1, g / 6));
    return t < 0 ? `rgb(${150 + Math.round(-t * 70)}, ${150 - Math.round(-t * 100)}, ${150 - Math.round(-t * 100)})`
      : `rgb(${150 - Math.round(t * 120)}, ${150 + Math.round(t * 10)}, ${150 - Math.round(t * 90)})`;
  }

  /** Positions for the nodes (Fruchterman–Reingold): nodes repel, edges pull, a cooling step limit. */
  function layout(nodes, edges) {
    const pos = new Map(nodes.map((n, i) => {
      const angle = (2 * Math.PI * i) / nodes.length;
      return [n.id, { x: W / 2 + 200 * Math.cos(angle), y: H / 2 + 200 * Math.sin(angle), dx: 0, dy: 0 }];
    }));
    const points = [...pos.values()];
    const k = 0.7 * Math.sqrt((W * H) / Math.max(1, nodes.length));
    const maxW = Math.max(1, ...edges.map((e) => e.weight));
    let temperature = W / 10;
    for (let step = 0; step < 300; step++) {
      for (const p of points) {
        p.dx = (W / 2 - p.x) * 0.03;  // gravity keeps separate components on the canvas
        p.dy = (H / 2 - p.y) * 0.03;
      }
      for (let i = 0; i < points.length; i++) {
        for (let j = i + 1; j < points.length; j++) {
          const p = points[i];
          const q = points[j];
          const dx = p.x - q.x || 0.01;
          const dy = p.y - q.y || 0.01;
          const d = Math.sqrt(dx * dx + dy * dy);
          const push = (k * k) / d / d;
          p.dx += dx * push;
          p.dy += dy * push;
          q.dx -= dx * push;
          q.dy -= dy * push;
        }
      }
      for (const e of edges) {
        const p = pos.get(e.source);
        const q = pos.get(e.target);
        const dx = q.x - p.x;
        const dy = q.y - p.y;
        const pull = (Math.sqrt(dx * dx + dy * dy) / k) * (0.5 + e.weight / maxW);
        p.dx += dx * pull;
        p.dy += dy * pull;
        q.dx -= dx * pull;
        q.dy -= dy * pull;
      }
      for (const p of points) {
        const len = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
        const move = Math.min(len, temperature);
        p.x = Math.max(30, Math.min(W - 40, p.x + (p.dx / len) * move));
        p.y = Math.max(20, Math.min(H - 20, p.y + (p.dy / len) * move));
      }
      temperature = Math.max(1, temperature * 0.98);
    }
    return pos;
  }

  function draw(net) {
    if (!net.nodes.length) {
      box.replaceChildren(el("p", { class: "muted" }, "No two countries share an event under these filters."));
      return;
    }
    const pos = layout(net.nodes, net.edges);
    const maxW = Math.max(1, ...net.edges.map((e) => e.weight));
    const maxN = Math.max(1, ...net.nodes.map((n) => n.n_events));
    const lines = net.edges.map((e) => {
      const p = pos.get(e.source);
      const q = pos.get(e.target);
      const line = svg("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: goldsteinColor(e.goldstein_mean),
        "stroke-width": 1 + 9 * Math.sqrt(e.weight / maxW), opacity: 0.75, class: "edge" },
      svg("title", {}, `${e.source} – ${e.target}: ${e.weight} events, mean Goldstein ${WB.fmt(e.goldstein_mean, 2)}`));
      line.addEventListener("click", () => { window.location.href = WB.dyadHref(e.source, e.target); });
      line.style.cursor = "pointer";
      return line;
    });
    const nodes = net.nodes.map((n) => {
      const p = pos.get(n.id);
      const g = svg("g", { class: "node", "data-id": n.id },
        svg("circle", { cx: p.x, cy: p.y, r: 5 + 18 * Math.sqrt(n.n_events / maxN), fill: "#1f5fbf" },
          svg("title", {}, `${n.name} (${n.id}): ${n.n_events} events`)),
        svg("text", { x: p.x + 8, y: p.y - 8 }, n.id));
      g.addEventListener("click", () => { window.location.href = pageLink("/events", { actor: n.id }); });
      return g;
    });
    box.replaceChildren(svg("svg", { class: "network", viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "actor network" }, ...lines, ...nodes));
  }

  async function load(filters) {
    history.replaceState(null, "", pageLink("/network", filters));
    try {
      draw(await api("/api/network", { ...filters, max_edges: filters.max_edges || 120 }));
    } catch (error) {
      WB.showError(box, error);
    }
  }

  const filters = WB.filtersFromUrl();
  const types = await api("/api/overview").then((o) => o.types.map((t) => t.event_type), () => []);
  document.getElementById("filters-box").replaceChildren(
    WB.filterForm(["type", "quad_class", "date_from", "date_to"], filters, load, types));
  await load(filters);
  WB.ready();
})();
