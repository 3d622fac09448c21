//! Polylines in px: coordinates rounded to 0.1 px and written short, simplification of dense
//! lines, SVG path data and the positions of direction arrows.

use std::fmt::Write as _;

/// Points of a polyline closer than this to the previous kept point are dropped.
const MIN_STEP_PX: f64 = 1.0;
/// Distance between two direction arrows along a directed line, in px.
const ARROW_SPACING_PX: f64 = 90.0;

/// Keeps the points of a polyline at least [`MIN_STEP_PX`] from the previous kept one, and
/// always its last point.
#[derive(Default)]
pub(super) struct Simplifier {
    kept: Vec<(f64, f64)>,
    skipped: Option<(f64, f64)>,
}

impl Simplifier {
    pub(super) fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    pub(super) fn push(&mut self, q: (f64, f64)) {
        match self.kept.last() {
            Some(&k) if (q.0 - k.0).hypot(q.1 - k.1) < MIN_STEP_PX => self.skipped = Some(q),
            _ => {
                self.kept.push(q);
                self.skipped = None;
            }
        }
    }

    /// The points kept, rounded to 0.1 px without consecutive repeats; empties the simplifier.
    pub(super) fn finish(&mut self) -> Vec<(f64, f64)> {
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
pub(super) fn push_path(d: &mut String, points: Vec<(f64, f64)>) {
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
pub(super) fn arrow_positions(points: &[(f64, f64)]) -> Vec<((f64, f64), i64)> {
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

/// `x` rounded to 0.1.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A px coordinate rounded to 0.1, written as short as possible (`12`, `12.5`, `0`).
pub(super) fn num(x: f64) -> String {
    let r = round1(x);
    if r == 0.0 {
        "0".into()
    } else {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_at_a_tenth_of_a_px() {
        assert_eq!(
            (num(12.04), num(-0.04), num(3.0), num(2.25)),
            ("12".into(), "0".into(), "3".into(), "2.3".into())
        );
    }

    #[test]
    fn simplifier_keeps_points_a_px_apart_and_the_last_one() {
        let mut run = Simplifier::default();
        for q in [(0.0, 0.0), (0.3, 0.0), (0.6, 0.0), (2.0, 0.0), (2.04, 0.0)] {
            run.push(q);
        }
        assert_eq!(run.finish(), [(0.0, 0.0), (2.0, 0.0)]);
        assert!(run.is_empty(), "finish empties the simplifier");
        let mut d = String::new();
        push_path(&mut d, vec![(0.0, 0.0)]);
        assert!(d.is_empty(), "one point is no subpath");
        push_path(&mut d, vec![(0.0, 0.0), (1.25, 2.0), (3.0, 4.0)]);
        assert_eq!(d, "M0 0L1.3 2 3 4");
    }

    #[test]
    fn arrows_every_spacing_from_half_a_spacing() {
        let arrows = arrow_positions(&[(0.0, 0.0), (200.0, 0.0), (200.0, 100.0)]);
        let at: Vec<(f64, f64)> = arrows.iter().map(|a| a.0).collect();
        assert_eq!(at, [(45.0, 0.0), (135.0, 0.0), (200.0, 25.0)]);
        let degrees: Vec<i64> = arrows.iter().map(|a| a.1).collect();
        assert_eq!(degrees, [0, 0, 90], "clockwise from east, y down");
    }
}
