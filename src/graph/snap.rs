//! Snapping coordinates onto the road network.

use super::road::{NodeIdx, RoadGraph};
use super::Weight;
use crate::model::geo::{haversine_m, LonLat, Projection, METRES_PER_DEGREE};
use crate::model::{Centimetres, Millis};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

/// Default snapping limit, metres: a point farther than this from any usable road is refused.
///
/// One kilometre lets a farm at the end of a private track or a hamlet reached by a path snap
/// to the public road it depends on, while a coordinate typed in the wrong village is refused.
pub const DEFAULT_MAX_SNAP_M: f64 = 1000.0;

/// Distance beyond the roads' bounding box from which a point is reported as outside the extract.
const OUTSIDE_MARGIN_M: f64 = 5000.0;

/// Why a point could not be put on the road network.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SnapError {
    /// Longitude or latitude is not a number in range.
    #[error("has an invalid coordinate (lon {lon}, lat {lat}): longitude must be within -180..180 and latitude within -90..90, in decimal degrees")]
    InvalidCoordinate { lon: f64, lat: f64 },
    /// The point lies outside the area covered by the road graph.
    #[error("(lon {lon}, lat {lat}) is outside the extract, whose roads span lon {lon_min:.4}..{lon_max:.4}, lat {lat_min:.4}..{lat_max:.4}: check the coordinates (longitude first) or use an extract that covers it")]
    OutsideExtract {
        lon: f64,
        lat: f64,
        lon_min: f64,
        lat_min: f64,
        lon_max: f64,
        lat_max: f64,
    },
    /// The nearest road is farther than the limit.
    #[error("(lon {lon}, lat {lat}) is {distance_m:.0} m from the nearest usable road (limit {max_m:.0} m): check the coordinates, or raise the limit with --max-snap")]
    TooFar {
        lon: f64,
        lat: f64,
        distance_m: f64,
        max_m: f64,
    },
}

/// A point put on a road segment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapped {
    /// Index into [`RoadGraph::segments`].
    pub segment: u32,
    /// Position along the segment, from its node `a` (0) to `b` (1).
    pub t: f64,
    /// Longitude of the snapped point.
    pub lon: f64,
    /// Latitude of the snapped point.
    pub lat: f64,
    /// Straight-line distance from the given point to the snapped point, metres.
    pub distance_m: f64,
}

fn scale(w: Weight, t: f64) -> Weight {
    Weight::new(
        Millis((w.time().0 as f64 * t).round() as u32),
        Centimetres((w.length().0 as f64 * t).round() as u32),
    )
}

impl Snapped {
    /// Where a trip starting at this point enters the graph: nodes with the cost of reaching them.
    pub fn source_seeds(&self, g: &RoadGraph) -> Vec<(NodeIdx, Weight)> {
        let s = &g.segments[self.segment as usize];
        let mut seeds = Vec::with_capacity(2);
        if let Some(w) = s.forward {
            seeds.push((s.b, scale(w, 1.0 - self.t)));
        }
        if let Some(w) = s.backward {
            seeds.push((s.a, scale(w, self.t)));
        }
        seeds
    }

    /// Where a trip ending at this point leaves the graph: nodes with the cost from them.
    pub fn target_seeds(&self, g: &RoadGraph) -> Vec<(NodeIdx, Weight)> {
        let s = &g.segments[self.segment as usize];
        let mut seeds = Vec::with_capacity(2);
        if let Some(w) = s.forward {
            seeds.push((s.a, scale(w, self.t)));
        }
        if let Some(w) = s.backward {
            seeds.push((s.b, scale(w, 1.0 - self.t)));
        }
        seeds
    }

    /// The trip from `self` to `to` along their common segment, if they share one and its
    /// direction allows it (a trip that never reaches a node).
    pub fn direct(&self, to: &Snapped, g: &RoadGraph) -> Option<Weight> {
        if self.segment != to.segment {
            return None;
        }
        let s = &g.segments[self.segment as usize];
        let fwd = s
            .forward
            .filter(|_| self.t <= to.t)
            .map(|w| scale(w, to.t - self.t));
        let bwd = s
            .backward
            .filter(|_| self.t >= to.t)
            .map(|w| scale(w, self.t - to.t));
        match (fwd, bwd) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Finds the nearest road segment of a graph (an R-tree over the segments, `rstar`).
pub struct Snapper {
    tree: RTree<GeomWithData<Line<[f64; 2]>, u32>>,
    projection: Projection,
    bbox: (f64, f64, f64, f64),
    max_m: f64,
}

impl Snapper {
    /// Indexes the segments of `g`. O(s log s) for s segments.
    pub fn new(g: &RoadGraph) -> Self {
        let coords = g.coords();
        let mean_lat = if coords.is_empty() {
            0.0
        } else {
            coords.iter().map(|c| c.y).sum::<f64>() / coords.len() as f64
        };
        let projection = Projection::new(mean_lat);
        let bbox = coords.iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), p| (a.min(p.x), b.min(p.y), c.max(p.x), d.max(p.y)),
        );
        let lines = g
            .segments()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (a, b) = (g.coord(s.a), g.coord(s.b));
                GeomWithData::new(
                    Line::new(
                        projection.to_xy(LonLat::new(a.x, a.y)),
                        projection.to_xy(LonLat::new(b.x, b.y)),
                    ),
                    i as u32,
                )
            })
            .collect();
        Snapper {
            tree: RTree::bulk_load(lines),
            projection,
            bbox,
            max_m: DEFAULT_MAX_SNAP_M,
        }
    }

    /// Sets the snapping limit in metres.
    pub fn with_max_distance(mut self, metres: f64) -> Self {
        self.max_m = metres;
        self
    }

    /// The snapping limit in metres.
    pub fn max_distance(&self) -> f64 {
        self.max_m
    }

    /// Puts `(lon, lat)` on the nearest point of the nearest segment, or says why it cannot.
    pub fn snap(&self, lon: f64, lat: f64) -> Result<Snapped, SnapError> {
        if !(lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
        {
            return Err(SnapError::InvalidCoordinate { lon, lat });
        }
        let (lon_min, lat_min, lon_max, lat_max) = self.bbox;
        // Beyond this margin around the roads' bounding box a point is called outside the extract
        // (a typing error, swapped coordinates, another region) rather than merely far from a road.
        let margin = self.max_m.max(OUTSIDE_MARGIN_M);
        let dy = margin / METRES_PER_DEGREE;
        let dx = margin / self.projection.metres_per_degree_lon().max(1e-9);
        if !(lon >= lon_min - dx
            && lon <= lon_max + dx
            && lat >= lat_min - dy
            && lat <= lat_max + dy)
        {
            return Err(SnapError::OutsideExtract {
                lon,
                lat,
                lon_min,
                lat_min,
                lon_max,
                lat_max,
            });
        }
        let p = self.projection.to_xy(LonLat::new(lon, lat));
        let Some(nearest) = self.tree.nearest_neighbor(p) else {
            return Err(SnapError::TooFar {
                lon,
                lat,
                distance_m: f64::INFINITY,
                max_m: self.max_m,
            });
        };
        let (a, b) = (nearest.geom().from, nearest.geom().to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (sx, sy) = (a[0] + t * dx, a[1] + t * dy);
        let LonLat {
            lon: slon,
            lat: slat,
        } = self.projection.to_lonlat([sx, sy]);
        let distance_m = haversine_m(LonLat::new(lon, lat), LonLat::new(slon, slat));
        if distance_m > self.max_m {
            return Err(SnapError::TooFar {
                lon,
                lat,
                distance_m,
                max_m: self.max_m,
            });
        }
        Ok(Snapped {
            segment: nearest.data,
            t,
            lon: slon,
            lat: slat,
            distance_m,
        })
    }
}
