//! The `tournee` binary on good and bad input: messages name the file, line or point; exit codes.

mod common;

use common::data;
use std::process::{Command, Output};

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn no_panic(o: &Output) {
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

#[test]
fn a_missing_extract_is_named() {
    let o = tournee(&["plan", "--osm", "/nowhere/lozere.osm.pbf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot find the OpenStreetMap extract /nowhere/lozere.osm.pbf"),
        "{}",
        stderr(&o)
    );
    no_panic(&o);
}

#[test]
fn a_file_that_is_not_a_pbf_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("village.osm.pbf");
    std::fs::write(&path, "<?xml version='1.0'?><osm></osm>").unwrap();
    let o = tournee(&[
        "extract",
        "--osm",
        path.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not an OpenStreetMap .osm.pbf file"),
        "{}",
        stderr(&o)
    );
    no_panic(&o);
}

#[test]
fn a_truncated_pbf_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(data("saint_barthelemy.osm.pbf")).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 1, 10] {
        let path = dir.path().join("cut.osm.pbf");
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let o = tournee(&[
            "extract",
            "--osm",
            path.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "cut at {cut}");
        assert!(
            stderr(&o).contains("cut short"),
            "cut at {cut}: {}",
            stderr(&o)
        );
        no_panic(&o);
    }
}

#[test]
fn a_corrupted_block_is_refused_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(data("saint_barthelemy.osm.pbf")).unwrap();
    // Scramble the middle of the file, keeping its length and framing at the start.
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 2000] {
        *b = b.wrapping_mul(31).wrapping_add(7);
    }
    let path = dir.path().join("damaged.osm.pbf");
    std::fs::write(&path, &bytes).unwrap();
    let o = tournee(&[
        "extract",
        "--osm",
        path.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    no_panic(&o);
}

#[test]
fn extract_writes_places_with_their_osm_ids() {
    let dir = tempfile::tempdir().unwrap();
    let osm = data("saint_barthelemy.osm.pbf");
    let o = tournee(&[
        "extract",
        "--osm",
        osm.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for layer in ["households", "sites", "producers", "post_offices"] {
        let csv = std::fs::read_to_string(dir.path().join(format!("{layer}.csv"))).unwrap();
        assert!(csv.starts_with("id,osm_id,"), "{layer}: {csv}");
        let geo: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("{layer}.geojson"))).unwrap(),
        )
        .unwrap();
        assert_eq!(geo["type"], "FeatureCollection");
        assert_eq!(
            geo["features"].as_array().unwrap().len(),
            csv.lines().count() - 1,
            "{layer}"
        );
    }
}

#[test]
fn matrix_command_writes_nulls_for_refused_points_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("points.csv");
    // Gustavia, the airport, a point in the sea 20 km away.
    std::fs::write(
        &points,
        "id,lon,lat\ngustavia,-62.8506,17.8967\nairport,-62.8436,17.9043\nsea,-63.0,18.05\n",
    )
    .unwrap();
    let out = dir.path().join("m.json");
    let osm = data("saint_barthelemy.osm.pbf");
    let o = tournee(&[
        "matrix",
        "--osm",
        osm.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("point sea"), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 4"), "{}", stderr(&o));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(m["ids"], serde_json::json!(["gustavia", "airport", "sea"]));
    assert!(m["durations"][0][1].as_u64().unwrap() > 0);
    assert!(m["distances"][1][0].as_u64().unwrap() > 500);
    assert!(m["durations"][2]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v.is_null()));
    assert!(m["distances"][0][2].is_null());
}

#[test]
fn a_malformed_points_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("points.csv");
    std::fs::write(&points, "id,lon,lat\na,-62.85,17.89\nb,-62.84\n").unwrap();
    let o = tournee(&[
        "matrix",
        "--points",
        points.to_str().unwrap(),
        "--out",
        "/tmp/never.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
    no_panic(&o);
}

#[test]
fn plan_runs_on_a_small_extract_and_names_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let osm = data("saint_barthelemy.osm.pbf");
    let o = tournee(&[
        "plan",
        "--osm",
        osm.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(&format!("Outputs written to {}", out.display())),
        "{stdout}"
    );
    let roads: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("roads.json")).unwrap()).unwrap();
    assert!(roads["car"]["kept_nodes"].as_u64().unwrap() > 100);
    assert!(out.join("matrix.json").exists());
}
