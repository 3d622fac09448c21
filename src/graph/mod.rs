//! Road graphs and shortest paths.
//!
//! - [`RoadGraph`]: directed arcs between OSM nodes, built from an extract by [`build()`];
//! - [`Snapper`]: puts any coordinate on the nearest road segment;
//! - [`dijkstra`]: the plain, obviously correct oracle;
//! - [`ch`]: contraction hierarchies with a bucket many-to-many query, the fast exact method;
//! - [`matrix`]: travel-time and distance matrices between snapped points ([`MatrixBuilder`]
//!   on a borrowed graph, [`Network`] owning it).
//!
//! Every routine minimises the same [`Weight`]: time first, then length.

pub mod build;
pub mod ch;
pub mod dijkstra;
pub mod matrix;
pub mod path;
mod road;
pub mod scc;
pub mod snap;
pub mod synth;
mod weight;

pub use build::{build, BuildReport};
pub use ch::ContractionHierarchy;
pub use matrix::{Matrix, MatrixBuilder, Network, Rect};
pub use road::{Arc, NodeIdx, RoadGraph, Segment};
pub use snap::{SnapError, Snapped, Snapper};
pub use weight::Weight;
