//! The road graph: a compact adjacency array (CSR) of directed arcs between OSM nodes.

use super::Weight;
use crate::osm::Profile;
use geo::Coord;

/// Index of a node in a [`RoadGraph`] (0-based, dense).
pub type NodeIdx = u32;

/// A directed arc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    /// Tail node.
    pub from: NodeIdx,
    /// Head node.
    pub to: NodeIdx,
    /// Travel time and length.
    pub weight: Weight,
}

/// A piece of road between two consecutive nodes of an OSM way, as drawn on a map.
///
/// Snapping works on segments, so that a point lands on the road itself, not on its nearest node.
/// `forward` is the weight of driving from `a` to `b` if the road allows it, `backward` of `b` to `a`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// First node, in the way's drawing order.
    pub a: NodeIdx,
    /// Second node.
    pub b: NodeIdx,
    /// Weight of `a -> b`, if allowed.
    pub forward: Option<Weight>,
    /// Weight of `b -> a`, if allowed.
    pub backward: Option<Weight>,
    /// The OSM way this segment comes from.
    pub way: i64,
}

/// A directed road graph for one travel profile (car or foot).
///
/// Nodes are OSM nodes (coordinates in WGS84 degrees, `x` = longitude, `y` = latitude); arcs are
/// stored as a forward adjacency array sorted by tail. Built by [`crate::graph::build()`].
#[derive(Clone, Debug)]
pub struct RoadGraph {
    pub(crate) profile: Profile,
    pub(crate) coords: Vec<Coord<f64>>,
    pub(crate) osm_ids: Vec<i64>,
    pub(crate) first_out: Vec<u32>,
    pub(crate) heads: Vec<NodeIdx>,
    pub(crate) weights: Vec<Weight>,
    pub(crate) segments: Vec<Segment>,
}

impl RoadGraph {
    /// Builds a graph from nodes and arcs. Arcs may come in any order; parallel arcs are kept.
    ///
    /// `segments` describe the drawn roads for snapping; pass the arcs' own pieces if unsure.
    pub fn from_parts(
        profile: Profile,
        coords: Vec<Coord<f64>>,
        osm_ids: Vec<i64>,
        mut arcs: Vec<Arc>,
        segments: Vec<Segment>,
    ) -> Self {
        let n = coords.len();
        assert_eq!(n, osm_ids.len(), "one OSM id per node");
        arcs.sort_unstable_by_key(|a| (a.from, a.to, a.weight));
        let mut first_out = vec![0u32; n + 1];
        for a in &arcs {
            first_out[a.from as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        RoadGraph {
            profile,
            coords,
            osm_ids,
            first_out,
            heads: arcs.iter().map(|a| a.to).collect(),
            weights: arcs.iter().map(|a| a.weight).collect(),
            segments,
        }
    }

    /// The travel profile this graph was built for.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.coords.len()
    }

    /// Number of directed arcs.
    pub fn num_arcs(&self) -> usize {
        self.heads.len()
    }

    /// Coordinates of a node (`x` = longitude, `y` = latitude).
    pub fn coord(&self, v: NodeIdx) -> Coord<f64> {
        self.coords[v as usize]
    }

    /// All node coordinates.
    pub fn coords(&self) -> &[Coord<f64>] {
        &self.coords
    }

    /// OSM id of a node.
    pub fn osm_id(&self, v: NodeIdx) -> i64 {
        self.osm_ids[v as usize]
    }

    /// Outgoing arcs of `v` as `(head, weight)` pairs.
    #[inline]
    pub fn out_arcs(&self, v: NodeIdx) -> impl Iterator<Item = (NodeIdx, Weight)> + '_ {
        let r = self.first_out[v as usize] as usize..self.first_out[v as usize + 1] as usize;
        self.heads[r.clone()]
            .iter()
            .copied()
            .zip(self.weights[r].iter().copied())
    }

    /// Every arc, sorted by tail.
    pub fn arcs(&self) -> impl Iterator<Item = Arc> + '_ {
        (0..self.num_nodes() as NodeIdx).flat_map(move |from| {
            self.out_arcs(from)
                .map(move |(to, weight)| Arc { from, to, weight })
        })
    }

    /// The drawn road segments (for snapping and maps).
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
}
