//! Drawing a [`Map`] as SVG text: its layers in order, then the scale bar, the north arrow
//! and the caption. Every text is escaped and every coordinate written at 0.1 px.

use super::pixels::{arrow_positions, num};
use super::{Layer, Map};
use crate::report::text::escape;
use std::fmt::Write as _;

const ROAD_COLOUR: &str = "#bbbbbb";

impl Map {
    /// The map as a standalone `<svg>` element, ready to be written to a `.svg` file or inlined
    /// in HTML.
    pub fn to_svg(&self) -> String {
        let (w, h) = (num(self.width), num(self.height));
        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" role="img""#
        );
        match &self.title {
            Some(t) => {
                let t = escape(t);
                let _ = write!(s, r#" aria-label="{t}"><title>{t}</title>"#);
            }
            None => s.push('>'),
        }
        let _ = write!(s, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
        let places = self.marker_places();
        let mut next = places.iter();
        let mut leaders_drawn = false;
        for layer in &self.layers {
            if let Layer::Marker { at, .. } = layer {
                if !leaders_drawn {
                    // Leader lines under every marker: from the place to its moved label.
                    leaders(&mut s, &self.layers, &places);
                    leaders_drawn = true;
                }
                let shown = *next.next().unwrap_or(at);
                self.draw_marker(&mut s, layer, shown);
            } else {
                self.draw(&mut s, layer);
            }
        }
        self.draw_names(&mut s, &places);
        self.scale_bar(&mut s);
        let _ = write!(
            s,
            r##"<g class="north" transform="translate({},8)"><path d="M0 0L5 14 0 11-5 14Z" fill="#222222"/><text y="25" text-anchor="middle" font-size="10" font-weight="bold">N</text></g>"##,
            num(self.width - 18.0)
        );
        if let Some(c) = &self.caption {
            let _ = write!(
                s,
                r##"<text class="caption" x="{}" y="{}" text-anchor="end" font-size="9" fill="#555555">{}</text>"##,
                num(self.width - 6.0),
                num(self.height - 6.0),
                escape(c)
            );
        }
        s.push_str("</svg>");
        s
    }

    fn draw(&self, s: &mut String, layer: &Layer) {
        match layer {
            Layer::Roads(d) => {
                let _ = write!(
                    s,
                    r#"<path class="roads" d="{d}" fill="none" stroke="{ROAD_COLOUR}" stroke-width="0.8" stroke-linejoin="round" stroke-linecap="round"/>"#
                );
            }
            Layer::Line {
                points,
                colour,
                width,
                arrows,
            } => {
                let c = escape(colour);
                let coords: Vec<String> = points
                    .iter()
                    .map(|&(x, y)| format!("{} {}", num(x), num(y)))
                    .collect();
                let _ = write!(
                    s,
                    r#"<polyline class="line" points="{}" fill="none" stroke="{c}" stroke-width="{}" stroke-opacity="0.85" stroke-linejoin="round" stroke-linecap="round"/>"#,
                    coords.join(" "),
                    num(*width)
                );
                if *arrows {
                    let size = num(2.0 + width);
                    for ((x, y), degrees) in arrow_positions(points) {
                        let _ = write!(
                            s,
                            r#"<path class="arrow" d="M-{size} -{size}L{size} 0-{size} {size}Z" transform="translate({} {}) rotate({degrees})" fill="{c}"/>"#,
                            num(x),
                            num(y)
                        );
                    }
                }
            }
            Layer::Point {
                at: (x, y),
                colour,
                radius,
                square,
                tip,
            } => {
                let shape = shape(*square, *x, *y, *radius);
                let _ = write!(
                    s,
                    r##"<{shape} class="point" fill="{}" stroke="#ffffff" stroke-width="0.5">{}</{}>"##,
                    escape(colour),
                    tip_element(tip),
                    if *square { "rect" } else { "circle" },
                );
            }
            Layer::Marker { at, .. } => self.draw_marker(s, layer, *at),
            Layer::Names(_) => {}
        }
    }

    /// The names of the map, placed after the markers (`marker_places`): a name's box must
    /// stay inside the map and off every marker and every name written before it.
    fn draw_names(&self, s: &mut String, places: &[(f64, f64)]) {
        // The scale bar (bottom left), the caption (bottom right) and the north arrow.
        let (w, h) = (self.width, self.height);
        let mut taken: Vec<[f64; 4]> = vec![
            [0.0, h - 30.0, w / 4.0 + 20.0, h],
            [w - 240.0, h - 20.0, w, h],
            [w - 34.0, 0.0, w, 40.0],
        ];
        let markers = self.layers.iter().filter_map(|l| match l {
            Layer::Marker { label, .. } => Some(marker_radius(label)),
            _ => None,
        });
        for (r, (x, y)) in markers.zip(places) {
            taken.push([x - r, y - r, x + r, y + r]);
        }
        let mut names: Vec<&super::PlaceName> = self
            .layers
            .iter()
            .filter_map(|l| match l {
                Layer::Names(n) => Some(n.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        names.sort_by_key(|n| !n.village);
        let mut written = 0;
        for n in names {
            if written >= 40 {
                break;
            }
            let size = if n.village { 12.0 } else { 9.0 };
            let (x, y) = self.project(n.at[0], n.at[1]);
            let w = 0.55 * size * n.text.chars().count() as f64;
            let b = [x - w / 2.0, y - size, x + w / 2.0, y + 2.0];
            let clear = b[0] > 2.0
                && b[1] > 2.0
                && b[2] < self.width - 2.0
                && b[3] < self.height - 2.0
                && taken
                    .iter()
                    .all(|t| b[2] < t[0] || t[2] < b[0] || b[3] < t[1] || t[3] < b[1]);
            if !clear {
                continue;
            }
            taken.push(b);
            written += 1;
            let style = if n.village {
                r##"font-size="12" font-weight="bold" fill="#333333""##
            } else {
                r##"font-size="9" font-style="italic" fill="#666666""##
            };
            let _ = write!(
                s,
                r##"<text class="name" x="{}" y="{}" text-anchor="middle" {style} stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{}</text>"##,
                num(x),
                num(y),
                escape(&n.text)
            );
        }
    }

    /// Where each marker is drawn, in layer order: at its place, or, when that would cover a
    /// marker drawn before it, at the nearest free spot on rings around it (inside the map), so
    /// that no two marker boxes overlap while there is room.
    fn marker_places(&self) -> Vec<(f64, f64)> {
        let mut placed: Vec<(f64, f64, f64)> = Vec::new();
        let free = |placed: &[(f64, f64, f64)], x: f64, y: f64, r: f64| {
            placed
                .iter()
                .all(|&(a, b, q)| (a - x).abs() >= r + q + 1.0 || (b - y).abs() >= r + q + 1.0)
        };
        let mut out = Vec::new();
        for layer in &self.layers {
            let Layer::Marker { at, label, .. } = layer else {
                continue;
            };
            let r = marker_radius(label);
            let (w, h) = (self.width, self.height);
            let inside = |x: f64, y: f64| x >= r && y >= r && x <= w - r && y <= h - r;
            let mut spot = *at;
            if !free(&placed, at.0, at.1, r) {
                'rings: for ring in 1..=16 {
                    let d = ring as f64 * (r + 1.0);
                    let steps = 8 * ring;
                    for k in 0..steps {
                        let a = std::f64::consts::TAU * k as f64 / steps as f64;
                        let (x, y) = (at.0 + d * a.cos(), at.1 - d * a.sin());
                        if inside(x, y) && free(&placed, x, y, r) {
                            spot = (x, y);
                            break 'rings;
                        }
                    }
                }
            }
            placed.push((spot.0, spot.1, r));
            out.push(spot);
        }
        out
    }

    fn draw_marker(&self, s: &mut String, layer: &Layer, (x, y): (f64, f64)) {
        if let Layer::Marker {
            label,
            colour,
            square,
            tip,
            ..
        } = layer
        {
            let r = marker_radius(label);
            let (x, y) = (&x, &y);
            let _ = write!(
                s,
                r##"<g class="marker">{}<{} fill="{}" stroke="#ffffff" stroke-width="1.5"/><text x="{}" y="{}" dy="0.35em" text-anchor="middle" font-size="11" font-weight="bold" fill="{}">{}</text></g>"##,
                tip_element(tip),
                shape(*square, *x, *y, r),
                escape(colour),
                num(*x),
                num(*y),
                text_colour(colour),
                escape(label)
            );
        }
    }

    /// A bar of a round length (1, 2 or 5 times a power of ten metres) at most a quarter of the
    /// map wide, at the bottom left.
    fn scale_bar(&self, s: &mut String) {
        let mpp = self.metres_per_px();
        let max_m = self.width / 4.0 * mpp;
        if !(max_m.is_finite() && max_m > 0.0) {
            return;
        }
        let power = 10f64.powf(max_m.log10().floor());
        let metres = [5.0, 2.0, 1.0]
            .into_iter()
            .map(|k| k * power)
            .find(|&m| m <= max_m)
            .unwrap_or(power);
        let label = if metres >= 1000.0 {
            format!("{} km", metres / 1000.0)
        } else {
            format!("{metres} m")
        };
        let (x0, y) = (12.0, self.height - 12.0);
        let x1 = x0 + metres / mpp;
        let _ = write!(
            s,
            r##"<g class="scale"><rect x="{}" y="{}" width="{}" height="22" fill="#ffffff" fill-opacity="0.8"/><path d="M{} {}V{}H{}V{}" fill="none" stroke="#222222" stroke-width="1.5"/><text x="{}" y="{}" font-size="10" fill="#222222">{}</text></g>"##,
            num(x0 - 4.0),
            num(y - 18.0),
            num(x1 - x0 + 8.0),
            num(x0),
            num(y - 5.0),
            num(y),
            num(x1),
            num(y - 5.0),
            num(x0),
            num(y - 8.0),
            escape(&label)
        );
    }
}

/// Radius of a marker (or half-side of a square one): wider for longer labels.
fn marker_radius(label: &str) -> f64 {
    7.0 + 3.0 * label.chars().count().max(1) as f64
}

/// A thin line from each moved marker's place to where it is drawn, with a dot at the place.
fn leaders(s: &mut String, layers: &[Layer], places: &[(f64, f64)]) {
    let markers = layers.iter().filter_map(|l| match l {
        Layer::Marker { at, .. } => Some(*at),
        _ => None,
    });
    for (at, shown) in markers.zip(places) {
        if (at.0 - shown.0).abs() + (at.1 - shown.1).abs() > 0.05 {
            let _ = write!(
                s,
                r##"<line class="leader" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444444" stroke-width="1"/><circle class="anchor" cx="{}" cy="{}" r="2.5" fill="#444444"/>"##,
                num(at.0),
                num(at.1),
                num(shown.0),
                num(shown.1),
                num(at.0),
                num(at.1)
            );
        }
    }
}

/// The opening of a circle of radius `r`, or of a square of half-side `r`, centred on (x, y).
fn shape(square: bool, x: f64, y: f64, r: f64) -> String {
    if square {
        format!(
            r#"rect x="{}" y="{}" width="{}" height="{}""#,
            num(x - r),
            num(y - r),
            num(2.0 * r),
            num(2.0 * r)
        )
    } else {
        format!(r#"circle cx="{}" cy="{}" r="{}""#, num(x), num(y), num(r))
    }
}

/// The tooltip of a marker or point, as an SVG `<title>` child; empty if none.
fn tip_element(tip: &Option<String>) -> String {
    tip.as_ref()
        .map(|t| format!("<title>{}</title>", escape(t)))
        .unwrap_or_default()
}

/// Black on a light `#rrggbb` fill, white otherwise (and for any other colour syntax).
fn text_colour(fill: &str) -> &'static str {
    let channel = |i: usize| {
        fill.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map(f64::from)
    };
    match (fill.len(), channel(1), channel(3), channel(5)) {
        (7, Some(r), Some(g), Some(b)) if 0.299 * r + 0.587 * g + 0.114 * b > 160.0 => "#000000",
        _ => "#ffffff",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg::tests::{bbox, count};
    use crate::report::xml_check::xml_elements;

    #[test]
    fn markers_points_and_lines() {
        let svg = Map::fit(bbox(), 600.0, 400.0)
            .title("Round <1> & co")
            .directed_line(
                &[[1.50, 42.50], [1.60, 42.58], [f64::NAN, 0.0]],
                "#d62728",
                3.0,
            )
            .marker(1.52, 42.52, "1", "#1f77b4")
            .tip("Chez \"Jo\"")
            .marker(1.55, 42.55, "12", "#e6ab02")
            .square_marker(1.50, 42.50, "D", "#222222")
            .square(1.58, 42.56, "#2ca02c", 3.0)
            .point(1.57, 42.57, "#2ca02c", 2.0)
            .point(f64::NAN, 42.57, "#2ca02c", 2.0)
            .caption("© OSM")
            .to_svg();
        assert_eq!(count(&svg, r#"class="marker""#), 3);
        assert_eq!(count(&svg, r#"class="point""#), 2);
        assert_eq!(count(&svg, r#"class="line""#), 1);
        assert!(count(&svg, r#"class="arrow""#) >= 3);
        assert!(svg.contains("<title>Round &lt;1&gt; &amp; co</title>"));
        assert!(svg.contains("<title>Chez &quot;Jo&quot;</title>"));
        assert!(
            svg.contains(r##"fill="#000000">12</text>"##),
            "dark text on yellow"
        );
        assert!(svg.contains(r##"fill="#ffffff">1</text>"##));
        assert!(svg.contains(r#"class="scale""#) && svg.contains(" km</text>"));
        assert!(svg.contains(">N</text>") && svg.contains("© OSM"));
        assert!(!svg.contains("NaN"));
        xml_elements(&svg).unwrap();
    }

    #[test]
    fn names_are_written_only_where_they_cover_no_marker() {
        use crate::report::svg::PlaceName;
        let name = |text: &str, lon, lat, village| PlaceName {
            text: text.into(),
            at: [lon, lat],
            village,
        };
        let svg = Map::fit(bbox(), 600.0, 400.0)
            .marker(1.55, 42.55, "1", "#1f77b4")
            .names(&[
                name("Under the marker", 1.55, 42.55, false),
                name("Ordino", 1.53, 42.53, true),
                name("Far away", 9.0, 47.0, true),
            ])
            .to_svg();
        xml_elements(&svg).unwrap();
        assert!(svg.contains(">Ordino</text>"));
        assert!(!svg.contains("Under the marker") && !svg.contains("Far away"));
    }

    #[test]
    fn markers_on_one_spot_are_moved_apart_with_leader_lines() {
        let mut map = Map::fit(bbox(), 600.0, 400.0);
        for k in 1..=12 {
            map = map.marker(1.55, 42.55, &k.to_string(), "#1f77b4");
        }
        let svg = map.to_svg();
        xml_elements(&svg).unwrap();
        let centres: Vec<(f64, f64, f64)> = svg
            .split("<circle cx=\"")
            .skip(1)
            .filter_map(|c| {
                let v: Vec<f64> = c
                    .split('"')
                    .enumerate()
                    .filter(|(i, _)| i % 2 == 0)
                    .take(3)
                    .map(|(_, x)| x.trim_start_matches([' ', 'c', 'y', 'r', '=']).parse().ok())
                    .collect::<Option<_>>()?;
                (v[2] > 3.0).then(|| (v[0], v[1], v[2]))
            })
            .collect();
        assert_eq!(centres.len(), 12);
        for i in 0..12 {
            for j in 0..i {
                let (a, b) = (centres[i], centres[j]);
                let apart = (a.0 - b.0).abs() >= a.2 + b.2 || (a.1 - b.1).abs() >= a.2 + b.2;
                assert!(apart, "markers {i} and {j} overlap: {a:?} {b:?}");
            }
        }
        // The first stays on its place; the 11 others are tied to it by a leader line.
        assert_eq!(count(&svg, r#"class="leader""#), 11);
        assert_eq!(count(&svg, r#"class="anchor""#), 11);
    }

    #[test]
    fn scale_bar_is_round_and_short() {
        let map = Map::fit(bbox(), 600.0, 400.0);
        let svg = map.to_svg();
        let label = svg
            .split(r##"font-size="10" fill="#222222">"##)
            .nth(1)
            .unwrap();
        let label = &label[..label.find('<').unwrap()];
        let metres = match label.split_once(' ') {
            Some((n, "km")) => n.parse::<f64>().unwrap() * 1000.0,
            Some((n, "m")) => n.parse::<f64>().unwrap(),
            _ => panic!("{label}"),
        };
        assert!(metres / map.metres_per_px() <= 150.0 && metres / map.metres_per_px() > 30.0);
        let mantissa = metres / 10f64.powf(metres.log10().floor());
        assert!(
            [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
            "{label}"
        );
    }
}
