//! What a siting gives each open site: its households, foyers and distances, as the rounds,
//! the reports and the planner's files use them.
//!
//! Conventions: point `i` of the [`Siting`] is `households[i]` and candidate `j` is
//! `candidates[j]`; a mismatch in lengths is a programming error and panics (it cannot come from
//! a user file); a household whose site is `None`, or whose site is not open, is in no site's
//! summary; sites come in the order of `sites.open`.

use super::{Sites, Siting};
use crate::model::LonLat;

/// A household or a candidate place as the user knows it: the id of their file (a CSV id, or an
/// OSM reference such as `way/123`) and, for places, a name.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The user's identifier.
    pub id: String,
    /// A name people know it by, if any.
    pub name: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
}

impl Place {
    /// Where it is.
    pub fn at(&self) -> LonLat {
        LonLat::new(self.lon, self.lat)
    }
}

/// One open site and what it serves.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteSummary {
    /// Its candidate index in the [`Siting`].
    pub candidate: usize,
    /// The user's id of the place.
    pub id: String,
    /// Its name, if any.
    pub name: Option<String>,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Households served.
    pub households: usize,
    /// Foyers served (the sum of the households' demands).
    pub foyers: i64,
    /// Mean distance per foyer, in metres: `sum(foyers x distance) / sum(foyers)` (the plain
    /// mean over households if they have no foyer at all; 0 for a site serving nobody).
    pub mean_m: f64,
    /// Distance to the farthest household served, in metres (0 for a site serving nobody).
    pub max_m: f64,
}

/// Panics unless `households`, `candidates` and `sites.assign` match the sizes of `problem`.
pub fn check_shape(problem: &Siting, sites: &Sites, households: &[Place], candidates: &[Place]) {
    assert_eq!(
        households.len(),
        problem.n(),
        "one household Place per point of the Siting"
    );
    assert_eq!(
        candidates.len(),
        problem.m(),
        "one candidate Place per candidate of the Siting"
    );
    assert_eq!(
        sites.assign.len(),
        problem.n(),
        "one assignment per point of the Siting"
    );
}

/// For each point, its position in `sites.open` and its candidate, if it is served by an open
/// site.
pub fn slots(problem: &Siting, sites: &Sites) -> Vec<Option<(usize, usize)>> {
    let mut slot_of = vec![None; problem.m()];
    for (k, &j) in sites.open.iter().enumerate() {
        if let Some(s) = slot_of.get_mut(j) {
            *s = Some(k);
        }
    }
    sites
        .assign
        .iter()
        .map(|a| a.and_then(|j| slot_of.get(j).copied().flatten().map(|k| (k, j))))
        .collect()
}

/// Summarises a siting: one [`SiteSummary`] per open site, in the order of `sites.open`.
///
/// `households[i]` describes point `i` and `candidates[j]` candidate `j`; distances are
/// `problem.distance(i, j)`. Runs in O(n + m).
///
/// # Panics
/// If `households`, `candidates` or `sites.assign` do not match the sizes of `problem`.
pub fn summarise(
    problem: &Siting,
    sites: &Sites,
    households: &[Place],
    candidates: &[Place],
) -> Vec<SiteSummary> {
    check_shape(problem, sites, households, candidates);
    let mut out: Vec<SiteSummary> = sites
        .open
        .iter()
        .filter_map(|&j| candidates.get(j).map(|c| (j, c)))
        .map(|(j, c)| SiteSummary {
            candidate: j,
            id: c.id.clone(),
            name: c.name.clone(),
            lon: c.lon,
            lat: c.lat,
            households: 0,
            foyers: 0,
            mean_m: 0.0,
            max_m: 0.0,
        })
        .collect();
    // Sums of foyers x distance, and of distances (for sites without foyers).
    let mut sums = vec![(0.0, 0.0); out.len()];
    for (i, slot) in slots(problem, sites).into_iter().enumerate() {
        let Some((k, j)) = slot else { continue };
        let d = problem.distance(i, j);
        let s = &mut out[k];
        s.households += 1;
        s.foyers += problem.demand[i];
        s.max_m = s.max_m.max(d);
        sums[k].0 += problem.demand[i] as f64 * d;
        sums[k].1 += d;
    }
    for (s, (weighted, plain)) in out.iter_mut().zip(sums) {
        s.mean_m = if s.foyers > 0 {
            weighted / s.foyers as f64
        } else if s.households > 0 {
            plain / s.households as f64
        } else {
            0.0
        };
    }
    out
}

/// A hand-made siting shared by the tests of the siting's writers.
#[cfg(test)]
pub(crate) mod fixture {
    use super::Place;
    use crate::sites::{Candidate, Distances, Sites, Siting};

    /// Six households on a line (x in metres, y = 0), candidates at every household, sites at
    /// x = 1 and x = 11.
    pub(crate) fn six() -> (Siting, Sites, Vec<Place>, Vec<Place>) {
        let xs = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
        let problem = Siting {
            point_xy: xs.iter().map(|&x| [x, 0.0]).collect(),
            demand: vec![2, 1, 1, 1, 1, 3],
            weight: vec![2.0, 1.0, 1.0, 1.0, 1.0, 3.0],
            candidate_xy: xs.iter().map(|&x| [x, 0.0]).collect(),
            candidates: (0..6)
                .map(|i| Candidate {
                    min: 0,
                    max: 5,
                    fixed_cost: 0.0,
                    point: Some(i),
                    fixed: false,
                })
                .collect(),
            p: 2,
            distances: Distances::Euclid { floor: false },
        };
        let sites = Sites {
            open: vec![1, 4],
            assign: vec![Some(1), Some(1), Some(1), Some(4), Some(4), Some(4)],
            cost: 7.0,
        };
        let households: Vec<Place> = (0..6)
            .map(|i| Place {
                id: format!("way/{i}"),
                name: None,
                lon: 4.0 + 0.001 * xs[i],
                lat: 45.0 + 0.0001 * i as f64,
            })
            .collect();
        let candidates: Vec<Place> = households
            .iter()
            .map(|h| Place {
                id: format!("c-{}", h.id),
                name: Some(format!("Chez {}", h.id)),
                ..h.clone()
            })
            .collect();
        (problem, sites, households, candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::six;
    use super::*;
    use crate::sites::check;

    #[test]
    fn summarise_two_sites() {
        let (pb, sites, h, c) = six();
        check::check(&pb, &sites).expect("the hand-made siting is valid");
        let s = summarise(&pb, &sites, &h, &c);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].candidate, s[0].id.as_str(), s[0].name.as_deref()),
            (1, "c-way/1", Some("Chez way/1"))
        );
        assert_eq!(
            (s[0].households, s[0].foyers, s[0].mean_m, s[0].max_m),
            (3, 4, 0.75, 1.0)
        );
        assert_eq!(
            (
                s[1].candidate,
                s[1].households,
                s[1].foyers,
                s[1].mean_m,
                s[1].max_m
            ),
            (4, 3, 5, 0.8, 1.0)
        );
        assert_eq!((s[1].lon, s[1].lat), (c[4].lon, c[4].lat));
        // With weight = foyers, sum(foyers x mean) is the siting's cost, as the checker computes it.
        let total: f64 = s.iter().map(|s| s.foyers as f64 * s.mean_m).sum();
        assert!((total - check::check(&pb, &sites).unwrap().cost).abs() < 1e-9);
    }

    #[test]
    fn summarise_skips_unassigned_and_empty_sites() {
        let (pb, mut sites, h, c) = six();
        sites.open = vec![1, 3, 4];
        sites.assign[5] = None;
        let s = summarise(&pb, &sites, &h, &c);
        assert_eq!(
            s.iter()
                .map(|s| (s.candidate, s.households, s.foyers))
                .collect::<Vec<_>>(),
            [(1, 3, 4), (3, 0, 0), (4, 2, 2)]
        );
        assert_eq!((s[1].mean_m, s[1].max_m), (0.0, 0.0));
        assert_eq!((s[2].mean_m, s[2].max_m), (0.5, 1.0));
    }
}
