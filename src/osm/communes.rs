//! Communes: the administrative areas of an extract (`boundary=administrative` relations of
//! `admin_level` 7 or 8: a French commune is 8, an Andorran parish 7), as polygons assembled
//! from their outer member ways.
//!
//! A boundary cut by the extract's edge (its member ways not all in the file) does not close
//! and is left out: the households there belong to no commune.

use geo::{Coord, LineString, Polygon};
use serde::Serialize;

/// One administrative area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commune {
    /// Its relation id.
    pub osm: i64,
    /// Its `name`.
    pub name: String,
    /// Its `admin_level`.
    pub admin_level: u8,
    /// Its outer rings, as polygons (`x` = longitude).
    #[serde(skip)]
    pub polygons: Vec<Polygon<f64>>,
}

/// A boundary relation as read, before its geometry is resolved.
#[derive(Clone, Debug)]
pub(super) struct BoundaryRelation {
    pub id: i64,
    pub name: String,
    pub admin_level: u8,
    pub outer: Vec<i64>,
}

impl BoundaryRelation {
    /// The relation, if it is a named commune-level boundary.
    pub fn from_osm(r: &osmpbfreader::Relation) -> Option<BoundaryRelation> {
        if !r.tags.contains("boundary", "administrative") {
            return None;
        }
        let admin_level = r.tags.get("admin_level")?.trim().parse::<u8>().ok()?;
        if !(7..=8).contains(&admin_level) {
            return None;
        }
        let name = r.tags.get("name")?.to_string();
        let outer = r
            .refs
            .iter()
            .filter(|m| m.role == "outer" || m.role.is_empty())
            .filter_map(|m| m.member.way())
            .map(|w| w.0)
            .collect();
        Some(BoundaryRelation {
            id: r.id.0,
            name,
            admin_level,
            outer,
        })
    }

    /// The commune, when its outer ways are all known (`way`) and join into closed rings of
    /// known nodes (`node`).
    pub fn resolve(
        &self,
        way: &impl Fn(i64) -> Option<Vec<i64>>,
        node: &impl Fn(i64) -> Option<Coord<f64>>,
    ) -> Option<Commune> {
        let ways: Option<Vec<Vec<i64>>> = self.outer.iter().map(|&w| way(w)).collect();
        let polygons: Vec<Polygon<f64>> = rings(ways?)?
            .into_iter()
            .filter_map(|r| {
                let pts: Option<Vec<Coord<f64>>> = r.iter().map(|&n| node(n)).collect();
                pts.map(|p| Polygon::new(LineString::new(p), vec![]))
            })
            .collect();
        (!polygons.is_empty()).then(|| Commune {
            osm: self.id,
            name: self.name.clone(),
            admin_level: self.admin_level,
            polygons,
        })
    }
}

/// The closed rings the ways (node id lists) join into, end to end, either way round; `None`
/// when some way is left in a ring that does not close.
fn rings(mut ways: Vec<Vec<i64>>) -> Option<Vec<Vec<i64>>> {
    ways.retain(|w| w.len() >= 2);
    let mut out = Vec::new();
    while let Some(mut ring) = ways.pop() {
        while ring.first() != ring.last() {
            let end = *ring.last()?;
            let next = ways
                .iter()
                .position(|w| w.first() == Some(&end) || w.last() == Some(&end))?;
            let mut w = ways.swap_remove(next);
            if w.first() != Some(&end) {
                w.reverse();
            }
            ring.extend_from_slice(&w[1..]);
        }
        if ring.len() >= 4 {
            out.push(ring);
        }
    }
    Some(out)
}

/// The commune of each point (an index into `communes`), the finest level first (a commune, 8,
/// before a parish or a canton, 7; the lower OSM id on a tie); `None` outside every one.
pub fn locate(communes: &[Commune], points: &[crate::model::LonLat]) -> Vec<Option<usize>> {
    use geo::{BoundingRect, Contains, Point};
    use rstar::primitives::{GeomWithData, Rectangle};
    use rstar::{RTree, AABB};
    let mut order: Vec<usize> = (0..communes.len()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(communes[c].admin_level), communes[c].osm));
    let mut boxes = Vec::new();
    for (rank, &c) in order.iter().enumerate() {
        for (k, poly) in communes[c].polygons.iter().enumerate() {
            if let Some(r) = poly.bounding_rect() {
                boxes.push(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    (rank, c, k),
                ));
            }
        }
    }
    let tree = RTree::bulk_load(boxes);
    points
        .iter()
        .map(|p| {
            let pt = Point::new(p.lon, p.lat);
            tree.locate_in_envelope_intersecting(AABB::from_point([p.lon, p.lat]))
                .filter(|g| communes[g.data.1].polygons[g.data.2].contains(&pt))
                .map(|g| (g.data.0, g.data.1))
                .min()
                .map(|x| x.1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_join_into_rings_either_way_round() {
        // A square 1-2-3-4 in three ways, one reversed, and a triangle 5-6-7 in one way.
        let r = rings(vec![
            vec![1, 2],
            vec![3, 2],
            vec![3, 4, 1],
            vec![5, 6, 7, 5],
        ])
        .unwrap();
        assert_eq!(r.len(), 2);
        let square = r.iter().find(|x| x.contains(&1)).unwrap();
        assert_eq!(square.len(), 5);
        assert_eq!(square.first(), square.last());
        // A ring cut by the extract's edge does not close.
        assert!(rings(vec![vec![1, 2], vec![2, 3]]).is_none());
    }
}
