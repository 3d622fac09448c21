//! # tournee: logistics for rural delivery rounds
//!
//! tournee plans the daily rounds of a van serving *conciergeries*, local hubs that each gather
//! about fifty households, from real OpenStreetMap data. Data flows one way:
//!
//! 1. [`osm`] reads a `.osm.pbf` extract: drivable and walkable ways, households, candidate sites,
//!    producers and post offices;
//! 2. [`graph`] turns the ways into a road graph, snaps points onto roads and computes exact
//!    travel-time and distance matrices (contraction hierarchies, parallel with `rayon`);
//! 3. `sites` and `routing` (coming) group households and plan the rounds;
//! 4. `report` writes what people read.
//!
//! ## Quick start
//!
//! ```
//! use tournee::graph::{self, MatrixBuilder};
//! use tournee::osm::{self, Profile};
//!
//! let extract = osm::read_pbf(std::path::Path::new("data/saint_barthelemy.osm.pbf")).unwrap();
//! let (roads, report) = graph::build(&extract, Profile::Car).unwrap();
//! assert!(report.kept_nodes > 100);
//! // Gustavia harbour and the airport, as (longitude, latitude).
//! let points = [(-62.8506, 17.8967), (-62.8436, 17.9043)];
//! let m = MatrixBuilder::new(&roads).build(&points);
//! let seconds = m.duration(0, 1).expect("both points are on the island's roads");
//! assert!(seconds.get() > 0);
//! ```

pub mod cli;
pub mod graph;
pub mod io;
pub mod model;
pub mod osm;
pub mod routing;
