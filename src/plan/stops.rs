//! The day's places: the depots, the conciergeries and the producers. The road matrices
//! between them are built per region of the rounds ([`super::rounds`]), never for the whole
//! territory at once.

use super::depot::Spot;
use super::sites_file::Host;
use super::siting::hamlets::SiteKind;
use super::siting::Grouping;
use super::streets::Streets;
use crate::graph::Network;
use crate::model::{Dist, Problem, SquareMatrix, Time};
use crate::osm;
use crate::sites::summary::SiteSummary;

/// The places vans stop at on the day.
#[derive(Clone, Debug)]
pub struct Stops {
    /// The depots (`0..depots`), then the sites, then the producers.
    pub spots: Vec<Spot>,
    /// How many depots lead the list.
    pub depots: usize,
    /// Per site: its id (as in `sites.csv`) and its name.
    pub site_keys: Vec<(String, String)>,
    /// Producers' OSM ids.
    pub producer_ids: Vec<String>,
    /// Foyers per site.
    pub foyers: Vec<i64>,
    /// Per producer: whether a van can drive there from some depot and back.
    pub reachable: Vec<bool>,
    /// Per producer: whether it supplies on the day (`plan --producers`; every day without).
    pub supplies: Vec<bool>,
    /// Per site: its host, from the planner's sites file (`None`: the file says nothing).
    pub hosts: Vec<Option<Host>>,
    /// Per site: its number ([`Grouping::labels`]).
    pub labels: Vec<u32>,
    /// Per site: a regular site, a hamlet site or a home delivery.
    pub kinds: Vec<SiteKind>,
    /// Per site: its households' keys ([`crate::model::ids::stable_key`]) and foyers, for the
    /// demand model.
    pub households: Vec<Vec<(u64, i64)>>,
}

impl Stops {
    /// The `depots`, the open sites of `g` and the producers of `extract`, on `car`'s roads.
    pub fn new(depots: &[Spot], g: &Grouping, extract: &osm::OsmExtract, car: &Network) -> Stops {
        let summaries = g.summaries();
        let streets = Streets::new(extract);
        let kinds = g.open_kinds();
        let homes: std::collections::HashSet<&str> =
            g.households.iter().map(|h| h.place.id.as_str()).collect();
        let sites = site_spots(
            &summaries,
            (&g.labels, &kinds),
            (extract, &|id: &str| homes.contains(id)),
            &streets,
        );
        // A driver reads names, never OSM ids (those stay in the CSV files).
        // An unnamed farm is named by what a driver can find: its kind, and its road or
        // village.
        let producers: Vec<Spot> = extract
            .features
            .producers
            .iter()
            .map(|p| {
                let address = streets.describe(p.lon, p.lat, p.address.as_deref());
                let name = p.name.clone().unwrap_or_else(|| {
                    let kind = match osm::tags::kind_label(&p.kind) {
                        k if k.contains("farm") => "Farm".to_string(),
                        k => format!("Farm ({k})"),
                    };
                    match &address {
                        Some(a) => format!("{kind}, {}", a.trim_start_matches("near ")),
                        None => kind,
                    }
                });
                Spot {
                    name,
                    address,
                    lon: p.lon,
                    lat: p.lat,
                }
            })
            .collect();
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
        let at = |s: &[Spot]| -> Vec<(f64, f64)> { s.iter().map(|x| (x.lon, x.lat)).collect() };
        let (d, p) = (at(depots), at(&producers));
        let (go, back) = (car.rectangle(&d, &p), car.rectangle(&p, &d));
        let reachable: Vec<bool> = (0..producers.len())
            .map(|k| {
                (0..depots.len())
                    .any(|j| go.weight(j, k).is_finite() && back.weight(k, j).is_finite())
            })
            .collect();
        let mut spots = depots.to_vec();
        spots.extend(sites);
        spots.extend(producers);
        Stops {
            spots,
            depots: depots.len(),
            site_keys,
            producer_ids,
            foyers: summaries.iter().map(|s| s.foyers).collect(),
            supplies: vec![true; reachable.len()],
            reachable,
            hosts: vec![None; summaries.len()],
            households: {
                let mut per_site = vec![Vec::new(); summaries.len()];
                for (i, k) in g.site_of().into_iter().enumerate() {
                    if let Some(k) = k {
                        let h = &g.households[i];
                        per_site[k].push((crate::model::ids::stable_key(&h.place.id), h.foyers));
                    }
                }
                per_site
            },
            labels: (0..summaries.len())
                .map(|k| g.labels.get(k).map_or(k as u32 + 1, |&l| l))
                .collect(),
            kinds: (0..summaries.len())
                .map(|k| kinds.get(k).copied().unwrap_or_default())
                .collect(),
        }
    }

    /// Gives each site its host (from [`crate::plan::sites_file::HostsFile::match_sites`]): a host's
    /// name replaces what OpenStreetMap says of the place in the site's name.
    pub fn set_hosts(&mut self, hosts: Vec<Option<Host>>) {
        for (k, h) in hosts.iter().enumerate() {
            if let Some(name) = h.as_ref().and_then(|h| h.name.as_ref()) {
                let n = format!("Conciergerie {} ({name})", self.labels[k]);
                self.spots[self.depots + k].name = n.clone();
                self.site_keys[k].1 = n;
            }
        }
        self.hosts = hosts;
    }

    /// The producers file's names, and which farms supply on `date`.
    pub fn set_producers(
        &mut self,
        file: &super::week::producers::ProducersFile,
        date: crate::model::Date,
    ) {
        let first = self.depots + self.sites();
        for p in 0..self.producers() {
            if let Some(name) = file.names.get(p).cloned().flatten() {
                self.spots[first + p].name = name;
            }
            self.supplies[p] = file.supplies(p, date);
        }
    }

    /// The host of site `k`, if the planner gave one.
    pub fn host(&self, k: usize) -> Option<&Host> {
        self.hosts.get(k).and_then(Option::as_ref)
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.site_keys.len()
    }

    /// Number of producers.
    pub fn producers(&self) -> usize {
        self.producer_ids.len()
    }

    /// The spot index of site `k`.
    pub fn site_loc(&self, k: usize) -> usize {
        self.depots + k
    }

    /// The spot index of producer `p`.
    pub fn producer_loc(&self, p: usize) -> usize {
        self.depots + self.sites() + p
    }

    /// The spot of site `k`.
    pub fn site(&self, k: usize) -> &Spot {
        &self.spots[self.site_loc(k)]
    }

    /// The spot of producer `p`.
    pub fn producer(&self, p: usize) -> &Spot {
        &self.spots[self.producer_loc(p)]
    }
}

/// The conciergeries as stops, in the order of `summaries`: named `Conciergerie N (host)`,
/// the host being the place's name and kind in OpenStreetMap ("Fleca Font, bakery", "a town
/// hall"), "a household" (`household(id)`), or the planner's name for a place of their own
/// (a new row of the sites file); the address the best the extract gives
/// ([`Streets::describe`]): never a raw tag nor an OSM id (those stay in the CSV files).
pub fn site_spots(
    summaries: &[SiteSummary],
    (labels, kinds): (&[u32], &[SiteKind]),
    (extract, household): (&osm::OsmExtract, &dyn Fn(&str) -> bool),
    streets: &Streets,
) -> Vec<Spot> {
    let places: std::collections::HashMap<String, &osm::Place> = extract
        .features
        .candidates
        .iter()
        .map(|p| (p.osm.to_string(), p))
        .collect();
    summaries
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let (host, own) = match places.get(&c.id) {
                Some(p) => {
                    let kind = osm::tags::kind_label(&p.kind);
                    let host = match &p.name {
                        Some(n) => format!("{n}, {kind}"),
                        None => format!("a {kind}"),
                    };
                    (host, p.address.clone())
                }
                // A household hosts it; its name is its address, if it has one.
                None if household(&c.id) => ("a household".to_string(), c.name.clone()),
                // The planner's own place: their name for it, its address from the map.
                None => (
                    c.name.clone().unwrap_or_else(|| "a new place".to_string()),
                    None,
                ),
            };
            // A home delivery is named as one, a hamlet site says it is one.
            let n = labels.get(k).map_or(k as u32 + 1, |&l| l);
            let name = match kinds.get(k).copied().unwrap_or_default() {
                SiteKind::Regular => format!("Conciergerie {n} ({host})"),
                SiteKind::Hamlet => format!("Conciergerie {n} (hamlet, {host})"),
                SiteKind::Home => format!("Home delivery {n}"),
            };
            Spot {
                name,
                address: streets.describe(c.lon, c.lat, own.as_deref()),
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
