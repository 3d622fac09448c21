//! Distances from the households to the candidate sites: on the walking (or driving) network,
//! with a fallback for the households it does not reach, so that none is left out. A household
//! cut off from the footways (or too far from them) is measured by car; one no road reaches
//! either, by straight line. Each household's measure is kept, and every output says which.

use super::DistanceKind;
use crate::graph::snap::SnapError;
use crate::graph::{dijkstra, Network, Weight};
use crate::osm::Profile;
use crate::plan::progress::{step, Progress};
use crate::plan::territory::Territory;

/// A households x candidates distance table, and how each household's row was measured.
pub(super) struct Table {
    /// Row-major, metres; `None`: straight lines for everyone (computed by the solver).
    pub matrix: Option<Vec<f32>>,
    /// Per household: the measure of its row.
    pub by: Vec<DistanceKind>,
    /// Per household measured by a fallback: why its own measure did not reach a site.
    pub why: Vec<Option<String>>,
    /// The measure asked for.
    pub kind: DistanceKind,
}

/// The table between `homes` and `cands` (`(lon, lat)`), with planar coordinates `home_xy`
/// and `cand_xy` for straight lines.
pub(super) fn table(
    t: &Territory,
    kind: DistanceKind,
    homes: &[(f64, f64)],
    cands: &[(f64, f64)],
    (home_xy, cand_xy): (&[[f64; 2]], &[[f64; 2]]),
    progress: &dyn Progress,
) -> Table {
    let (n, m) = (homes.len(), cands.len());
    if kind == DistanceKind::Straight {
        return Table {
            matrix: None,
            by: vec![DistanceKind::Straight; n],
            why: vec![None; n],
            kind,
        };
    }
    let net = t.network(if kind == DistanceKind::Walking {
        Profile::Foot
    } else {
        Profile::Car
    });
    step(progress, "preparing fast queries", || net.prepare());
    let mx = step(progress, &format!("{} distances", kind.name()), || {
        net.rectangle(homes, cands)
    });
    let mut v = vec![f32::INFINITY; n * m];
    for i in 0..n {
        for j in 0..m {
            if let Some(d) = mx.distance(i, j) {
                v[i * m + j] = d.0 as f32;
            }
        }
    }
    let mut by = vec![kind; n];
    let mut why = vec![None; n];
    let cut_off = |i: usize, v: &[f32]| v[i * m..(i + 1) * m].iter().all(|d| !d.is_finite());
    let missing: Vec<usize> = (0..n).filter(|&i| cut_off(i, &v)).collect();
    if missing.is_empty() {
        return Table {
            matrix: Some(v),
            by,
            why,
            kind,
        };
    }
    let network_name = match kind {
        DistanceKind::Walking => "footway",
        _ => "road",
    };
    let car_rows = (kind == DistanceKind::Walking).then(|| CarRows::new(t.car(), cands));
    for &i in &missing {
        why[i] = Some(match &mx.from_snaps[i] {
            Err(SnapError::TooFar { distance_m, .. }) => {
                format!("{distance_m:.0} m from the nearest {network_name}")
            }
            Err(e) => format!("not on the {network_name}s ({e})"),
            Ok(_) => format!("on a part of the {network_name}s cut off from every candidate site"),
        });
        let row = &mut v[i * m..(i + 1) * m];
        if let Some(car) = &car_rows {
            if car.fill(homes[i], row) {
                by[i] = DistanceKind::Driving;
                continue;
            }
        }
        for (j, d) in row.iter_mut().enumerate() {
            let (a, b) = (home_xy[i], cand_xy[j]);
            *d = (a[0] - b[0]).hypot(a[1] - b[1]) as f32;
        }
        by[i] = DistanceKind::Straight;
    }
    Table {
        matrix: Some(v),
        by,
        why,
        kind,
    }
}

/// Driving distances from single households to every candidate (one Dijkstra search each:
/// for the few households the footways do not reach).
struct CarRows<'a> {
    net: &'a Network,
    cands: Vec<Result<crate::graph::Snapped, SnapError>>,
}

impl<'a> CarRows<'a> {
    fn new(net: &'a Network, cands: &[(f64, f64)]) -> Self {
        CarRows {
            net,
            cands: net.snap_all(cands),
        }
    }

    /// Fills `row` with the driving distances from `home`; false when no candidate is reached.
    fn fill(&self, home: (f64, f64), row: &mut [f32]) -> bool {
        let g = self.net.graph();
        let Ok(h) = self.net.snap_all(&[home]).remove(0) else {
            return false;
        };
        let dist = dijkstra::one_to_all(g, &h.source_seeds(g));
        let mut any = false;
        for (d, c) in row.iter_mut().zip(&self.cands) {
            let Ok(c) = c else { continue };
            let mut w = dijkstra::to_seeds(&dist, &c.target_seeds(g));
            if let Some(direct) = h.direct(c, g) {
                w = w.min(direct);
            }
            if w != Weight::INFINITY {
                *d = w.length().to_metres().0 as f32;
                any = true;
            }
        }
        any
    }
}
