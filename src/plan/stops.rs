//! The day's places: the depot, the conciergeries and the producers, with the road matrix
//! between them (a routing problem with no job yet).

use super::depot::Spot;
use super::siting::Grouping;
use super::streets::Streets;
use crate::graph::Network;
use crate::model::{Dist, LocIdx, Problem, SquareMatrix, Time};
use crate::osm;
use crate::sites::summary::SiteSummary;

/// The places vans stop at on the day, and the travel between them.
#[derive(Clone, Debug)]
pub struct Stops {
    /// Depot (location 0), then the sites (`1..=sites`), then the producers.
    pub spots: Vec<Spot>,
    /// Per site: its id (as in `sites.csv`) and its name.
    pub site_keys: Vec<(String, String)>,
    /// Producers' OSM ids.
    pub producer_ids: Vec<String>,
    /// Foyers per site.
    pub foyers: Vec<i64>,
    /// The road matrix between the spots (unreachable pairs: `Time::MAX`), no job.
    pub problem: Problem,
}

impl Stops {
    /// The depot, the open sites of `g` and the producers of `extract`, on `car`'s roads.
    pub fn new(depot: &Spot, g: &Grouping, extract: &osm::OsmExtract, car: &Network) -> Stops {
        let summaries = g.summaries();
        let sites = site_spots(&summaries, extract);
        let producers = extract.features.producers.iter().map(|p| Spot {
            name: p.name.clone().unwrap_or_else(|| format!("farm {}", p.osm)),
            address: p.address.clone(),
            lon: p.lon,
            lat: p.lat,
        });
        let site_keys = summaries
            .iter()
            .zip(&sites)
            .map(|(c, s)| (c.id.clone(), s.name.clone()))
            .collect();
        let producer_ids = extract
            .features
            .producers
            .iter()
            .map(|p| p.osm.to_string())
            .collect();
        let mut spots = vec![depot.clone()];
        spots.extend(sites);
        spots.extend(producers);
        let problem = matrix_problem(car, &spots, &format!("rounds for {} conciergeries", g.pb.p));
        Stops {
            spots,
            site_keys,
            producer_ids,
            foyers: summaries.iter().map(|s| s.foyers).collect(),
            problem,
        }
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.site_keys.len()
    }

    /// Number of producers.
    pub fn producers(&self) -> usize {
        self.producer_ids.len()
    }

    /// The location of site `k`.
    pub fn site_loc(&self, k: usize) -> usize {
        1 + k
    }

    /// The location of producer `p`.
    pub fn producer_loc(&self, p: usize) -> usize {
        1 + self.sites() + p
    }

    /// The spot of producer `p`.
    pub fn producer(&self, p: usize) -> &Spot {
        &self.spots[self.producer_loc(p)]
    }

    /// Whether a van can drive from the depot (location 0) to `loc` and back.
    pub fn round_trip(&self, loc: usize) -> bool {
        round_trip(&self.problem, loc)
    }
}

/// Whether a van can drive from the depot (location 0) to `loc` and back.
fn round_trip(p: &Problem, loc: usize) -> bool {
    let (d, l) = (LocIdx(0), LocIdx(loc as u32));
    p.durations.get(d, l) != Time::MAX && p.durations.get(l, d) != Time::MAX
}

/// The conciergeries as stops (name, host, place), in the order of `summaries`; a household
/// host without an address is named after the nearest named street.
pub fn site_spots(summaries: &[SiteSummary], extract: &osm::OsmExtract) -> Vec<Spot> {
    let streets = Streets::new(extract);
    summaries
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let address = c.name.clone().or_else(|| streets.nearest(c.lon, c.lat));
            let host = match (&c.name, &address) {
                (Some(n), _) => n.clone(),
                (None, Some(street)) => format!("a household, {street}"),
                (None, None) => format!("household {}", c.id),
            };
            Spot {
                name: format!("Conciergerie {} ({host})", k + 1),
                address,
                lon: c.lon,
                lat: c.lat,
            }
        })
        .collect()
}

/// A routing problem on the road matrix between `spots` (unreachable pairs: `Time::MAX`).
pub fn matrix_problem(net: &Network, spots: &[Spot], name: &str) -> Problem {
    let coords: Vec<(f64, f64)> = spots.iter().map(|s| (s.lon, s.lat)).collect();
    let m = net.build(&coords);
    let n = spots.len();
    let durations = SquareMatrix::from_fn(n, |i, j| {
        m.duration(i, j).map_or(Time::MAX, |s| Time(s.get() as i64))
    });
    let distances = SquareMatrix::from_fn(n, |i, j| {
        m.distance(i, j).map_or(Dist::MAX, |d| Dist(d.get() as i64))
    });
    let mut p = Problem::new(name, durations, distances);
    p.coords = coords;
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_reached_one_way_only_is_not_a_round_trip() {
        // 0 depot, 1 both ways, 2 reached but no way back, 3 cut off.
        let m = |i: usize, j: usize| match (i, j) {
            (2, 0) | (0, 3) | (3, 0) => Time::MAX,
            _ => Time(60),
        };
        let p = Problem::new(
            "t",
            SquareMatrix::from_fn(4, m),
            SquareMatrix::from_fn(4, |_, _| Dist(100)),
        );
        let ok: Vec<usize> = (1..4).filter(|&l| round_trip(&p, l)).collect();
        assert_eq!(ok, vec![1]);
    }
}
