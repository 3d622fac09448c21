//! # tournee: logistics for rural delivery rounds
//!
//! tournee plans the daily rounds of vans serving *conciergeries*, local hubs that each gather
//! about fifty households, from real OpenStreetMap data. Data flows one way, each layer using
//! only those before it (`tests/layers.rs` checks it):
//!
//! 1. [`model`]: units, ids, times of day and dates, geometry (one Earth radius, one local
//!    projection), routing problems, solutions and their checked timelines;
//! 2. [`osm`] reads a `.osm.pbf` extract: drivable and walkable ways, households (with their
//!    foyers estimated from the buildings' tags), candidate sites, producers and post offices;
//! 3. [`graph`] turns the ways into road graphs, snaps points onto roads and computes exact
//!    travel-time and distance matrices (contraction hierarchies, parallel with `rayon`);
//! 4. [`sites`] groups households into conciergerie catchments (capacitated p-median, with a
//!    lower bound on the optimum);
//! 5. [`routing`] plans van rounds (capacities, time windows, shifts, shipments from farms to
//!    sites) with ruin-and-recreate and local search, and checks every answer independently;
//! 6. [`io`] reads and writes formats (benchmark instances, VROOM JSON, CSV lists, atomic file
//!    writes);
//! 7. [`plan`] is the daily plan as a library: settings, territory, siting, demand, rounds and
//!    scenarios, each a stage a program can call;
//! 8. [`report`] writes what people read: route sheets, the planner's overview, the scenario
//!    report for elected officials;
//! 9. [`cli`] turns arguments into settings, calls the library and prints.
//!
//! ## Quick start: a daily plan
//!
//! ```
//! use std::path::Path;
//! use tournee::plan::{self, settings::Settings, DemandInput, Quiet, Territory};
//!
//! let settings = Settings::from_toml(
//!     "date = \"2026-11-25\"\n[sites]\nkicks = 3\nsensitivity_sizes = [50]\n",
//!     "quick.toml",
//!     &[],
//! )
//! .unwrap();
//! let territory =
//!     Territory::read(Path::new("data/sant-julia-de-loria.osm.pbf"), &settings, &Quiet).unwrap();
//! let p = plan::plan(&territory, &settings, &DemandInput::Model, &Quiet).unwrap();
//! assert!(p.is_complete(), "every job served");
//! assert!(p.grouping.pb.p >= 8, "about 50 foyers per conciergerie");
//! let out = tempfile::tempdir().unwrap();
//! let summary = tournee::report::plan::write(&p, &territory, out.path()).unwrap();
//! assert!(summary.starts_with("Daily plan for sant-julia-de-loria, 2026-11-25"));
//! println!("{summary}");
//! ```
//!
//! ## Quick start: a travel-time matrix
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
//!
//! ## Quick start: a round
//!
//! ```
//! use tournee::model::*;
//! use tournee::routing::{check::check, solve, validate, Params};
//!
//! // A depot (0), two sites (1, 2) and a farm (3); travel times in seconds, distances in metres.
//! let secs = [[0, 600, 900, 700], [600, 0, 500, 800], [900, 500, 0, 400], [700, 800, 400, 0]];
//! let mut p = Problem::new(
//!     "example",
//!     SquareMatrix::from_fn(4, |i, j| Time(secs[i][j])),
//!     SquareMatrix::from_fn(4, |i, j| Dist(secs[i][j] * 12)),
//! );
//! p.jobs.push(Job::delivery("parcels site 1", Stop::at(1, 300), Load::single(10)));
//! p.jobs.push(Job::shipment("eggs farm -> site 2", Stop::at(3, 600), Stop::at(2, 300), Load::single(4)));
//! p.vehicles.push(Vehicle::new("van", 0, Load::single(20)));
//! validate(&p).expect("valid");
//! let (solution, _) = solve(&p, &Params::default());
//! let report = check(&p, &solution).expect("feasible");
//! assert!(solution.unassigned.is_empty());
//! println!("{} m", report.distance.0);
//! ```

pub mod cli;
#[doc(hidden)]
pub mod fuzz;
pub mod graph;
pub mod io;
pub mod model;
pub mod osm;
pub mod plan;
pub mod report;
pub mod routing;
pub mod sites;
