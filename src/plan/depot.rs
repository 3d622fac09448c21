//! Where the vans leave from: the configured point, or the post office nearest the households'
//! centre, or (with a note) the public place nearest it.

use super::settings::Depot;
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

/// The depot of `choice` (see the module documentation), with a note when it is a guess the
/// planner should know about.
pub fn find(
    choice: Depot,
    extract: &osm::OsmExtract,
    g: &Grouping,
) -> Result<(Spot, Option<String>), PlanError> {
    if let Depot::At(p) = choice {
        return Ok((
            Spot {
                name: "Depot".into(),
                address: Some(format!("{:.5}, {:.5}", p.lat, p.lon)),
                lon: p.lon,
                lat: p.lat,
            },
            None,
        ));
    }
    let n = g.households.len().max(1) as f64;
    let (cx, cy) = g.households.iter().fold((0.0, 0.0), |(x, y), h| {
        (x + h.place.lon / n, y + h.place.lat / n)
    });
    let f = &extract.features;
    if let Some(p) = nearest_place(&f.post_offices, cx, cy) {
        return Ok((
            Spot {
                name: format!(
                    "Depot: {}",
                    p.name.clone().unwrap_or_else(|| "post office".into())
                ),
                address: p.address.clone(),
                lon: p.lon,
                lat: p.lat,
            },
            None,
        ));
    }
    let p = nearest_place(&f.candidates, cx, cy).ok_or(PlanError::NoDepot)?;
    Ok((
        Spot {
            name: format!("Depot: {}", p.name.clone().unwrap_or_else(|| p.kind.clone())),
            address: p.address.clone(),
            lon: p.lon,
            lat: p.lat,
        },
        Some(format!(
            "no post office in the extract: the depot is the public place nearest the households' centre ({}); set `depot` to choose it",
            p.kind
        )),
    ))
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
