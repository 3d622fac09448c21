//! Naming a place for a driver: its own address, else the nearest address point, else its
//! street (the nodes of the extract's named roads in an R-tree), else its commune.

use crate::model::{LonLat, Projection};
use crate::osm;

/// Farthest a place may be from a named road to be named after it, metres.
const STREET_M: f64 = 150.0;
/// Farthest a place may be from an address point to be named "near" it, metres.
const ADDRESS_M: f64 = 60.0;

type Tree = rstar::RTree<rstar::primitives::GeomWithData<[f64; 2], usize>>;

/// The nodes of named roads (in planar metres), to name a place by its street.
pub struct Streets {
    tree: Tree,
    names: Vec<String>,
    /// Address points (households, places) and their addresses.
    points: Tree,
    addresses: Vec<String>,
    /// Communes (smallest administrative level first) with their outlines.
    communes: Vec<(String, Vec<geo::Polygon<f64>>)>,
    /// The planar projection of the tree.
    proj: Projection,
}

impl Streets {
    /// The named roads of `extract`.
    pub fn new(extract: &osm::OsmExtract) -> Self {
        let proj = Projection::new(extract.bbox().map_or(0.0, |(_, s, _, n)| (s + n) / 2.0));
        let mut names = Vec::new();
        let mut points = Vec::new();
        for w in &extract.highways {
            let Some(name) = w.tags.get("name") else {
                continue;
            };
            names.push(name.to_string());
            for &n in &w.nodes {
                if let Some(c) = extract.node(n) {
                    points.push(rstar::primitives::GeomWithData::new(
                        proj.to_xy(LonLat::new(c.x, c.y)),
                        names.len() - 1,
                    ));
                }
            }
        }
        let mut addresses = Vec::new();
        let mut at = Vec::new();
        let f = &extract.features;
        let located = f
            .households
            .iter()
            .map(|h| (&h.address, h.lon, h.lat))
            .chain(f.candidates.iter().map(|p| (&p.address, p.lon, p.lat)))
            .chain(f.producers.iter().map(|p| (&p.address, p.lon, p.lat)));
        for (a, lon, lat) in located {
            if let Some(a) = a.as_ref().filter(|a| has_number_and_street(a)) {
                addresses.push(a.clone());
                at.push(rstar::primitives::GeomWithData::new(
                    proj.to_xy(LonLat::new(lon, lat)),
                    addresses.len() - 1,
                ));
            }
        }
        let mut communes: Vec<_> = f
            .communes
            .iter()
            .map(|c| {
                (
                    std::cmp::Reverse(c.admin_level),
                    c.name.clone(),
                    c.polygons.clone(),
                )
            })
            .collect();
        communes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        Streets {
            tree: rstar::RTree::bulk_load(points),
            names,
            points: rstar::RTree::bulk_load(at),
            addresses,
            communes: communes.into_iter().map(|c| (c.1, c.2)).collect(),
            proj,
        }
    }

    /// The best address of a place at `(lon, lat)` for a driver: `own` (its address in OSM)
    /// when it has a house number and a street, else "near" the nearest such address within
    /// 60 m, else its street (`own`'s, or the named road within 150 m, with `own`'s postcode
    /// and town if any), else `own` as it is, else "in" its commune; `None` when the extract
    /// says nothing.
    pub fn describe(&self, lon: f64, lat: f64, own: Option<&str>) -> Option<String> {
        let own = own.map(str::trim).filter(|a| !a.is_empty());
        if let Some(a) = own.filter(|a| has_number_and_street(a)) {
            return Some(a.to_string());
        }
        let q = self.proj.to_xy(LonLat::new(lon, lat));
        if let Some(p) = self.points.nearest_neighbor(q) {
            let (dx, dy) = (p.geom()[0] - q[0], p.geom()[1] - q[1]);
            if (dx * dx + dy * dy).sqrt() <= ADDRESS_M {
                return Some(format!("near {}", self.addresses[p.data]));
            }
        }
        // An own address without a number and street is a street, or a postcode and town
        // (after a bare house number, which alone tells nothing).
        let town = own.map(|a| match a.split_once(',') {
            Some((n, rest)) if n.trim().chars().all(|c| c.is_ascii_digit()) => rest.trim(),
            _ => a,
        });
        if let Some(a) = town.filter(|a| !looks_like_postcode(a)) {
            return Some(a.to_string());
        }
        if let Some(street) = self.nearest(lon, lat) {
            return Some(match town {
                Some(town) => format!("{street}, {town}"),
                None => street,
            });
        }
        if let Some(a) = town {
            return Some(a.to_string());
        }
        use geo::Contains;
        let pt = geo::Point::new(lon, lat);
        self.communes
            .iter()
            .find(|(_, polys)| polys.iter().any(|p| p.contains(&pt)))
            .map(|(n, _)| format!("in {n}"))
    }

    /// The named road nearest `(lon, lat)`, if one passes within 150 m.
    pub fn nearest(&self, lon: f64, lat: f64) -> Option<String> {
        let q = self.proj.to_xy(LonLat::new(lon, lat));
        let p = self.tree.nearest_neighbor(q)?;
        let (dx, dy) = (p.geom()[0] - q[0], p.geom()[1] - q[1]);
        ((dx * dx + dy * dy).sqrt() <= STREET_M).then(|| self.names[p.data].clone())
    }
}

/// Whether an address starts with a house number followed by a street: "16 Avinguda de
/// Tarragona", "12 bis rue des Écoles, 48000 Mende"; not "AD200 Encamp" nor "53, Mende".
fn has_number_and_street(a: &str) -> bool {
    let first = a.split(',').next().unwrap_or("");
    let mut words = first.split_whitespace();
    words
        .next()
        .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        && words.any(|w| w.chars().any(char::is_alphabetic))
}

/// Whether a text starts like a postcode ("AD200", "48000").
fn looks_like_postcode(a: &str) -> bool {
    a.split_whitespace()
        .next()
        .is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()) && w.len() <= 8)
}

#[cfg(test)]
mod tests {
    use super::has_number_and_street;

    #[test]
    fn an_address_with_a_number_and_a_street() {
        assert!(has_number_and_street("16 Avinguda de Tarragona"));
        assert!(has_number_and_street("12 bis rue des Écoles, 48000 Mende"));
        assert!(!has_number_and_street("AD200 Encamp"));
        assert!(!has_number_and_street("53, AD500 Andorra la Vella"));
        assert!(!has_number_and_street("Carrer Solana"));
    }
}
