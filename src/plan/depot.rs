//! Where the vans leave from: the configured points, or the post office nearest the
//! households' centre, or for a large territory the post offices that put the sites nearest
//! a depot (a p-median), or (with a note) public places.

use super::settings::Depot;
use super::siting::Grouping;
use super::PlanError;
use crate::graph::snap::SnapError;
use crate::graph::Network;
use crate::model::{LonLat, Projection};
use crate::osm;

/// A place a van stops at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    /// As people know it: "Depot: Correos", "Conciergerie 3 (Mairie)".
    pub name: String,
    /// Its postal address, if known.
    pub address: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
}

/// Sites a depot serves at most before the territory gets another (about a dozen vans).
pub const SITES_PER_DEPOT: usize = 500;

impl Spot {
    /// Where it is.
    pub fn at(&self) -> LonLat {
        LonLat::new(self.lon, self.lat)
    }
}

/// The depots of `choice`: the given points, or the post office nearest the households'
/// centre, or, for more than [`SITES_PER_DEPOT`] sites or sites beyond [`DEPOT_REACH_M`] of
/// that one, one depot per that many sites and more while too many sites are beyond that
/// reach: the post offices that put the sites nearest a depot (see `spread`), with a note; a
/// public place where the extract has no post office, with a note.
pub fn find(
    choice: &Depot,
    extract: &osm::OsmExtract,
    g: &Grouping,
) -> Result<(Vec<Spot>, Vec<String>), PlanError> {
    if let Depot::At(points) = choice {
        let named = |k: usize| {
            if points.len() == 1 {
                "Depot".to_string()
            } else {
                format!("Depot {}", k + 1)
            }
        };
        let spots = points
            .iter()
            .enumerate()
            .map(|(k, p)| Spot {
                name: named(k),
                address: Some(format!("{:.5}, {:.5}", p.lat, p.lon)),
                lon: p.lon,
                lat: p.lat,
            })
            .collect();
        return Ok((spots, Vec::new()));
    }
    let parts = g.pb.p.div_ceil(SITES_PER_DEPOT).max(1);
    let f = &extract.features;
    if parts > 1 {
        return spread(f, g, parts);
    }
    let n = g.households.len().max(1) as f64;
    let (cx, cy) = g.households.iter().fold((0.0, 0.0), |(x, y), h| {
        (x + h.place.lon / n, y + h.place.lat / n)
    });
    if let Some(p) = nearest_place(&f.post_offices, cx, cy) {
        // One depot, unless it leaves a valley of sites out of a van's easy reach.
        let sites = site_points(g);
        let at = LonLat::new(p.lon, p.lat);
        let far = far_share(&sites, &[at]);
        if far > FAR_SHARE && f.post_offices.len() > 1 {
            return spread(f, g, 1);
        }
        return Ok((vec![depot_spot(p, "post office")], Vec::new()));
    }
    let p = nearest_place(&f.candidates, cx, cy).ok_or(PlanError::NoDepot)?;
    let note = format!(
        "no post office in the extract: the depot is the public place nearest the households' centre ({}); set `depot` to choose it",
        p.kind
    );
    Ok((vec![depot_spot(p, &p.kind)], vec![note]))
}

/// A depot at `p`, named after it (or `kind` when it has no name).
fn depot_spot(p: &osm::Place, kind: &str) -> Spot {
    Spot {
        name: format!(
            "Depot: {}",
            p.name.clone().unwrap_or_else(|| kind.to_string())
        ),
        address: p.address.clone(),
        lon: p.lon,
        lat: p.lat,
    }
}

/// `parts` depots for the sites of `g`: the post offices (public places as well when there are
/// fewer post offices than depots, with a note) that make the sites' straight-line distance to
/// their nearest depot smallest, a p-median: a greedy choice, then each depot moved to the
/// place of its sites' cluster nearest them all until nothing moves. Unlike one depot per cut
/// of the map, a cut never puts the depot of two valleys in one of them.
fn spread(
    f: &osm::Features,
    g: &Grouping,
    parts: usize,
) -> Result<(Vec<Spot>, Vec<String>), PlanError> {
    let sites = site_points(g);
    let mut places: Vec<(&osm::Place, bool)> = f.post_offices.iter().map(|p| (p, true)).collect();
    if places.len() < parts {
        let mut seen: std::collections::BTreeSet<_> = places.iter().map(|p| p.0.osm).collect();
        let others: Vec<&osm::Place> = f.candidates.iter().filter(|p| seen.insert(p.osm)).collect();
        // Every public place of a département is more than the choice needs: every n-th.
        let step = others.len().div_ceil(MAX_PLACES).max(1);
        places.extend(others.into_iter().step_by(step).map(|p| (p, false)));
    }
    // No post office and no public place: nowhere to put a depot (as for one depot).
    if places.is_empty() {
        return Err(PlanError::NoDepot);
    }
    let place_at: Vec<LonLat> = places
        .iter()
        .map(|p| LonLat::new(p.0.lon, p.0.lat))
        .collect();
    let (chosen, k) = choose(&sites, &place_at, parts);
    let mut notes = Vec::new();
    if k > parts {
        notes.push(format!(
            "{k} depots rather than {parts} (one per {SITES_PER_DEPOT} sites): with fewer, more than {:.0} % of the sites were over {:.0} km from every depot",
            FAR_SHARE * 100.0,
            DEPOT_REACH_M / 1000.0
        ));
    }
    let spots = chosen
        .iter()
        .map(|&c| {
            let (p, office) = places[c];
            if !office {
                notes.push(format!(
                    "not enough post offices in the extract for {k} depots: {} ({}) is one; set `depot` to choose them",
                    p.name.clone().unwrap_or_else(|| p.kind.clone()),
                    p.kind
                ));
            }
            depot_spot(p, if office { "post office" } else { &p.kind })
        })
        .collect();
    Ok((spots, notes))
}

/// A site farther than this from every depot (straight line, metres) is out of a van's easy
/// reach: its van drives that far twice before its first stop.
pub const DEPOT_REACH_M: f64 = 30_000.0;
/// Share of the sites allowed beyond [`DEPOT_REACH_M`] before a depot is added (a few isolated
/// sites do not get a depot of their own).
const FAR_SHARE: f64 = 0.02;
/// Depots added for reach, at most, beyond one per [`SITES_PER_DEPOT`] sites.
const MORE_DEPOTS: usize = 100;

/// Which of `places` serve `sites` as depots: a p-median of `parts` of them, and more (up to
/// [`MORE_DEPOTS`] more) while over [`FAR_SHARE`] of the sites are beyond [`DEPOT_REACH_M`]
/// of every depot. Returns the places chosen and how many.
fn choose(sites: &[LonLat], places: &[LonLat], parts: usize) -> (Vec<usize>, usize) {
    let proj = Projection::around(sites.iter().copied());
    let xy: Vec<[f64; 2]> = sites.iter().map(|&p| proj.to_xy(p)).collect();
    let cxy: Vec<[f64; 2]> = places.iter().map(|&p| proj.to_xy(p)).collect();
    let at = |c: &[usize]| -> Vec<LonLat> { c.iter().map(|&k| places[k]).collect() };
    let mut chosen = p_median(&xy, &cxy, parts);
    let mut k = chosen.len();
    while far_share(sites, &at(&chosen)) > FAR_SHARE && k < places.len() && k < parts + MORE_DEPOTS
    {
        k += 1;
        chosen = p_median(&xy, &cxy, k);
    }
    (chosen, k)
}

/// The open sites of `g`.
fn site_points(g: &Grouping) -> Vec<LonLat> {
    g.result
        .sites
        .open
        .iter()
        .map(|&j| g.candidates[j].at())
        .collect()
}

/// Share of `sites` farther than [`DEPOT_REACH_M`] from every one of `depots`.
fn far_share(sites: &[LonLat], depots: &[LonLat]) -> f64 {
    if sites.is_empty() {
        return 0.0;
    }
    let far = sites
        .iter()
        .filter(|s| {
            depots
                .iter()
                .all(|d| crate::model::geo::haversine_m(**s, *d) > DEPOT_REACH_M)
        })
        .count();
    far as f64 / sites.len() as f64
}

/// Places and sites the greedy choice of depots looks at, at most (every n-th beyond).
const MAX_PLACES: usize = 2_000;
/// Rounds of moving each depot within its cluster, at most.
const MEDIAN_ROUNDS: usize = 20;
/// Places tried for a cluster's depot: the nearest to its centroid.
const MEDIAN_TRIES: usize = 12;

/// `k` of the candidates `cands` (planar) minimising the sum over `points` of the distance to
/// the nearest chosen one (fewer when there are fewer candidates), in the order chosen.
fn p_median(points: &[[f64; 2]], cands: &[[f64; 2]], k: usize) -> Vec<usize> {
    let d = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
    let mut chosen: Vec<usize> = Vec::new();
    // Greedy on every n-th point (a few thousand say where the depots go): each step opens
    // the candidate that saves the most.
    let sample: Vec<[f64; 2]> = points
        .iter()
        .step_by(points.len().div_ceil(MAX_PLACES).max(1))
        .copied()
        .collect();
    let points_all = points;
    let points = &sample[..];
    let mut best = vec![f64::INFINITY; points.len()];
    for _ in 0..k.min(cands.len()) {
        let gain = |c: usize| -> f64 {
            points
                .iter()
                .zip(&best)
                .map(|(&p, &b)| {
                    let x = d(p, cands[c]);
                    if b.is_finite() {
                        (b - x).max(0.0)
                    } else {
                        -x
                    }
                })
                .sum()
        };
        let Some(c) = (0..cands.len())
            .filter(|c| !chosen.contains(c))
            .map(|c| (gain(c), c))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|x| x.1)
        else {
            break;
        };
        chosen.push(c);
        for (b, &p) in best.iter_mut().zip(points) {
            *b = b.min(d(p, cands[c]));
        }
    }
    // Alternate: each depot moves to the candidate nearest its cluster's points in total.
    if chosen.is_empty() {
        return chosen;
    }
    for _ in 0..MEDIAN_ROUNDS {
        let mut cluster = vec![Vec::new(); chosen.len()];
        for &p in points_all {
            let k = (0..chosen.len())
                .min_by(|&a, &b| d(p, cands[chosen[a]]).total_cmp(&d(p, cands[chosen[b]])))
                .expect("a depot");
            cluster[k].push(p);
        }
        let mut moved = false;
        for (k, members) in cluster.iter().enumerate() {
            if members.is_empty() {
                continue;
            }
            let n = members.len() as f64;
            let centroid = members
                .iter()
                .fold([0.0, 0.0], |a, p| [a[0] + p[0] / n, a[1] + p[1] / n]);
            let mut near: Vec<(f64, usize)> = (0..cands.len())
                .filter(|&c| c == chosen[k] || !chosen.contains(&c))
                .map(|c| (d(centroid, cands[c]), c))
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let total = |c: usize| members.iter().map(|&p| d(p, cands[c])).sum::<f64>();
            let current = total(chosen[k]);
            let better = near
                .iter()
                .take(MEDIAN_TRIES)
                .map(|&(_, c)| (total(c), c))
                .filter(|&(t, _)| t < current * (1.0 - 1e-9))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let Some((_, c)) = better {
                chosen[k] = c;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    chosen
}

/// Fails with what to do when `(lon, lat)` is not on the network's roads.
pub fn check(net: &Network, name: &str, at: LonLat) -> Result<(), PlanError> {
    match net.snap_all(&[(at.lon, at.lat)]).remove(0) {
        Ok(_) => Ok(()),
        Err(e) => Err(PlanError::DepotOffRoad {
            name: name.to_string(),
            at,
            // The snapping's own advice names `matrix`'s --max-snap, which a plan does not have.
            reason: match e {
                SnapError::TooFar {
                    distance_m, max_m, ..
                } => format!(
                    "{distance_m:.0} m from the nearest usable road, more than the {max_m:.0} m allowed"
                ),
                e => e.to_string(),
            },
        }),
    }
}

/// The place of `places` nearest `(lon, lat)`.
pub fn nearest_place(places: &[osm::Place], lon: f64, lat: f64) -> Option<&osm::Place> {
    let k = *nearest(places.iter().map(|p| (p.lon, p.lat)), lon, lat, 1).first()?;
    Some(&places[k])
}

/// Indices of the `k` points (`(lon, lat)`) nearest `(lon, lat)` (straight line), nearest
/// first; ties go to the lower index.
pub fn nearest(
    points: impl Iterator<Item = (f64, f64)>,
    lon: f64,
    lat: f64,
    k: usize,
) -> Vec<usize> {
    let (proj, at) = (Projection::new(lat), LonLat::new(lon, lat));
    let mut v: Vec<(f64, usize)> = points
        .enumerate()
        .map(|(i, p)| (proj.distance_m(at, p.into()), i))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v.into_iter().take(k).map(|x| x.1).collect()
}

#[cfg(test)]
mod tests {
    use super::{choose, find, p_median, DEPOT_REACH_M, SITES_PER_DEPOT};
    use crate::plan::settings::Depot;
    use crate::plan::siting::Grouping;
    use crate::plan::PlanError;

    /// Issue 25: a territory large enough for several depots, with no post office and no
    /// public place (roads and the planner's households only), is refused as with one depot.
    #[test]
    fn several_depots_without_any_place_are_refused_not_a_panic() {
        use crate::sites::summary::Place;
        use crate::sites::{Candidate, Distances, Sites, Siting, SitingResult};
        let n = SITES_PER_DEPOT + 100;
        let place = |k: usize| Place {
            id: format!("h{k}"),
            name: None,
            lon: 1.5 + 0.001 * (k % 40) as f64,
            lat: 42.5 + 0.001 * (k / 40) as f64,
        };
        let g = Grouping {
            households: (0..n)
                .map(|k| crate::plan::Household {
                    place: place(k),
                    foyers: 1,
                })
                .collect(),
            candidates: (0..n).map(place).collect(),
            pb: Siting {
                point_xy: vec![[0.0, 0.0]; n],
                demand: vec![1; n],
                weight: vec![1.0; n],
                candidate_xy: vec![[0.0, 0.0]; n],
                candidates: vec![
                    Candidate {
                        min: 1,
                        max: 1,
                        fixed_cost: 0.0,
                        point: None,
                        fixed: false,
                    };
                    n
                ],
                p: n,
                distances: Distances::Euclid { floor: false },
            },
            result: SitingResult {
                sites: Sites {
                    open: (0..n).collect(),
                    assign: (0..n).map(Some).collect(),
                    cost: 0.0,
                },
                bound: None,
                stats: Default::default(),
                seconds: 0.0,
            },
            notes: vec![],
            distance_by: vec![crate::plan::siting::DistanceKind::Straight; n],
            distance: crate::plan::siting::DistanceKind::Straight,
            zoning: None,
            kinds: vec![Default::default(); n],
            walk: None,
            fixed: vec![false; n],
            labels: (1..=n as u32).collect(),
        };
        let extract = crate::osm::OsmExtract::from_parts("roads only", &[], vec![]);
        assert!(matches!(
            find(&Depot::Auto, &extract, &g),
            Err(PlanError::NoDepot)
        ));
        assert!(p_median(&[[0.0, 0.0]], &[], 2).is_empty());
    }
    use crate::model::geo::haversine_m;
    use crate::model::LonLat;

    #[test]
    fn valleys_beyond_a_vans_reach_get_their_own_depot() {
        // Three valleys 80 km apart, 20 sites each: far fewer sites than one depot serves,
        // but one depot would leave two valleys 80 km away.
        let mut sites = Vec::new();
        let mut places = Vec::new();
        for v in 0..3 {
            let lon = 5.0 + v as f64 * 1.05;
            for k in 0..20 {
                sites.push(LonLat::new(
                    lon + (k % 5) as f64 * 0.01,
                    45.0 + (k / 5) as f64 * 0.01,
                ));
            }
            places.push(LonLat::new(lon + 0.02, 45.015));
        }
        let (chosen, k) = choose(&sites, &places, 1);
        assert_eq!(k, 3);
        let mut c = chosen.clone();
        c.sort_unstable();
        assert_eq!(c, [0, 1, 2]);
        for s in &sites {
            assert!(chosen
                .iter()
                .any(|&j| haversine_m(*s, places[j]) <= DEPOT_REACH_M));
        }
        // One valley: one depot is enough.
        let (_, k) = choose(&sites[..20], &places, 1);
        assert_eq!(k, 1);
    }

    #[test]
    fn two_valleys_get_a_depot_each() {
        // Two clusters of 50 points 60 km apart, as a cut through the middle of a territory
        // would leave them; candidates: one in each valley and one halfway.
        let mut points = Vec::new();
        for k in 0..50 {
            let dx = (k % 7) as f64 * 100.0;
            points.push([dx, (k / 7) as f64 * 100.0]);
            points.push([60_000.0 + dx, (k / 7) as f64 * 100.0]);
        }
        let cands = [[30_000.0, 0.0], [300.0, 300.0], [60_300.0, 300.0]];
        let mut got = p_median(&points, &cands, 2);
        got.sort_unstable();
        assert_eq!(got, vec![1, 2]);
        // One depot: the one halfway serves both best.
        assert_eq!(p_median(&points, &cands, 1), vec![0]);
        // More depots than places: every place, once.
        let mut all = p_median(&points, &cands, 5);
        all.sort_unstable();
        assert_eq!(all, vec![0, 1, 2]);
    }
}
