//! A small SVG map renderer: road network, coloured lines, numbered markers and point layers
//! over an equirectangular projection fitted to a bounding box, with a scale bar and a north
//! arrow. The output is self-contained (no external resource, no script) and deterministic.
//!
//! Layers are drawn in the order they are added (later ones on top); the scale bar, the north
//! arrow and the caption come last. Coordinates are `[lon, lat]` in decimal degrees;
//! non-finite ones are skipped. Pixel coordinates are rounded to 0.1 px, and every text is
//! escaped.
//!
//! ```
//! use tournee::report::svg::{BBox, Map};
//!
//! let round = [[1.52, 42.50], [1.55, 42.53], [1.60, 42.56]];
//! let bbox = BBox::around(round).expect("finite points");
//! let svg = Map::fit(bbox, 600.0, 400.0)
//!     .roads(&[vec![[1.50, 42.50], [1.62, 42.57]]])
//!     .line(&round, "#d62728", 3.0)
//!     .marker(1.55, 42.53, "1", "#1f77b4")
//!     .point(1.60, 42.56, "#2ca02c", 3.0)
//!     .caption("© OpenStreetMap contributors")
//!     .to_svg();
//! assert!(svg.starts_with("<svg") && svg.contains(">1</text>"));
//! ```

mod draw;
mod pixels;

use crate::model::geo::METRES_PER_DEGREE;
use pixels::Simplifier;

/// The smallest span drawn, in metres, so that a single point still gives a sensible map.
const MIN_SPAN_M: f64 = 500.0;
/// Empty space left and right of the bounding box, in px, so that markers at the edge show
/// whole.
const MARGIN_X: f64 = 28.0;
/// Empty space above and below the bounding box, in px: room for the north arrow and the scale
/// bar, so that they never hide a marker.
const MARGIN_Y: f64 = 48.0;

/// A box in longitude and latitude, in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    /// Smallest longitude.
    pub west: f64,
    /// Smallest latitude.
    pub south: f64,
    /// Largest longitude.
    pub east: f64,
    /// Largest latitude.
    pub north: f64,
}

impl BBox {
    /// The smallest box around the finite `[lon, lat]` points; `None` if there is none.
    pub fn around(points: impl IntoIterator<Item = [f64; 2]>) -> Option<BBox> {
        points
            .into_iter()
            .filter(|&p| finite(p))
            .fold(None, |b, [lon, lat]| {
                Some(match b {
                    None => BBox {
                        west: lon,
                        south: lat,
                        east: lon,
                        north: lat,
                    },
                    Some(b) => BBox {
                        west: b.west.min(lon),
                        south: b.south.min(lat),
                        east: b.east.max(lon),
                        north: b.north.max(lat),
                    },
                })
            })
    }

    /// Whether `[lon, lat]` lies in the box (edges included).
    pub fn contains(&self, [lon, lat]: [f64; 2]) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }

    /// Height over width of the box once projected, each side at least 500 m: the aspect ratio
    /// a map of this box should have to waste no space.
    pub fn aspect(&self) -> f64 {
        let (w, h) = self.projected_span();
        h / w
    }

    /// Width and height in projected units (degrees of latitude), each at least 500 m.
    fn projected_span(&self) -> (f64, f64) {
        let min = MIN_SPAN_M / METRES_PER_DEGREE;
        (
            ((self.east - self.west) * self.kx()).max(min),
            (self.north - self.south).max(min),
        )
    }

    /// The shrinking of longitudes at the box's middle latitude.
    fn kx(&self) -> f64 {
        ((self.south + self.north) / 2.0)
            .to_radians()
            .cos()
            .max(0.01)
    }
}

/// A map being drawn: build it with [`Map::fit`], add layers, then call [`Map::to_svg`].
#[derive(Clone, Debug)]
pub struct Map {
    width: f64,
    height: f64,
    kx: f64,
    scale: f64,
    cx: f64,
    cy: f64,
    title: Option<String>,
    caption: Option<String>,
    layers: Vec<Layer>,
}

#[derive(Clone, Debug)]
enum Layer {
    /// Path data of every visible road piece.
    Roads(String),
    Line {
        points: Vec<(f64, f64)>,
        colour: String,
        width: f64,
        arrows: bool,
    },
    Point {
        at: (f64, f64),
        colour: String,
        radius: f64,
        square: bool,
        tip: Option<String>,
    },
    Marker {
        at: (f64, f64),
        label: String,
        colour: String,
        square: bool,
        tip: Option<String>,
    },
    /// Names of places (villages, streets), drawn where they cover no marker and no other name.
    Names(Vec<PlaceName>),
}

/// A name to write on a map: a village (larger, dark) or a street (small, grey, italic).
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceName {
    /// The text.
    pub text: String,
    /// Longitude and latitude of its middle.
    pub at: [f64; 2],
    /// A village (else a street).
    pub village: bool,
}

impl Map {
    /// A `width` x `height` px map (at least 120 x 120) showing `bbox` whole, centred, with a
    /// margin of 28 px left and right and 48 px above and below (for the north arrow and the
    /// scale bar): x = lon·cos(lat0), y = lat, with lat0 the box's middle latitude, at one
    /// scale for both axes, so that shapes keep their proportions. A box smaller than 500 m
    /// (or a single point) is widened to 500 m around its centre.
    pub fn fit(bbox: BBox, width: f64, height: f64) -> Map {
        let (width, height) = (width.max(120.0), height.max(120.0));
        let (w, h) = bbox.projected_span();
        let scale = ((width - 2.0 * MARGIN_X) / w).min((height - 2.0 * MARGIN_Y) / h);
        let kx = bbox.kx();
        Map {
            width,
            height,
            kx,
            scale,
            cx: (bbox.west + bbox.east) / 2.0 * kx,
            cy: (bbox.south + bbox.north) / 2.0,
            title: None,
            caption: None,
            layers: Vec::new(),
        }
    }

    /// Where `[lon, lat]` falls on the map, in px from the top left corner.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.width / 2.0 + (lon * self.kx - self.cx) * self.scale,
            self.height / 2.0 - (lat - self.cy) * self.scale,
        )
    }

    /// Ground metres per px.
    pub fn metres_per_px(&self) -> f64 {
        METRES_PER_DEGREE / self.scale
    }

    /// The accessible name of the map (its `<title>` and `aria-label`).
    pub fn title(mut self, text: &str) -> Self {
        self.title = Some(text.into());
        self
    }

    /// A small text at the bottom right, such as the data attribution.
    pub fn caption(mut self, text: &str) -> Self {
        self.caption = Some(text.into());
        self
    }

    /// Draws road polylines as thin grey lines, all in one SVG path. Only the pieces crossing
    /// the map are kept, and points closer than 1 px to the previous one are dropped, so that
    /// the whole road network of an extract gives a small file. O(total points).
    pub fn roads(mut self, roads: &[Vec<[f64; 2]>]) -> Self {
        let mut d = String::new();
        for road in roads {
            let mut run = Simplifier::default();
            let mut prev: Option<(f64, f64)> = None;
            for &p in road {
                if !finite(p) {
                    pixels::push_path(&mut d, run.finish());
                    prev = None;
                    continue;
                }
                let q = self.project(p[0], p[1]);
                if let Some(a) = prev {
                    if self.crosses_view(a, q) {
                        if run.is_empty() {
                            run.push(a);
                        }
                        run.push(q);
                    } else {
                        pixels::push_path(&mut d, run.finish());
                    }
                }
                prev = Some(q);
            }
            pixels::push_path(&mut d, run.finish());
        }
        if !d.is_empty() {
            self.layers.push(Layer::Roads(d));
        }
        self
    }

    /// Draws a polyline of `width` px in `colour` (a CSS colour such as `#d62728`).
    pub fn line(self, points: &[[f64; 2]], colour: &str, width: f64) -> Self {
        self.add_line(points, colour, width, false)
    }

    /// Like [`Map::line`], with small arrowheads every 90 px showing the direction of travel.
    pub fn directed_line(self, points: &[[f64; 2]], colour: &str, width: f64) -> Self {
        self.add_line(points, colour, width, true)
    }

    fn add_line(mut self, points: &[[f64; 2]], colour: &str, width: f64, arrows: bool) -> Self {
        let mut run = Simplifier::default();
        for &p in points.iter().filter(|&&p| finite(p)) {
            run.push(self.project(p[0], p[1]));
        }
        let points = run.finish();
        if points.len() >= 2 {
            self.layers.push(Layer::Line {
                points,
                colour: colour.into(),
                width,
                arrows,
            });
        }
        self
    }

    /// Draws a round marker with a short `label` (a stop number) in white, or in black on a
    /// light `colour`. Its radius grows with the label.
    pub fn marker(self, lon: f64, lat: f64, label: &str, colour: &str) -> Self {
        self.add_marker(lon, lat, label, colour, false)
    }

    /// Like [`Map::marker`], square (for a depot).
    pub fn square_marker(self, lon: f64, lat: f64, label: &str, colour: &str) -> Self {
        self.add_marker(lon, lat, label, colour, true)
    }

    fn add_marker(mut self, lon: f64, lat: f64, label: &str, colour: &str, square: bool) -> Self {
        if finite([lon, lat]) {
            self.layers.push(Layer::Marker {
                at: self.project(lon, lat),
                label: label.into(),
                colour: colour.into(),
                square,
                tip: None,
            });
        }
        self
    }

    /// Writes the names that fall inside the map, villages first, each only where it covers no
    /// marker and no name already written (at most 40).
    pub fn names(mut self, names: &[PlaceName]) -> Self {
        let inside: Vec<PlaceName> = names
            .iter()
            .filter(|n| finite(n.at))
            .filter(|n| {
                let (x, y) = self.project(n.at[0], n.at[1]);
                x > 0.0 && y > 0.0 && x < self.width && y < self.height
            })
            .cloned()
            .collect();
        if !inside.is_empty() {
            self.layers.push(Layer::Names(inside));
        }
        self
    }

    /// Draws a small dot of `radius` px, for a layer of points such as households.
    pub fn point(self, lon: f64, lat: f64, colour: &str, radius: f64) -> Self {
        self.add_point(lon, lat, colour, radius, false)
    }

    /// Draws a small square of half-side `radius` px, for a layer of places such as sites.
    pub fn square(self, lon: f64, lat: f64, colour: &str, radius: f64) -> Self {
        self.add_point(lon, lat, colour, radius, true)
    }

    fn add_point(mut self, lon: f64, lat: f64, colour: &str, radius: f64, square: bool) -> Self {
        if finite([lon, lat]) {
            self.layers.push(Layer::Point {
                at: self.project(lon, lat),
                colour: colour.into(),
                radius,
                square,
                tip: None,
            });
        }
        self
    }

    /// Sets the tooltip (an SVG `<title>`) of the last marker or point added; no effect after
    /// any other layer.
    pub fn tip(mut self, text: &str) -> Self {
        if let Some(Layer::Marker { tip, .. } | Layer::Point { tip, .. }) = self.layers.last_mut() {
            *tip = Some(text.into());
        }
        self
    }

    /// Whether the segment from `a` to `b` (px) may cross the map: its bounding box meets the
    /// map grown by 1 px.
    fn crosses_view(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        a.0.max(b.0) >= -1.0
            && a.0.min(b.0) <= self.width + 1.0
            && a.1.max(b.1) >= -1.0
            && a.1.min(b.1) <= self.height + 1.0
    }
}

/// Whether both coordinates of `p` are finite.
fn finite(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The box of the renderer's tests, about 8 km by 9 km in Andorra.
    pub(super) fn bbox() -> BBox {
        BBox::around([[1.50, 42.50], [1.60, 42.58]]).unwrap()
    }

    /// How many times `needle` occurs in `svg`.
    pub(super) fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn projection_keeps_the_box_inside_with_its_margin_and_aspect() {
        let map = Map::fit(bbox(), 600.0, 400.0);
        let (x0, y0) = map.project(1.50, 42.50);
        let (x1, y1) = map.project(1.60, 42.58);
        for (x, y) in [(x0, y0), (x1, y1)] {
            assert!(
                (MARGIN_X - 1e-9..=600.0 - MARGIN_X + 1e-9).contains(&x),
                "{x}"
            );
            assert!(
                (MARGIN_Y - 1e-9..=400.0 - MARGIN_Y + 1e-9).contains(&y),
                "{y}"
            );
        }
        assert!(y1 < y0 && x1 > x0, "north is up, east is right");
        // Markers (radius up to 13 px) at the box's corners clear the north arrow (top 34 px)
        // and the scale bar (bottom 30 px).
        assert!(y1 - 13.0 > 34.0 && y0 + 13.0 < 400.0 - 30.0, "{y1} {y0}");
        // One scale for both axes: 0.1 degree of longitude is cos(42.54°) of 0.1 of latitude.
        let kx = 42.54f64.to_radians().cos();
        let ratio = (x1 - x0) / (y0 - y1) / (0.10 * kx / 0.08);
        assert!((ratio - 1.0).abs() < 1e-9, "{ratio}");
        // The box is centred.
        assert!(((x0 + x1) / 2.0 - 300.0).abs() < 1e-9 && ((y0 + y1) / 2.0 - 200.0).abs() < 1e-9);
        assert!((bbox().aspect() - 0.08 / (0.10 * kx)).abs() < 1e-9);
        // A single point gives a finite map 500 m across.
        let point = BBox::around([[1.5, 42.5]]).unwrap();
        let map = Map::fit(point, 400.0, 400.0);
        assert!((map.metres_per_px() * (400.0 - 2.0 * MARGIN_Y) - MIN_SPAN_M).abs() < 1e-6);
        assert_eq!(BBox::around([[f64::NAN, 1.0]]), None);
    }

    #[test]
    fn roads_outside_the_map_are_dropped_and_close_points_simplified() {
        let inside = vec![[1.52, 42.52], [1.55, 42.55], [1.58, 42.56]];
        let far = vec![[2.50, 43.50], [2.60, 43.60]];
        let crossing = vec![[1.40, 42.54], [1.70, 42.54]];
        // 1,000 points 1 cm apart: one px covers many of them.
        let dense: Vec<[f64; 2]> = (0..1000)
            .map(|i| [1.53 + 1e-7 * i as f64, 42.53])
            .chain([[1.56, 42.53]])
            .collect();
        let svg = Map::fit(bbox(), 600.0, 400.0)
            .roads(&[inside, far, crossing, dense])
            .to_svg();
        let d = svg.split(r#"class="roads" d=""#).nth(1).unwrap();
        let d = &d[..d.find('"').unwrap()];
        assert_eq!(count(d, "M"), 3, "{d}");
        assert_eq!(count(d, "L"), 3);
        // inside: 3 points, crossing: 2, dense: first and last only.
        assert_eq!(
            d.split(['M', 'L', ' ']).filter(|s| !s.is_empty()).count(),
            2 * 7
        );
        // Coordinates at 0.1 px.
        for n in d.split(['M', 'L', ' ']).filter(|s| !s.is_empty()) {
            assert!(n.split('.').nth(1).is_none_or(|f| f.len() == 1), "{n}");
        }
        // Nothing visible: no road layer at all.
        let svg = Map::fit(bbox(), 600.0, 400.0)
            .roads(&[vec![[2.5, 43.5], [2.6, 43.6]]])
            .to_svg();
        assert!(!svg.contains("roads"));
    }
}
