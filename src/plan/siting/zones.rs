//! Zones of a large territory: the households cut into groups of at most a few thousand, each
//! sited on its own (in parallel), then joined at their borders ([`super::repair`]).
//!
//! Zones are the extract's communes where it has their boundaries ([`by_communes`]: a commune
//! larger than the zone size is cut, small neighbouring communes are put together up to it, and
//! a commune too small for the sites' bounds is merged with its nearest neighbour, with a note);
//! elsewhere spatial clusters ([`partition`]): the territory is cut in two across its longer
//! side at the median foyer, and again, until every zone has at most the zone size and spans at
//! most [`ZONE_SPAN_M`]. Either way the same input always gives the same zones.

use crate::model::LonLat;
use crate::osm::Commune;
use crate::sites::feasible_p;

/// Widest zone [`partition`] makes (metres, along either axis): a zone of a few scattered
/// hamlets never spans the territory, so that a hamlet too small for a site joins the zone
/// next to it (see [`merge_small`]), not a site at the other end of the territory.
pub const ZONE_SPAN_M: f64 = 20_000.0;

/// Cuts the points (planar `xy`, weighted by `foyers`) into zones of at most `most` points and
/// at most [`ZONE_SPAN_M`] across; returns each zone's point indices, ascending, zones in a
/// fixed order.
pub fn partition(xy: &[[f64; 2]], foyers: &[i64], most: usize) -> Vec<Vec<usize>> {
    let most = most.max(1);
    split(xy, foyers, |z| {
        z.len() <= most && extent(xy, z, 0) <= ZONE_SPAN_M && extent(xy, z, 1) <= ZONE_SPAN_M
    })
}

/// How far the points `zone` spread along `axis`.
fn extent(xy: &[[f64; 2]], zone: &[usize], axis: usize) -> f64 {
    let (lo, hi) = zone
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
            (lo.min(xy[i][axis]), hi.max(xy[i][axis]))
        });
    hi - lo
}

/// Cuts the points (planar `xy`) into groups whose `weight` sums to at most `most` (a point
/// heavier than that alone is a group of its own), cutting at the median weight.
pub fn partition_weighted(xy: &[[f64; 2]], weight: &[i64], most: i64) -> Vec<Vec<usize>> {
    split(xy, weight, |z| {
        z.len() <= 1 || z.iter().map(|&i| weight[i].max(0)).sum::<i64>() <= most
    })
}

/// Halves the points across their longer side at the median weight until `small` holds for
/// every part.
fn split(xy: &[[f64; 2]], weight: &[i64], small: impl Fn(&[usize]) -> bool) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut stack: Vec<Vec<usize>> = vec![(0..xy.len()).collect()];
    while let Some(mut zone) = stack.pop() {
        if zone.len() <= 1 || small(&zone) {
            zone.sort_unstable();
            if !zone.is_empty() {
                out.push(zone);
            }
            continue;
        }
        let axis = usize::from(extent(xy, &zone, 1) > extent(xy, &zone, 0));
        zone.sort_by(|&a, &b| xy[a][axis].total_cmp(&xy[b][axis]).then(a.cmp(&b)));
        let total: i64 = zone.iter().map(|&i| weight[i].max(0)).sum();
        let mut acc = 0;
        let mut cut = zone.len() / 2;
        for (k, &i) in zone.iter().enumerate() {
            acc += weight[i].max(0);
            if 2 * acc >= total {
                cut = k + 1;
                break;
            }
        }
        let cut = cut.clamp(1, zone.len() - 1);
        let right = zone.split_off(cut);
        stack.push(right);
        stack.push(zone);
    }
    out
}

/// A zone: its households (ascending) and its name (the commune's, or a number).
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    /// Household indices.
    pub households: Vec<usize>,
    /// The commune(s), or "zone N".
    pub name: String,
}

/// Zones along the `communes` (households at `lonlat`, planar `xy`, `foyers`), at most `most`
/// households each, every one able to hold sites of `min` to `max` foyers; notes say which
/// communes were merged because they were too small.
pub fn by_communes(
    communes: &[Commune],
    (lonlat, xy, foyers): (&[LonLat], &[[f64; 2]], &[i64]),
    most: usize,
    (min, max): (i64, i64),
) -> (Vec<Zone>, Vec<String>) {
    let n = lonlat.len();
    // Finer levels first: a commune (8) before a parish or a canton (7).
    let mut order: Vec<usize> = (0..communes.len()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(communes[c].admin_level), communes[c].osm));
    let commune_of = crate::osm::locate_communes(communes, lonlat);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for &c in &order {
        let hh: Vec<usize> = (0..n).filter(|&i| commune_of[i] == Some(c)).collect();
        if !hh.is_empty() {
            groups.push((communes[c].name.clone(), hh));
        }
    }
    let outside: Vec<usize> = (0..n).filter(|&i| commune_of[i].is_none()).collect();
    // Households in no commune: spatial clusters among themselves.
    if !outside.is_empty() {
        let sub_xy: Vec<[f64; 2]> = outside.iter().map(|&i| xy[i]).collect();
        let sub_f: Vec<i64> = outside.iter().map(|&i| foyers[i]).collect();
        for (k, part) in partition(&sub_xy, &sub_f, most).into_iter().enumerate() {
            groups.push((
                format!("outside the communes {}", k + 1),
                part.into_iter().map(|p| outside[p]).collect(),
            ));
        }
    }
    // Communes larger than a zone are cut.
    let mut zones: Vec<Zone> = Vec::new();
    for (name, hh) in groups {
        if hh.len() <= most {
            zones.push(Zone {
                households: hh,
                name,
            });
            continue;
        }
        let sub_xy: Vec<[f64; 2]> = hh.iter().map(|&i| xy[i]).collect();
        let sub_f: Vec<i64> = hh.iter().map(|&i| foyers[i]).collect();
        for (k, part) in partition(&sub_xy, &sub_f, most).into_iter().enumerate() {
            zones.push(Zone {
                households: part.into_iter().map(|p| hh[p]).collect(),
                name: format!("{name} ({})", k + 1),
            });
        }
    }
    let notes = merge_small(&mut zones, xy, foyers, most, (min, max));
    (zones, notes)
}

/// Merges every zone too small for sites of `min` to `max` foyers into its nearest neighbour
/// (with a note), and puts zones of less than a quarter of `most` households together.
pub fn merge_small(
    zones: &mut Vec<Zone>,
    xy: &[[f64; 2]],
    foyers: &[i64],
    most: usize,
    (min, max): (i64, i64),
) -> Vec<String> {
    let mut notes = Vec::new();
    let total = |z: &Zone| z.households.iter().map(|&i| foyers[i]).sum::<i64>();
    // A zone too small for the bounds joins its nearest neighbour; small zones are put
    // together up to a quarter of the zone size.
    while let Some(k) = (0..zones.len()).find(|&k| {
        feasible_p(total(&zones[k]), min, max).is_none()
            || (zones.len() > 1 && zones[k].households.len() < most / 4)
    }) {
        let Some(other) = nearest_zone(zones, k, xy, most) else {
            break;
        };
        let small = zones.remove(k);
        let other = if other > k { other - 1 } else { other };
        if feasible_p(total(&small), min, max).is_none() {
            notes.push(format!(
                "{} ({} foyers) cannot hold conciergeries of {min} to {max} foyers on its own: grouped with {}",
                small.name,
                total(&small),
                zones[other].name
            ));
        }
        let z = &mut zones[other];
        z.name = format!("{} + {}", z.name, small.name);
        z.households.extend(small.households);
        z.households.sort_unstable();
        if zones.len() == 1 {
            break;
        }
    }
    notes
}

/// The zone nearest zone `k` (by its households' centre) that can take it without exceeding
/// `most` households, when it is not much farther than the nearest zone; else the nearest;
/// `None` when there is no other zone.
fn nearest_zone(zones: &[Zone], k: usize, xy: &[[f64; 2]], most: usize) -> Option<usize> {
    let centre = |z: &Zone| {
        let n = z.households.len().max(1) as f64;
        let (sx, sy) = z
            .households
            .iter()
            .fold((0.0, 0.0), |(a, b), &i| (a + xy[i][0], b + xy[i][1]));
        [sx / n, sy / n]
    };
    let c = centre(&zones[k]);
    let size = zones[k].households.len();
    let far = |o: usize| {
        let d = centre(&zones[o]);
        (d[0] - c[0]).hypot(d[1] - c[1])
    };
    let others = (0..zones.len()).filter(|&o| o != k);
    let nearest = others.clone().min_by(|&a, &b| far(a).total_cmp(&far(b)))?;
    // A zone with room, unless it is much farther than the nearest: a zone a little over the
    // size costs some time, a zone across the territory costs the households' walk.
    let fitting = others
        .filter(|&o| zones[o].households.len() + size <= most)
        .min_by(|&a, &b| far(a).total_cmp(&far(b)))
        .filter(|&o| far(o) <= 2.0 * far(nearest) + ZONE_SPAN_M / 4.0);
    Some(fitting.unwrap_or(nearest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hamlet_joins_the_village_next_to_it_not_one_across_the_territory() {
        // Village A at x = 0 (100 houses), a hamlet of 10 at 5 km, village B at 60 km (100).
        let mut xy = Vec::new();
        for k in 0..100 {
            xy.push([(k % 10) as f64 * 30.0, (k / 10) as f64 * 30.0]);
        }
        for k in 0..10 {
            xy.push([5_000.0 + k as f64 * 20.0, 0.0]);
        }
        for k in 0..100 {
            xy.push([60_000.0 + (k % 10) as f64 * 30.0, (k / 10) as f64 * 30.0]);
        }
        let foyers = vec![1; xy.len()];
        let mut zones: Vec<Zone> = partition(&xy, &foyers, 2_500)
            .into_iter()
            .enumerate()
            .map(|(k, households)| Zone {
                households,
                name: format!("zone {}", k + 1),
            })
            .collect();
        // B is never cut into a zone with A or the hamlet, however few the households.
        let zone_of =
            |zones: &[Zone], i: usize| zones.iter().position(|z| z.households.contains(&i));
        assert_ne!(zone_of(&zones, 150), zone_of(&zones, 0), "{zones:?}");
        assert_ne!(zone_of(&zones, 150), zone_of(&zones, 100), "{zones:?}");
        // The hamlet, too small for a site, joins the zone of A (then small zones are put
        // together, which may bring B in: each village still holds its own sites).
        let notes = merge_small(&mut zones, &xy, &foyers, 2_500, (40, 60));
        assert_eq!(zone_of(&zones, 100), zone_of(&zones, 0), "{notes:?}");
    }

    #[test]
    fn zones_are_small_compact_and_cover_every_point_once() {
        // A 40 x 10 grid of points, one foyer each, in zones of at most 60.
        let xy: Vec<[f64; 2]> = (0..400)
            .map(|k| [(k % 40) as f64 * 100.0, (k / 40) as f64 * 100.0])
            .collect();
        let zones = partition(&xy, &vec![1; 400], 60);
        let mut seen = vec![false; 400];
        for z in &zones {
            assert!(!z.is_empty() && z.len() <= 60, "{}", z.len());
            for &i in z {
                assert!(!seen[i]);
                seen[i] = true;
            }
            // Compact: the grid is cut across its long side first, so no zone spans it.
            let (lo, hi) = z.iter().fold((f64::MAX, f64::MIN), |(l, h), &i| {
                (l.min(xy[i][0]), h.max(xy[i][0]))
            });
            assert!(hi - lo < 1_000.0, "{lo}..{hi}");
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(zones, partition(&xy, &vec![1; 400], 60), "deterministic");
        assert_eq!(partition(&xy, &vec![1; 400], 1000).len(), 1);
        // Heavy points pull the cut: halves of equal foyers.
        let mut foyers = vec![1; 400];
        foyers[0] = 1000;
        let two = partition(&xy, &foyers, 399);
        assert_eq!(two.len(), 2);
        // By weight: no group above 150, a heavier point alone.
        let mut w = vec![1i64; 400];
        w[5] = 500;
        let groups = partition_weighted(&xy, &w, 150);
        assert!(groups
            .iter()
            .all(|g| g.len() == 1 || g.iter().map(|&i| w[i]).sum::<i64>() <= 150));
        assert!(groups.iter().any(|g| g == &vec![5]));
    }

    fn square(osm: i64, name: &str, x0: f64, x1: f64) -> Commune {
        use geo::{LineString, Polygon};
        let ring = LineString::from(vec![(x0, 0.0), (x1, 0.0), (x1, 1.0), (x0, 1.0), (x0, 0.0)]);
        Commune {
            osm,
            name: name.into(),
            admin_level: 8,
            polygons: vec![Polygon::new(ring, vec![])],
        }
    }

    #[test]
    fn communes_make_zones_and_a_commune_too_small_joins_its_neighbour() {
        // Three communes side by side: A (0-1) with 200 households, B (1-2) with 30, C (2-3)
        // with 200, and 5 households east of every commune.
        let mut lonlat = Vec::new();
        for k in 0..200 {
            lonlat.push(LonLat::new(0.001 + 0.004 * k as f64, 0.5));
        }
        for k in 0..30 {
            lonlat.push(LonLat::new(1.01 + 0.03 * k as f64, 0.5));
        }
        for k in 0..200 {
            lonlat.push(LonLat::new(2.001 + 0.004 * k as f64, 0.5));
        }
        for k in 0..5 {
            lonlat.push(LonLat::new(3.5 + 0.01 * k as f64, 0.5));
        }
        let xy: Vec<[f64; 2]> = lonlat.iter().map(|p| [p.lon * 1e5, p.lat * 1e5]).collect();
        let foyers = vec![1; lonlat.len()];
        let communes = [
            square(1, "A", 0.0, 1.0),
            square(2, "B", 1.0, 2.0),
            square(3, "C", 2.0, 3.0),
        ];
        let (zones, notes) = by_communes(&communes, (&lonlat, &xy, &foyers), 600, (40, 60));
        // B (30 foyers) and the 5 outside cannot hold a site alone: both merged, and said so.
        assert_eq!(zones.len(), 2, "{zones:?}");
        assert_eq!(zones.iter().map(|z| z.households.len()).sum::<usize>(), 435);
        assert!(
            notes.iter().any(|n| n.starts_with("B (30 foyers)")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.contains("outside the communes")),
            "{notes:?}"
        );
        for z in &zones {
            assert!(feasible_p(z.households.len() as i64, 40, 60).is_some());
        }
        // A commune larger than the zone size is cut (a merged commune may take a zone past it).
        let (zones, _) = by_communes(&communes, (&lonlat, &xy, &foyers), 120, (40, 60));
        assert!(
            zones.iter().all(|z| z.households.len() <= 120 + 30),
            "{zones:?}"
        );
        assert!(zones.iter().any(|z| z.name.starts_with("A (")));
    }
}
