"""Vendor the workbench's third-party assets into src/eventcoder/web/static/vendor/.

Fetches pinned npm packages with `npm pack` (nothing is fetched when the workbench runs):
- chart.js: the minified UMD build and its MIT licence;
- world-atlas: Natural Earth 1:110m countries (public domain), decoded from TopoJSON here and
  written as SVG path strings in an equirectangular projection (x = lon + 180, y = 90 - lat),
  the projection the map page uses to place events.

Usage: python scripts/vendor_web_assets.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CHART_JS = "chart.js@4.6.1"
WORLD_ATLAS = "world-atlas@2.0.2"
VENDOR = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "web" / "static" / "vendor"
#: Antarctica is left out: it takes a fifth of an equirectangular map and holds no political events.
SKIP_COUNTRIES = {"010"}
#: Latitudes shown by the map (north, south); the basemap's viewBox crops to them.
LAT_TOP, LAT_BOTTOM = 84.0, -60.0


def npm_pack(spec: str, workdir: Path) -> Path:
    """Download one npm package tarball and unpack it; returns its ``package`` directory."""
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True)
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    target = workdir / spec.split("@")[0]
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The TopoJSON arcs as lists of (lon, lat), undoing delta encoding and quantisation."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch a ring from arc indexes (a negative index ~i is arc i reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def ring_path(points: list[tuple[float, float]]) -> str:
    """An SVG subpath for one ring, projected and rounded to a tenth of a degree, repeated points dropped.

    A ring that crosses the antimeridian (Russia, Fiji) is drawn east of 180° rather than across the
    whole map; the map's viewBox clips the overhang.
    """
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    out: list[str] = []
    last = None
    for lon, lat in points:
        xy = (round(lon + 180, 1), round(90 - lat, 1))
        if xy != last:
            out.append(f"{xy[0]:g},{xy[1]:g}")
            last = xy
    return "M" + "L".join(out) + "Z" if len(out) >= 3 else ""


def countries(topo: dict) -> list[dict[str, str]]:
    """Every country of the atlas as {id, name, d} (ISO 3166 numeric id, Natural Earth name, SVG path)."""
    arcs = decode_arcs(topo)
    result = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom.get("id") in SKIP_COUNTRIES or geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        d = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        result.append({"id": geom.get("id", ""), "name": geom["properties"]["name"], "d": d})
    return sorted(result, key=lambda c: c["name"])


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        chart = npm_pack(CHART_JS, work)
        source = (chart / "dist" / "chart.umd.min.js").read_text(encoding="utf-8")
        source = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", source)  # the map file is not vendored
        (VENDOR / "chart.umd.min.js").write_text(source, encoding="utf-8")
        shutil.copy(chart / "LICENSE.md", VENDOR / "chart.js-LICENSE.md")

        atlas = npm_pack(WORLD_ATLAS, work)
        topo = json.loads((atlas / "countries-110m.json").read_text(encoding="utf-8"))
        world = {
            "source": f"Natural Earth 1:110m countries via npm {WORLD_ATLAS} (public domain; packaging ISC)",
            "projection": "equirectangular: x = lon + 180, y = 90 - lat",
            "viewBox": f"0 {90 - LAT_TOP:g} 360 {LAT_TOP - LAT_BOTTOM:g}",
            "countries": countries(topo),
        }
        (VENDOR / "world-110m.json").write_text(json.dumps(world, separators=(",", ":")), encoding="utf-8")
        shutil.copy(atlas / "LICENSE", VENDOR / "world-atlas-LICENSE")
    print(f"wrote {', '.join(sorted(p.name for p in VENDOR.iterdir()))} to {VENDOR}")


if __name__ == "__main__":
    main()
