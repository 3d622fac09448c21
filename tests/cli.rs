//! The `tournee` binary on good and bad input: messages name the file, line or point; exit codes.

mod common;

use common::{data, no_panic, refused, small, stderr, tournee};
use std::process::Output;

#[test]
fn a_missing_extract_is_named() {
    let o = tournee(&["plan", "--osm", "/nowhere/lozere.osm.pbf"]);
    refused(
        &o,
        "cannot find the OpenStreetMap extract /nowhere/lozere.osm.pbf",
    );
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
        dir.path().join("out").to_str().unwrap(),
    ]);
    refused(&o, "is not an OpenStreetMap .osm.pbf file");
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
            dir.path().join("out").to_str().unwrap(),
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
        dir.path().join("out").to_str().unwrap(),
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
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for layer in ["households", "sites", "producers", "post_offices"] {
        let csv =
            std::fs::read_to_string(dir.path().join("out").join(format!("{layer}.csv"))).unwrap();
        assert!(csv.starts_with("id,osm_id,"), "{layer}: {csv}");
        let geo: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("out").join(format!("{layer}.geojson")))
                .unwrap(),
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
    refused(&o, "line 3");
}

const TINY_VRP: &str = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 1 1\nDEMAND_SECTION\n1 0\n2 4\n3 5\n4 3\nDEPOT_SECTION\n1\n-1\nEOF\n";

#[test]
fn solve_writes_a_cvrplib_solution_that_is_the_same_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let vrp = dir.path().join("tiny.vrp");
    std::fs::write(&vrp, TINY_VRP).unwrap();
    let mut outputs = Vec::new();
    for k in 0..2 {
        let sol = dir.path().join(format!("tiny{k}.sol"));
        let o = tournee(&[
            "solve",
            vrp.to_str().unwrap(),
            "--iterations",
            "300",
            "--seed",
            "5",
            "--out",
            sol.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("cost 22"),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(
            stderr(&o).contains("seed 5"),
            "the seed is printed: {}",
            stderr(&o)
        );
        outputs.push(std::fs::read_to_string(&sol).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert!(
        outputs[0].starts_with("Route #1:") && outputs[0].trim_end().ends_with("Cost 22"),
        "{}",
        outputs[0]
    );
}

#[test]
fn solve_names_the_line_of_a_malformed_instance() {
    let dir = tempfile::tempdir().unwrap();
    let vrp = dir.path().join("bad.vrp");
    std::fs::write(&vrp, TINY_VRP.replace("2 3 4", "2 three 4")).unwrap();
    let o = tournee(&["solve", vrp.to_str().unwrap(), "--iterations", "10"]);
    refused(&o, "line 8");
}

#[test]
fn solve_reads_and_writes_vroom_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("problem.json");
    std::fs::write(
        &input,
        r#"{"vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [5]}],
            "jobs": [{"id": 10, "location_index": 1, "delivery": [2], "service": 60},
                     {"id": 11, "location_index": 2, "delivery": [9]}],
            "matrices": {"car": {"durations": [[0, 100, 200], [100, 0, 150], [200, 150, 0]]}}}"#,
    )
    .unwrap();
    let out = dir.path().join("solution.json");
    let o = tournee(&[
        "solve",
        input.to_str().unwrap(),
        "--iterations",
        "50",
        "--out",
        out.to_str().unwrap(),
    ]);
    // Job 11 needs 9 units, the van holds 5: a partial result, reported with its reason.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("capacity"));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(s["summary"]["cost"], 200);
    assert_eq!(s["unassigned"][0]["id"], 11);
    assert_eq!(s["routes"][0]["steps"].as_array().unwrap().len(), 3);
}

/// Every file under `dir`, by relative path, with its bytes.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn plan_writes_route_sheets_and_a_scenario_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("quick.toml");
    // A small budget keeps the test short; the figures are not what is tested here.
    std::fs::write(
        &config,
        "[sites]\nkicks = 3\nsensitivity_sizes = [50, 80]\n",
    )
    .unwrap();
    let mut runs = Vec::new();
    // Twice into the same folder (the summary names it).
    let out = dir.path().join("plan");
    for _ in 0..2 {
        let _ = std::fs::remove_dir_all(&out);
        let osm = small();
        let o = tournee(&[
            "plan",
            "--osm",
            &osm,
            "--config",
            config.to_str().unwrap(),
            "--date",
            "2026-11-25",
            "--out",
            out.to_str().unwrap(),
        ]);
        no_panic(&o);
        // Exit 0: every household grouped (the one cut off from the footways is measured in a
        // straight line and named), every job served.
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.contains(&format!("Outputs in {}", out.display())),
            "{stdout}"
        );
        assert!(stderr(&o).contains("seed 1"), "the seed is printed");
        runs.push(files_under(&out));
    }
    let files = &runs[0];
    for name in [
        "summary.txt",
        "overview.html",
        "scenario.html",
        "scenario.json",
        "scenario.csv",
        "routes/van-1.html",
        "routes/van-1.csv",
        "routes/van-1.gpx",
        "routes/van-1.geojson",
        "routes/unassigned.csv",
        "sites/sites.csv",
        "sites/assignment.csv",
    ] {
        assert!(
            files.contains_key(name),
            "{name} missing: {:?}",
            files.keys()
        );
    }
    assert_eq!(runs[0], runs[1], "same seed, byte-identical outputs");
    // The scenario's figures are consistent with the route files.
    let scen: serde_json::Value = serde_json::from_slice(&files["scenario.json"]).unwrap();
    let rows = scen["scenarios"].as_array().unwrap();
    let main = rows
        .iter()
        .find(|r| r["scenario"] == "conciergeries")
        .unwrap();
    let vans = main["vans"].as_u64().unwrap() as usize;
    assert!(vans >= 1);
    let van_km: f64 = (1..=vans)
        .map(|k| {
            let g: serde_json::Value =
                serde_json::from_slice(&files[&format!("routes/van-{k}.geojson")]).unwrap();
            let line = g["features"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["geometry"]["type"] == "LineString")
                .expect("a route line");
            line["properties"]["km"].as_f64().unwrap()
        })
        .sum();
    assert!(
        (van_km - main["van_km_day"].as_f64().unwrap()).abs() < 0.05 * vans as f64,
        "{van_km} vs {}",
        main["van_km_day"]
    );
    // Each route sheet lists its stops in time order, within the shift.
    for k in 1..=vans {
        let mut r = csv::Reader::from_reader(&files[&format!("routes/van-{k}.csv")][..]);
        let arrivals: Vec<String> = r.records().map(|x| x.unwrap()[6].to_string()).collect();
        assert!(arrivals.len() >= 3);
        assert!(arrivals.windows(2).all(|w| w[0] <= w[1]), "{arrivals:?}");
        assert!(arrivals[0].as_str() >= "07:00" && arrivals.last().unwrap().as_str() <= "15:00");
    }
}

#[test]
fn plan_refuses_a_bad_config_and_an_extract_without_households() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[fleet]\nvanz = 2\n").unwrap();
    let o = tournee(&["plan", "--config", config.to_str().unwrap()]);
    refused(&o, "vanz");
    assert!(stderr(&o).contains("tournee config"), "{}", stderr(&o));
    no_panic(&o);
    std::fs::write(&config, "[fleet]\nshift_start = \"16:00\"\n").unwrap();
    let o = tournee(&["plan", "--config", config.to_str().unwrap()]);
    refused(&o, "fleet.shift_end");
    let osm = data("saint_barthelemy.osm.pbf");
    let o = tournee(&[
        "plan",
        "--osm",
        osm.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    refused(&o, "no household");
    let o = tournee(&[
        "plan",
        "--depot",
        "10.0,60.0",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    refused(&o, "is it inside the extract");
}

#[test]
fn config_prints_defaults_that_plan_accepts() {
    let o = tournee(&["config"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("[fleet]") && text.contains("shift_start = \"07:00\""),
        "{text}"
    );
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(parsed["sites"]["target"].as_integer(), Some(50));
}

/// Runs `tournee args...` with a configuration of a small siting budget (the figures are not
/// what is tested) plus the TOML `settings`, into the folder `name`; returns the output and
/// the folder.
fn quick_plan(
    dir: &std::path::Path,
    name: &str,
    settings: &str,
    args: &[&str],
) -> (Output, std::path::PathBuf) {
    let config = dir.join(format!("{name}.toml"));
    std::fs::write(
        &config,
        format!("[sites]\nkicks = 3\nsensitivity_sizes = [50]\n{settings}"),
    )
    .unwrap();
    let out = dir.join(name);
    let osm = small();
    let mut all = vec![
        "--osm",
        &osm,
        "--config",
        config.to_str().unwrap(),
        "--date",
        "2026-11-25",
        "--out",
        out.to_str().unwrap(),
    ];
    all.splice(0..0, args.iter().copied());
    let o = tournee(&all);
    no_panic(&o);
    (o, out)
}

/// The stops of a route sheet CSV: (action, load after, service start, window start, end).
fn sheet_rows(path: &std::path::Path) -> Vec<(String, i64, String, String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[1].to_string(),
                x[15].parse().unwrap(),
                x[7].to_string(),
                x[9].to_string(),
                x[10].to_string(),
            )
        })
        .collect()
}

#[test]
fn plan_reads_back_the_demand_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (o, a) = quick_plan(dir.path(), "a", "", &["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let demand = a.join("demand.csv");
    let (o, b) = quick_plan(
        dir.path(),
        "b",
        "",
        &["plan", "--demand", demand.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (fa, fb) = (files_under(&a), files_under(&b));
    let routes = |f: &std::collections::BTreeMap<String, Vec<u8>>| {
        f.iter()
            .filter(|(k, _)| k.starts_with("routes/") || k.as_str() == "demand.csv")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert!(routes(&fa).len() >= 5);
    assert_eq!(routes(&fa), routes(&fb), "same orders, same rounds");
    let summary = String::from_utf8_lossy(&fb["summary.txt"]).to_string();
    assert!(summary.contains("from "), "{summary}");

    // A file naming a site that is not one of this plan's: the line is named.
    let bad = dir.path().join("bad.csv");
    let mut text = std::fs::read_to_string(&demand).unwrap();
    text.push_str("way/1,somewhere,bread,,10,\n");
    let lines = text.lines().count();
    std::fs::write(&bad, text).unwrap();
    let (o, _) = quick_plan(
        dir.path(),
        "c",
        "",
        &["plan", "--demand", bad.to_str().unwrap()],
    );
    refused(&o, &format!("line {lines}"));
    assert!(stderr(&o).contains("way/1"), "{}", stderr(&o));
}

#[test]
fn a_van_too_small_splits_loads_or_reports_the_work_it_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let cap = 120;
    let small = format!("[fleet]\ncapacity_litres = {cap}\n");
    // As many vans as needed: loads larger than a van are split, and everything is served.
    let (o, out) = quick_plan(dir.path(), "auto", &small, &["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    assert!(summary.contains("more than a van holds"), "{summary}");
    assert!(summary.contains("0 job(s) not served"), "{summary}");
    let mut vans = 0;
    for k in 1.. {
        let path = out.join(format!("routes/van-{k}.csv"));
        if !path.exists() {
            break;
        }
        vans += 1;
        for (action, load, start, from, to) in sheet_rows(&path) {
            assert!((0..=cap).contains(&load), "{action} load {load}");
            if !from.is_empty() {
                assert!(from <= start && start <= to, "{start} outside {from}-{to}");
            }
        }
    }
    assert!(vans >= 2);
    // With one van: the plan keeps its route, lists what is left and says what to do.
    let (o, out) = quick_plan(dir.path(), "one", &small, &["plan", "--vans", "1"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    assert!(
        summary.contains("WARNING") && summary.contains("--vans auto"),
        "{summary}"
    );
    assert!(out.join("routes/van-1.csv").exists());
    assert!(!out.join("routes/van-2.csv").exists());
    let mut r = csv::Reader::from_path(out.join("routes/unassigned.csv")).unwrap();
    let left: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert!(!left.is_empty());
    assert!(left.iter().all(|x| !x[1].is_empty() && !x[2].is_empty()));
    let scen: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("scenario.json")).unwrap()).unwrap();
    assert!(!scen["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn compare_writes_the_scenario_report_with_its_own_options() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = quick_plan(
        dir.path(),
        "cmp",
        "",
        &[
            "compare",
            "--van-type",
            "electric",
            "--days-per-year",
            "250",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = files_under(&out);
    assert!(files.contains_key("scenario.html") && files.contains_key("scenario.csv"));
    assert!(!files.keys().any(|k| k.starts_with("routes/")));
    let scen: serde_json::Value = serde_json::from_slice(&files["scenario.json"]).unwrap();
    let main = scen["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scenario"] == "conciergeries")
        .unwrap()
        .clone();
    assert_eq!(main["van_type"], "electric");
    let (day, year) = (
        main["vehicle_km_day"].as_f64().unwrap(),
        main["vehicle_km_year"].as_f64().unwrap(),
    );
    assert!(
        (year - 250.0 * day).abs() < 1e-6 * year.max(1.0),
        "{day} {year}"
    );
    let (o, _) = quick_plan(dir.path(), "bad", "", &["compare", "--van-type", "steam"]);
    refused(&o, "\"diesel\" or \"electric\"");
}

#[test]
fn plan_groups_the_planners_own_households() {
    let dir = tempfile::tempdir().unwrap();
    // The households of the small extract, as a planner's file (a subset, foyers given).
    let listed = dir.path().join("extract");
    let o = tournee(&[
        "extract",
        "--osm",
        &small(),
        "--out",
        listed.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(listed.join("households.csv")).unwrap();
    let mut text = String::from("id,lon,lat,foyers\n");
    let mut ids = Vec::new();
    for (k, rec) in r.records().enumerate().filter(|(k, _)| k % 2 == 0) {
        let rec = rec.unwrap();
        let id = format!("maison-{k}");
        text.push_str(&format!("{id},{},{},{}\n", &rec[2], &rec[3], 1 + k % 3));
        ids.push(id);
    }
    let file = dir.path().join("foyers.csv");
    std::fs::write(&file, &text).unwrap();
    let (o, out) = quick_plan(
        dir.path(),
        "own",
        "",
        &["plan", "--households", file.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    assert!(
        summary.contains(&format!("households from {}", file.display())),
        "{summary}"
    );
    let mut r = csv::Reader::from_path(out.join("sites/assignment.csv")).unwrap();
    let assigned: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
    assert_eq!(
        assigned, ids,
        "every household of the file, in its order, and no other"
    );

    // A bad line is named with its file and line.
    std::fs::write(&file, "id,lon,lat\nh1,1.49,42.46\nh2,1.49,north\n").unwrap();
    let (o, _) = quick_plan(
        dir.path(),
        "bad",
        "",
        &["plan", "--households", file.to_str().unwrap()],
    );
    refused(&o, "line 3");
    assert!(stderr(&o).contains("foyers.csv"), "{}", stderr(&o));
}

#[test]
fn bench_plan_times_every_stage_and_how_it_scales() {
    let dir = std::env::temp_dir().join(format!("tournee-bench-plan-{}", std::process::id()));
    let csv = dir.join("stages.csv");
    let (s, c) = (small(), csv.display().to_string());
    let out = dir.display().to_string();
    // The same territory twice: the scaling table is printed, with a households ratio of 1.
    let o = tournee(&["bench", "plan", &s, &s, "--out", &out, "--csv", &c]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for stage in [
        "reading the extract",
        "siting the conciergeries",
        "setting the day's demand and solving the van rounds",
        "comparing with today",
        "writing the files",
        "scaling",
    ] {
        assert!(text.contains(stage), "no {stage:?} in\n{text}");
    }
    // Every stage's seconds add up to at most the whole plan's.
    let rows = std::fs::read_to_string(&csv).expect("the CSV is written");
    let mut whole = 0.0;
    let mut staged = 0.0;
    for line in rows.lines().skip(1).take_while(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let seconds: f64 = f[f.len() - 3].parse().expect("seconds");
        if line.contains("\"whole plan\"") {
            whole = seconds;
            break;
        }
        if f[2] == "0" {
            staged += seconds;
        }
    }
    // Each time is printed to the millisecond: the stages' sum may exceed the whole by half a
    // millisecond per stage of rounding.
    let stages = rows.lines().filter(|l| l.contains(",0,\"")).count() as f64;
    assert!(
        whole > 0.0 && staged <= whole + 5e-4 * (stages + 1.0),
        "{staged} > {whole}\n{rows}"
    );
    assert!(dir.join("sant-julia-de-loria/overview.html").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bench_plan_names_a_missing_extract_before_running_any() {
    let s = small();
    let o = tournee(&["bench", "plan", &s, "/nowhere/territory.osm.pbf"]);
    refused(&o, "/nowhere/territory.osm.pbf");
    // Nothing was planned: no stage table on stdout.
    assert!(!String::from_utf8_lossy(&o.stdout).contains("| stage |"));
}

#[test]
fn hosts_written_in_sites_csv_reach_the_driver_and_bad_rows_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = quick_plan(dir.path(), "first", "", &["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The planner fills the host columns of the first site in a spreadsheet.
    let text = std::fs::read_to_string(out.join("sites/sites.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    assert!(
        lines[0].ends_with(
            ",host,phone,access,opening_hours,passages_per_week,days,storage_litres,boxes_s,boxes_m,boxes_l,kind"
        ),
        "{}",
        lines[0]
    );
    let id = lines[1].split(',').nth(1).unwrap().to_string();
    // The host's four cells and the week's six are empty at the end of the row, before the
    // site's kind.
    let tail = format!("{},site", ",".repeat(10));
    assert!(lines[1].ends_with(&tail), "{}", lines[1]);
    lines[1] = format!(
        "{},Épicerie Martin,06 12 34 56 78,code 1234 at the back door,07:00-12:00{},site",
        &lines[1][..lines[1].len() - tail.len()],
        ",".repeat(6)
    );
    let edited = dir.path().join("edited.csv");
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();
    let (o, out2) = quick_plan(
        dir.path(),
        "second",
        "",
        &["plan", "--sites", edited.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // On the sheet of the van that serves it: the host's name, phone and the access note.
    let mut found = false;
    for k in 1.. {
        let path = out2.join(format!("routes/van-{k}.html"));
        if !path.exists() {
            break;
        }
        let page = std::fs::read_to_string(&path).unwrap();
        if page.contains("(Épicerie Martin)") {
            found = true;
            assert!(page.contains("Épicerie Martin · 06 12 34 56 78 · ouvert 07:00-12:00"));
            assert!(page.contains("code 1234 at the back door"));
        }
        // Never a raw tag nor an OSM id on a driver's page.
        let body = &page[page.find("<tbody>").unwrap()..];
        assert!(
            !body.contains("way/") && !body.contains("node/"),
            "{path:?}"
        );
        assert!(
            !body.contains("shop=") && !body.contains("amenity="),
            "{path:?}"
        );
    }
    assert!(found, "no sheet names the host");
    // The plan's sites.csv keeps what the planner wrote, to edit again.
    let back = std::fs::read_to_string(out2.join("sites/sites.csv")).unwrap();
    let row = back
        .lines()
        .find(|l| l.contains(&format!(",{id},")))
        .unwrap();
    assert!(
        row.ends_with(
            ",Épicerie Martin,06 12 34 56 78,code 1234 at the back door,07:00-12:00,,,,,,,site"
        ),
        "{row}"
    );
    // A site the plan does not have, and a bad phone: file, line and column, exit 2.
    for (row, want) in [
        ("way/1,X,,,", "line 2, column `site_id`"),
        (&format!("{id},X,call me,,")[..], "line 2, column `phone`"),
    ] {
        let bad = dir.path().join("bad.csv");
        std::fs::write(
            &bad,
            format!("site_id,host,phone,access,opening_hours\n{row}\n"),
        )
        .unwrap();
        let (o, _) = quick_plan(
            dir.path(),
            "bad",
            "",
            &["plan", "--sites", bad.to_str().unwrap()],
        );
        assert_ne!(o.status.code(), Some(0));
        let e = stderr(&o);
        assert!(e.contains("bad.csv") && e.contains(want), "{e}");
    }
}

#[test]
fn numbers_given_as_flags_are_refused_when_not_finite_or_out_of_range() {
    let f = data("../../shared/data/benchmarks/vrptw/solomon/RC202.txt");
    let f = f.to_str().unwrap();
    for (args, want) in [
        (
            vec!["solve", f, "--time-limit", "NaN"],
            "\"NaN\" is not a number of seconds",
        ),
        (
            vec!["solve", f, "--time-limit", "inf"],
            "is not a number of seconds",
        ),
        (
            vec!["solve", f, "--time-limit", "0"],
            "0 seconds leaves no time",
        ),
        (
            vec!["solve", f, "--time-limit", "1e300"],
            "1e300 is out of range",
        ),
        (vec!["sites", "--time-limit=-1"], "-1 is out of range"),
        (
            vec!["sites", "--site-cost", "nan", "--cost-per-km", "1"],
            "not a number of euros",
        ),
        (
            vec![
                "matrix",
                "--points",
                "x.csv",
                "--out",
                "m.json",
                "--max-snap",
                "NaN",
            ],
            "not a number of metres",
        ),
    ] {
        let o = tournee(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        no_panic(&o);
    }
}

#[test]
fn week_writes_its_files_the_same_twice_and_names_a_bad_producers_file() {
    let dir = tempfile::tempdir().unwrap();
    let osm = data("sant-julia-de-loria.osm.pbf");
    let run = |out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "week",
            "--osm",
            osm.to_str().unwrap(),
            "--date",
            "2026-12-07",
            "--days",
            "5",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        (tournee(&args), out)
    };
    let (o, a) = run("a", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(said.contains("seed 1"), "the seed is printed: {said}");
    for f in [
        "week.html",
        "week.csv",
        "days.csv",
        "week.json",
        "unserved.csv",
        "scenario.html",
        "summary.txt",
    ] {
        assert!(a.join(f).is_file(), "{f}");
    }
    let days = std::fs::read_dir(a.join("days")).unwrap().count();
    assert_eq!(days, 5, "a folder of route sheets per day");
    let (o, b) = run("b", &[]);
    assert_eq!(o.status.code(), Some(0));
    for f in ["week.json", "week.csv", "days.csv", "unserved.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}: same input and seed, same output"
        );
    }
    // A producers file that cannot be read, and one naming a producer the extract lacks.
    let (o, _) = run("c", &["--producers", "/nowhere/producteurs.csv"]);
    refused(
        &o,
        "cannot read the producers file /nowhere/producteurs.csv",
    );
    let bad = dir.path().join("producers.csv");
    std::fs::write(&bad, "producer_id,days\nway/1,mar\n").unwrap();
    let (o, c) = run("d", &["--producers", bad.to_str().unwrap()]);
    refused(
        &o,
        "line 2: producer \"way/1\" is not a producer of this extract",
    );
    assert!(!c.exists(), "nothing written for refused input");
}

/// Issue 25: `plan --producers` reads the week's producers file: a farm that does not supply on
/// the day takes no order that day (and the plan says so); an unknown farm is refused with its
/// line, nothing written.
#[test]
fn plan_reads_the_producers_days_and_refuses_an_unknown_farm() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = quick_plan(dir.path(), "first", "", &["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let demand = std::fs::read_to_string(out.join("demand.csv")).unwrap();
    let farm = demand
        .lines()
        .filter(|l| l.contains(",fresh,"))
        .map(|l| l.rsplit(',').next().unwrap().to_string())
        .next()
        .expect("a fresh order");
    // 2026-11-25 is a Wednesday: a farm supplying on Mondays only.
    let file = dir.path().join("producers.csv");
    std::fs::write(
        &file,
        format!("producer_id,name,days,lead_days\n{farm},Ferme des Lilas,mon,0\n"),
    )
    .unwrap();
    let (o, out) = quick_plan(
        dir.path(),
        "second",
        "",
        &["plan", "--producers", file.to_str().unwrap()],
    );
    assert!(
        matches!(o.status.code(), Some(0) | Some(3)),
        "{}",
        stderr(&o)
    );
    let demand = std::fs::read_to_string(out.join("demand.csv")).unwrap();
    assert!(!demand.contains(&farm), "{demand}");
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    assert!(
        summary.contains("Ferme des Lilas") && summary.contains("does not supply on this day"),
        "{summary}"
    );
    std::fs::write(&file, "producer_id,name,days\nnode/1,Nowhere,mon\n").unwrap();
    let (o, out) = quick_plan(
        dir.path(),
        "third",
        "",
        &["plan", "--producers", file.to_str().unwrap()],
    );
    refused(&o, "producers.csv, line 2");
    assert!(!out.exists());
}
