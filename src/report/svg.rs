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

use super::text::escape;
use std::fmt::Write as _;

/// Metres per degree of latitude.
const METRES_PER_DEGREE: f64 = 111_320.0;
/// The smallest span drawn, in metres, so that a single point still gives a sensible map.
const MIN_SPAN_M: f64 = 500.0;
/// Empty space left and right of the bounding box, in px, so that markers at the edge show
/// whole.
const MARGIN_X: f64 = 28.0;
/// Empty space above and below the bounding box, in px: room for the north arrow and the scale
/// bar, so that they never hide a marker.
const MARGIN_Y: f64 = 48.0;
/// Points of a polyline closer than this to the previous kept point are dropped.
const MIN_STEP_PX: f64 = 1.0;
/// Distance between two direction arrows along a directed line, in px.
const ARROW_SPACING_PX: f64 = 90.0;
const ROAD_COLOUR: &str = "#bbbbbb";

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
                    push_path(&mut d, run.finish());
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
                        push_path(&mut d, run.finish());
                    }
                }
                prev = Some(q);
            }
            push_path(&mut d, run.finish());
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
        for layer in &self.layers {
            self.draw(&mut s, layer);
        }
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
            Layer::Marker {
                at: (x, y),
                label,
                colour,
                square,
                tip,
            } => {
                let r = 7.0 + 3.0 * label.chars().count().max(1) as f64;
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

/// Keeps the points of a polyline at least [`MIN_STEP_PX`] from the previous kept one, and
/// always its last point.
#[derive(Default)]
struct Simplifier {
    kept: Vec<(f64, f64)>,
    skipped: Option<(f64, f64)>,
}

impl Simplifier {
    fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    fn push(&mut self, q: (f64, f64)) {
        match self.kept.last() {
            Some(&k) if (q.0 - k.0).hypot(q.1 - k.1) < MIN_STEP_PX => self.skipped = Some(q),
            _ => {
                self.kept.push(q);
                self.skipped = None;
            }
        }
    }

    /// The points kept, rounded to 0.1 px without consecutive repeats; empties the simplifier.
    fn finish(&mut self) -> Vec<(f64, f64)> {
        if let Some(q) = self.skipped.take() {
            self.kept.push(q);
        }
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(self.kept.len());
        for (x, y) in self.kept.drain(..) {
            let q = (round1(x), round1(y));
            if out.last() != Some(&q) {
                out.push(q);
            }
        }
        out
    }
}

/// Appends `points` to SVG path data as one subpath, if there are at least two.
fn push_path(d: &mut String, points: Vec<(f64, f64)>) {
    if points.len() < 2 {
        return;
    }
    for (i, (x, y)) in points.into_iter().enumerate() {
        let sep = match i {
            0 => "M",
            1 => "L",
            _ => " ",
        };
        let _ = write!(d, "{sep}{} {}", num(x), num(y));
    }
}

/// Positions and angles (whole degrees, clockwise from east) of arrowheads every
/// [`ARROW_SPACING_PX`] along `points`, the first half a spacing from the start.
fn arrow_positions(points: &[(f64, f64)]) -> Vec<((f64, f64), i64)> {
    let mut out = Vec::new();
    let mut next = ARROW_SPACING_PX / 2.0;
    let mut walked = 0.0;
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let length = (x1 - x0).hypot(y1 - y0);
        let degrees = (y1 - y0).atan2(x1 - x0).to_degrees().round() as i64;
        while length > 0.0 && next <= walked + length {
            let t = (next - walked) / length;
            out.push(((x0 + t * (x1 - x0), y0 + t * (y1 - y0)), degrees));
            next += ARROW_SPACING_PX;
        }
        walked += length;
    }
    out
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

fn finite(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A px coordinate rounded to 0.1, written as short as possible (`12`, `12.5`, `0`).
fn num(x: f64) -> String {
    let r = round1(x);
    if r == 0.0 {
        "0".into()
    } else {
        r.to_string()
    }
}

/// A minimal XML well-formedness check for tests: tags nest and close, attributes are quoted
/// and unique, entity references are the predefined or numeric ones, one root. Returns every
/// element as its path of names from the root, in document order.
#[cfg(test)]
pub(crate) fn xml_elements(xml: &str) -> Result<Vec<Vec<String>>, String> {
    fn check_name(name: &str) -> Result<(), String> {
        let ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        ok.then_some(()).ok_or(format!("bad name {name:?}"))
    }
    fn check_text(text: &str) -> Result<(), String> {
        if text.contains('<') {
            return Err(format!("raw < in {text:?}"));
        }
        for (i, _) in text.match_indices('&') {
            let rest = &text[i + 1..];
            let end = rest.find(';').ok_or(format!("unclosed & in {text:?}"))?;
            let name = &rest[..end];
            let numeric = name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numeric && !["amp", "lt", "gt", "quot", "apos"].contains(&name) {
                return Err(format!("bad entity &{name}; in {text:?}"));
            }
        }
        match text
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            Some(c) => Err(format!("control character {c:?}")),
            None => Ok(()),
        }
    }
    fn check_attributes(attrs: &str) -> Result<(), String> {
        let mut rest = attrs.trim();
        let mut seen = Vec::new();
        while !rest.is_empty() {
            let (name, after) = rest
                .split_once('=')
                .ok_or(format!("bad attributes {rest:?}"))?;
            let name = name.trim();
            check_name(name)?;
            if seen.contains(&name) {
                return Err(format!("duplicate attribute {name}"));
            }
            seen.push(name);
            let after = after.trim_start();
            let quote = after.chars().next().filter(|&q| q == '"' || q == '\'');
            let quote = quote.ok_or(format!("unquoted attribute {name}"))?;
            let close = after[1..].find(quote).ok_or("unclosed attribute value")? + 1;
            check_text(&after[1..close])?;
            rest = after[close + 1..].trim_start();
        }
        Ok(())
    }
    let (mut out, mut stack, mut roots) = (Vec::new(), Vec::<String>::new(), 0);
    let mut rest = xml;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>").ok_or("unclosed <?")? + 2..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("unclosed end tag")?;
            let name = r[..end].trim();
            match stack.pop() {
                Some(open) if open == name => {}
                open => return Err(format!("</{name}> closes {open:?}")),
            }
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find('>').ok_or("unclosed tag")?;
            let (tag, empty) = match r[..end].strip_suffix('/') {
                Some(t) => (t, true),
                None => (&r[..end], false),
            };
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            check_name(name)?;
            check_attributes(attrs)?;
            roots += usize::from(stack.is_empty());
            stack.push(name.into());
            out.push(stack.clone());
            if empty {
                stack.pop();
            }
            rest = &r[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            if stack.is_empty() && !rest[..end].trim().is_empty() {
                return Err("text outside the root".into());
            }
            check_text(&rest[..end])?;
            rest = &rest[end..];
        }
    }
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(out),
        _ => Err(format!("{roots} roots, unclosed {stack:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bbox() -> BBox {
        BBox::around([[1.50, 42.50], [1.60, 42.58]]).unwrap()
    }

    fn count(svg: &str, needle: &str) -> usize {
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

    #[test]
    fn numbers_and_xml_check() {
        assert_eq!(
            (num(12.04), num(-0.04), num(3.0), num(2.25)),
            ("12".into(), "0".into(), "3".into(), "2.3".into())
        );
        assert!(xml_elements("<a><b x='1'/></a>").is_ok());
        assert!(xml_elements("<a><b></a></b>").is_err());
        assert!(xml_elements("<a x=\"1\" x=\"2\"/>").is_err());
        assert!(xml_elements("<a>&nbsp;</a>").is_err());
        assert!(xml_elements("<a/><b/>").is_err());
    }
}
