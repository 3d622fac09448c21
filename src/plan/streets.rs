//! Naming a place by its street: the nodes of the extract's named roads in an R-tree.

use crate::model::{LonLat, Projection};
use crate::osm;

/// Farthest a place may be from a named road to be named after it, metres.
const STREET_M: f64 = 150.0;

/// The nodes of named roads (in planar metres), to name a place by its street.
pub struct Streets {
    tree: rstar::RTree<rstar::primitives::GeomWithData<[f64; 2], usize>>,
    names: Vec<String>,
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
        Streets {
            tree: rstar::RTree::bulk_load(points),
            names,
            proj,
        }
    }

    /// The named road nearest `(lon, lat)`, if one passes within 150 m.
    pub fn nearest(&self, lon: f64, lat: f64) -> Option<String> {
        let q = self.proj.to_xy(LonLat::new(lon, lat));
        let p = self.tree.nearest_neighbor(q)?;
        let (dx, dy) = (p.geom()[0] - q[0], p.geom()[1] - q[1]);
        ((dx * dx + dy * dy).sqrt() <= STREET_M).then(|| self.names[p.data].clone())
    }
}
