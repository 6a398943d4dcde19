//! The map's base: country shapes of Natural Earth (1:50m, version 4.1.0, public
//! domain; made by `scripts/make-map.mjs`, see NOTICE), shipped in the binary and
//! projected once into SVG paths.
//!
//! The projection is equirectangular with the longitude scaled by the cosine of the
//! region's middle latitude (42.5°): over a box this small it keeps shapes close to
//! what readers know, and a place's position is one multiplication away.
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../assets/ne_countries_central_asia.geojson");

/// The box of the map: west, south, east, north (degrees).
pub const BOX: (f64, f64, f64, f64) = (40.0, 28.0, 96.0, 57.0);
/// SVG units per degree of latitude.
const SCALE: f64 = 20.0;

fn kx() -> f64 {
    (((BOX.1 + BOX.3) / 2.0).to_radians()).cos() * SCALE
}

/// Width and height of the map in SVG units.
pub fn size() -> (f64, f64) {
    ((BOX.2 - BOX.0) * kx(), (BOX.3 - BOX.1) * SCALE)
}

/// Where a point falls on the map, if inside its box.
pub fn project(lat: f64, lon: f64) -> Option<(f64, f64)> {
    if !(BOX.0..=BOX.2).contains(&lon) || !(BOX.1..=BOX.3).contains(&lat) {
        return None;
    }
    Some(((lon - BOX.0) * kx(), (BOX.3 - lat) * SCALE))
}

/// A country shape.
pub struct Shape {
    /// ISO 3166-1 alpha-2 code.
    pub iso: String,
    /// English name (Natural Earth's).
    pub name: String,
    /// SVG path data.
    pub d: String,
}

/// Every country of the map, by code.
pub fn shapes() -> &'static [Shape] {
    static S: OnceLock<Vec<Shape>> = OnceLock::new();
    S.get_or_init(|| {
        let v: serde_json::Value =
            serde_json::from_str(GEOJSON).expect("the shipped GeoJSON is valid (tested)");
        let mut out = Vec::new();
        for f in v["features"].as_array().into_iter().flatten() {
            let mut d = String::new();
            for polygon in f["geometry"]["coordinates"].as_array().into_iter().flatten() {
                for ring in polygon.as_array().into_iter().flatten() {
                    for (i, p) in ring.as_array().into_iter().flatten().enumerate() {
                        let (lon, lat) = (p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0));
                        let (x, y) = ((lon - BOX.0) * kx(), (BOX.3 - lat) * SCALE);
                        d.push_str(&format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x, y));
                    }
                    d.push('Z');
                }
            }
            out.push(Shape {
                iso: f["properties"]["iso"].as_str().unwrap_or_default().to_string(),
                name: f["properties"]["name"].as_str().unwrap_or_default().to_string(),
                d,
            });
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_states_and_their_neighbours_are_drawn() {
        let isos: Vec<&str> = shapes().iter().map(|s| s.iso.as_str()).collect();
        for c in ["KZ", "KG", "TJ", "TM", "UZ", "AF", "CN", "RU", "IR"] {
            assert!(isos.contains(&c), "{c} missing from {isos:?}");
        }
        assert!(shapes().iter().all(|s| s.d.starts_with('M') && s.d.len() > 50));
        // Almaty lies inside the box, in its upper middle; Paris does not.
        let (x, y) = project(43.25, 76.95).unwrap();
        let (w, h) = size();
        assert!(x > w / 2.0 && x < w && y > 0.0 && y < h / 2.0, "{x} {y}");
        assert!(project(48.85, 2.35).is_none());
    }
}
