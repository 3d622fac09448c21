//! Where the vans leave from: the configured points, or the post office nearest the
//! households' centre (one per part of a large territory), or (with a note) the public place
//! nearest it.

use super::settings::Depot;
use super::siting::zones::partition_weighted;
use super::siting::Grouping;
use super::PlanError;
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
/// centre, or, for more than [`SITES_PER_DEPOT`] sites, one post office per part of the
/// territory (the sites cut into parts of about that many, each part's nearest post office not
/// chosen yet); a public place where the extract has no post office, with a note.
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
    let centres: Vec<(f64, f64)> = if parts == 1 {
        let n = g.households.len().max(1) as f64;
        vec![g.households.iter().fold((0.0, 0.0), |(x, y), h| {
            (x + h.place.lon / n, y + h.place.lat / n)
        })]
    } else {
        let sites: Vec<LonLat> = g
            .result
            .sites
            .open
            .iter()
            .map(|&j| g.candidates[j].at())
            .collect();
        let proj = Projection::around(sites.iter().copied());
        let xy: Vec<[f64; 2]> = sites.iter().map(|&p| proj.to_xy(p)).collect();
        let most = g.pb.p.div_ceil(parts) as i64;
        partition_weighted(&xy, &vec![1; xy.len()], most)
            .iter()
            .map(|part| {
                let n = part.len() as f64;
                part.iter().fold((0.0, 0.0), |(x, y), &k| {
                    (x + sites[k].lon / n, y + sites[k].lat / n)
                })
            })
            .collect()
    };
    let f = &extract.features;
    let mut spots = Vec::new();
    let mut notes = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for (cx, cy) in centres {
        let free = |places: &[osm::Place]| -> Vec<osm::Place> {
            places
                .iter()
                .filter(|p| !taken.contains(&p.osm))
                .cloned()
                .collect()
        };
        let offices = free(&f.post_offices);
        if let Some(p) = nearest_place(&offices, cx, cy) {
            taken.insert(p.osm);
            spots.push(Spot {
                name: format!(
                    "Depot: {}",
                    p.name.clone().unwrap_or_else(|| "post office".into())
                ),
                address: p.address.clone(),
                lon: p.lon,
                lat: p.lat,
            });
            continue;
        }
        let places = free(&f.candidates);
        let p = nearest_place(&places, cx, cy).ok_or(PlanError::NoDepot)?;
        taken.insert(p.osm);
        spots.push(Spot {
            name: format!(
                "Depot: {}",
                p.name.clone().unwrap_or_else(|| p.kind.clone())
            ),
            address: p.address.clone(),
            lon: p.lon,
            lat: p.lat,
        });
        notes.push(format!(
            "no post office in the extract{}: the depot is the public place nearest {} ({}); set `depot` to choose it",
            if spots.len() > 1 { " left" } else { "" },
            if parts == 1 { "the households' centre" } else { "the centre of its part of the territory" },
            p.kind
        ));
    }
    Ok((spots, notes))
}

/// Fails with what to do when `(lon, lat)` is not on the network's roads.
pub fn check(net: &Network, name: &str, at: LonLat) -> Result<(), PlanError> {
    match net.snap_all(&[(at.lon, at.lat)]).remove(0) {
        Ok(_) => Ok(()),
        Err(e) => Err(PlanError::DepotOffRoad {
            name: name.to_string(),
            at,
            reason: e.to_string(),
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
