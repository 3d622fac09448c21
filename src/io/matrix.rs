//! The matrix JSON file.
//!
//! ```json
//! {"profile": "car", "ids": ["a", "b"],
//!  "durations": [[0, 312], [298, 0]], "distances": [[0, 4210], [4105, 0]],
//!  "units": {"durations": "s", "distances": "m"},
//!  "snapping": [{"id": "a", "lon": 1.52, "lat": 42.5, "snap_distance_m": 12.3}, ...],
//!  "attribution": "© OpenStreetMap contributors ..."}
//! ```
//! Row = from, column = to, in the order of the points file. An unreachable pair, or any pair
//! involving a point that could not be snapped, is `null`: never a zero or an infinity.

use crate::graph::Matrix;
use crate::io::files::{round7, ODBL_ATTRIBUTION};
use crate::osm::Profile;
use serde_json::{json, Value};

/// The JSON document of a matrix between points named `ids`.
pub fn to_json(ids: &[String], m: &Matrix, profile: Profile) -> Value {
    let n = m.len();
    let durations: Vec<Vec<Option<u32>>> = (0..n)
        .map(|i| {
            m.duration_row(i)
                .into_iter()
                .map(|d| d.map(|s| s.get()))
                .collect()
        })
        .collect();
    let distances: Vec<Vec<Option<u32>>> = (0..n)
        .map(|i| {
            m.distance_row(i)
                .into_iter()
                .map(|d| d.map(|s| s.get()))
                .collect()
        })
        .collect();
    let snapping: Vec<Value> = ids
        .iter()
        .zip(&m.snaps)
        .map(|(id, s)| match s {
            Ok(s) => json!({"id": id, "lon": round7(s.lon), "lat": round7(s.lat), "snap_distance_m": (s.distance_m * 10.0).round() / 10.0}),
            Err(e) => json!({"id": id, "error": format!("point {id} {e}")}),
        })
        .collect();
    json!({
        "profile": profile.name(),
        "ids": ids,
        "durations": durations,
        "distances": distances,
        "units": {"durations": "s", "distances": "m"},
        "snapping": snapping,
        "attribution": ODBL_ATTRIBUTION,
    })
}
