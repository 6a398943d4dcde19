// Makes crates/keruen-server/assets/ne_countries_central_asia.geojson: the country
// shapes of the map page, from Natural Earth 1:50m admin-0 boundaries (version 4.1.0,
// public domain) as redistributed in the npm package world-atlas 2.0.2.
//
// Run once when the map should change (the result is committed; nothing is fetched
// when keruen builds or runs):
//   (cd scripts/map && npm ci) && node scripts/make-map.mjs
//
// Steps: TopoJSON → GeoJSON (topojson-client); keep the countries that reach into the
// region's box; clip every ring to the box (Sutherland–Hodgman: the box is convex);
// simplify with Douglas–Peucker (0.03°, about 3 km, invisible at the page's scale);
// round to 0.01°; name each country by its ISO 3166-1 alpha-2 code, which the
// database uses.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "map", "package.json"));
const topojson = require("topojson-client");
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));

// The box of the map: Central Asia and its neighbours.
const BOX = { west: 40, east: 96, south: 28, north: 57 };
const TOLERANCE = 0.03;

// ISO 3166-1 numeric → alpha-2 for the countries that reach into the box.
const ALPHA2 = {
  "004": "AF", "031": "AZ", "050": "BD", "051": "AM", "064": "BT", "104": "MM", "156": "CN",
  "268": "GE", "356": "IN", "364": "IR", "368": "IQ", "398": "KZ", "400": "JO", "414": "KW",
  "417": "KG", "496": "MN", "524": "NP", "586": "PK", "643": "RU", "682": "SA", "760": "SY",
  "762": "TJ", "792": "TR", "795": "TM", "804": "UA", "860": "UZ",
};

function clip(ring) {
  const edges = [
    [(p) => p[0] >= BOX.west, (a, b) => at(a, b, 0, BOX.west)],
    [(p) => p[0] <= BOX.east, (a, b) => at(a, b, 0, BOX.east)],
    [(p) => p[1] >= BOX.south, (a, b) => at(a, b, 1, BOX.south)],
    [(p) => p[1] <= BOX.north, (a, b) => at(a, b, 1, BOX.north)],
  ];
  let out = ring;
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    if (out.length === 0) return [];
  }
  return out;
}

function at(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  return axis === 0 ? [value, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), value];
}

function simplify(points) {
  if (points.length < 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    let worst = -1, far = 0;
    for (let i = a + 1; i < b; i++) {
      const d = distance(points[i], points[a], points[b]);
      if (d > far) { far = d; worst = i; }
    }
    if (far > TOLERANCE) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function distance(p, a, b) {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

const round = (x) => Math.round(x * 100) / 100;

function ring(points) {
  const clipped = clip(points.slice(0, -1));
  if (clipped.length < 3) return null;
  const closed = [...clipped, clipped[0]];
  let simple = simplify(closed).map(([x, y]) => [round(x), round(y)]);
  simple = simple.filter((p, i) => i === 0 || p[0] !== simple[i - 1][0] || p[1] !== simple[i - 1][1]);
  return simple.length >= 4 ? simple : null;
}

const world = topojson.feature(topology, topology.objects.countries);
const features = [];
for (const f of world.features) {
  const iso = ALPHA2[f.id];
  if (!iso || !f.geometry) continue;
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const kept = polygons.map((p) => p.map(ring).filter(Boolean)).filter((p) => p.length > 0);
  if (kept.length === 0) continue;
  features.push({
    type: "Feature",
    properties: { iso, name: f.properties.name },
    geometry: { type: "MultiPolygon", coordinates: kept },
  });
}
features.sort((a, b) => a.properties.iso.localeCompare(b.properties.iso));
const out = {
  type: "FeatureCollection",
  source: "Natural Earth 1:50m Admin 0 – Countries, version 4.1.0 (public domain), via world-atlas 2.0.2; clipped and simplified by scripts/make-map.mjs",
  bbox: [BOX.west, BOX.south, BOX.east, BOX.north],
  features,
};
const target = join(here, "..", "crates", "keruen-server", "assets", "ne_countries_central_asia.geojson");
writeFileSync(target, JSON.stringify(out) + "\n");
console.log(`${features.length} countries, ${JSON.stringify(out).length} bytes → ${target}`);
