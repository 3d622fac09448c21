//! Issue 15: no input crashes, hangs or silently corrupts a result. One minimal input per case
//! of the issue, each refused with a clean exit (1, or 2 for flags) and a message that says what
//! is wrong, where, and the limit; outputs written as a whole.

mod common;

use common::{data, no_panic, refused, small, stderr, tournee};
use std::path::{Path, PathBuf};
use std::process::Output;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// A VROOM problem on a 2 x 2 matrix with one job and one vehicle; `job`, `vehicle` and
/// `matrix` replace the defaults.
fn vroom(job: &str, vehicle: &str, matrix: &str) -> String {
    format!(
        r#"{{"vehicles": [{{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 28800]{vehicle}}}],
 "jobs": [{{"id": 7, "location_index": 1{job}}}],
 "matrices": {{"car": {{"durations": {matrix}, "distances": {matrix}}}}}}}"#
    )
}

const M: &str = "[[0, 600], [600, 0]]";

fn solve(file: &str) -> Output {
    tournee(&["solve", file, "--time-limit", "1"])
}

#[test]
fn issue15_numbers_beyond_the_limits_are_refused_with_the_value_the_limit_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A service of i64::MAX was "served" inside an 8-hour shift.
    let f = write(
        d,
        "service.json",
        &vroom(r#", "service": 9223372036854775807"#, "", M),
    );
    let o = solve(&f);
    refused(&o, "job 7: a service time of 9223372036854775807 is above the largest accepted, 1,000,000,000,000");
    assert!(stderr(&o).contains("service.json"), "{}", stderr(&o));
    // A window near 9.2e18 gave a wait of 9.2e18.
    let f = write(
        d,
        "window.json",
        &vroom(
            r#", "time_windows": [[9223372036854775000, 9223372036854775807]]"#,
            "",
            M,
        ),
    );
    refused(
        &solve(&f),
        "job 7: a time window start of 9223372036854775000",
    );
    // costs.fixed = 1e17 was reported as a negative cost.
    let f = write(
        d,
        "fixed.json",
        &vroom("", r#", "costs": {"fixed": 100000000000000000}"#, M),
    );
    refused(
        &solve(&f),
        "costs.fixed is 100000000000000000, above the largest accepted",
    );
    // costs.per_km = 1e14 made the search run forever.
    let f = write(
        d,
        "per_km.json",
        &vroom("", r#", "costs": {"per_km": 100000000000000}"#, M),
    );
    refused(
        &solve(&f),
        "costs.per_km is 100000000000000, above the largest accepted",
    );
    // Matrix entries near i64::MAX.
    let f = write(
        d,
        "matrix.json",
        &vroom("", "", "[[0, 9223372036854775000], [5, 0]]"),
    );
    refused(&solve(&f), "matrix entry [0][1] is 9223372036854775000");
    // Each value within its limit, too large together.
    let f = write(
        d,
        "together.json",
        &vroom(
            "",
            r#", "costs": {"per_km": 55555}"#,
            "[[0, 900000000000], [900000000000, 0]]",
        ),
    );
    let o = solve(&f);
    refused(&o, "too large together");
    // CVRPLIB demands near i64::MAX ended in "the checker refuses".
    let f = write(
        d,
        "demand.vrp",
        "NAME : d\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 9223372036854775807\n\
         NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 0\n2 9223372036854775807\n3 9223372036854775807\n\
         DEPOT_SECTION\n1\n-1\nEOF\n",
    );
    refused(&solve(&f), "above the largest accepted");
}

#[test]
fn issue15_sizes_in_headers_are_checked_before_anything_is_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cvrp = |dim: &str, weights: &str| {
        format!(
            "NAME : x\nTYPE : CVRP\nDIMENSION : {dim}\nEDGE_WEIGHT_TYPE : {weights}\nCAPACITY : 10\n\
             NODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n-1\nEOF\n"
        )
    };
    // Panicked with "capacity overflow".
    let f = write(d, "max.vrp", &cvrp("9223372036854775807", "EUC_2D"));
    refused(
        &solve(&f),
        "line 3: DIMENSION is 9223372036854775807; tournee accepts at most 20,000",
    );
    // Aborted after eating memory.
    let f = write(d, "2g.vrp", &cvrp("2147483648", "EUC_2D"));
    refused(&solve(&f), "line 3: DIMENSION is 2147483648");
    let f = write(d, "short.vrp", &cvrp("15000", "EUC_2D"));
    refused(
        &solve(&f),
        "needs DIMENSION = 15000 rows but the file has only",
    );
    // A 100-byte EXPLICIT file announcing 1e8 nodes, then 15,000.
    let explicit = |dim: &str| {
        format!(
            "NAME : x\nTYPE : CVRP\nDIMENSION : {dim}\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
             EDGE_WEIGHT_FORMAT : FULL_MATRIX\nCAPACITY : 10\nEDGE_WEIGHT_SECTION\n0 1\n1 0\nEOF\n"
        )
    };
    let f = write(d, "e8.vrp", &explicit("100000000"));
    refused(&solve(&f), "DIMENSION is 100000000");
    let f = write(d, "e15k.vrp", &explicit("15000"));
    refused(&solve(&f), "needs 225000000 weights but the file has only");
    // A Solomon fleet of 1e11.
    let f = write(
        d,
        "fleet.txt",
        "C1\n\nVEHICLE\nNUMBER     CAPACITY\n  100000000000         200\n\nCUSTOMER\n\
         CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n\
         0 40 50 0 0 1236 0\n1 45 68 10 912 967 90\n",
    );
    refused(
        &solve(&f),
        "the vehicle number is 100000000000; tournee accepts at most 20,000",
    );
    // A p-median file announcing 1e12 points.
    let f = write(d, "cpmp.txt", "1000000000000 5\n0 0 5 1\n");
    refused(
        &tournee(&["sites", "--instance", &f]),
        "line 1: the number of points n is 1000000000000; tournee accepts at most 2,000,000",
    );
    // Settings that would make absurd fleets or loads.
    let f = write(
        d,
        "absurd.toml",
        "[fleet]\nvans = 100000000\n[demand]\nparcel_litres = 1e10\n[factors]\ndriver_eur_per_hour = 1e18\ndays_per_year = nan\n",
    );
    let o = tournee(&["plan", "--config", &f, "--osm", &small()]);
    refused(
        &o,
        "fleet.vans = 100000000: must be a whole number from 1 to 1000",
    );
    for needle in [
        "demand.parcel_litres",
        "factors.driver_eur_per_hour",
        "factors.days_per_year = nan",
    ] {
        assert!(stderr(&o).contains(needle), "{needle}: {}", stderr(&o));
    }
}

#[test]
fn issue15_strict_inputs_refuse_what_they_would_silently_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A `time_window` typed for `time_windows` dropped every window.
    let f = write(
        d,
        "typo.json",
        &vroom(r#", "time_window": [[0, 100]]"#, "", M),
    );
    refused(
        &solve(&f),
        "unknown key `time_window`; did you mean `time_windows`?",
    );
    let f = write(
        d,
        "top.json",
        &vroom("", "", M).replace("\"jobs\"", "\"job\""),
    );
    refused(&solve(&f), "did you mean `jobs`?");
    // NaN as a number of seconds or metres, an impossible date.
    for args in [
        vec!["solve", &f, "--time-limit", "NaN"],
        vec!["plan", "--time-limit", "nan"],
        vec!["plan", "--date", "2025-02-30"],
    ] {
        let o = tournee(&args);
        assert!(
            matches!(o.status.code(), Some(1) | Some(2)),
            "{args:?}: {}",
            stderr(&o)
        );
        no_panic(&o);
    }
    // Flags that do not apply to the mode chosen.
    let cpmp = write(d, "cpmp.txt", "2 1\n0 0 5 1\n1 1 5 1\n");
    let o = tournee(&["sites", "--instance", &cpmp, "--households", "h.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("'--instance <FILE>' cannot be used with '--households <CSV>'"),
        "{}",
        stderr(&o)
    );
    let o = tournee(&["sites", "--rounding", "floor"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn issue15_messages_point_the_right_way() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // No vehicle: said so, not "no road leads there" for every job.
    let f = write(
        d,
        "novehicle.json",
        r#"{"vehicles": [], "jobs": [{"id": 1, "location_index": 1}], "matrix": [[0, 10], [10, 0]]}"#,
    );
    refused(&solve(&f), "[E_NO_VEHICLE] 1 job(s) and no vehicle");
    // Households with longitude and latitude swapped: said so, with both boxes.
    let f = write(
        d,
        "swapped.csv",
        "id,lon,lat\na,42.4653,1.4909\nb,42.4640,1.4921\nc,42.4700,1.4850\n",
    );
    let o = tournee(&[
        "plan",
        "--osm",
        &small(),
        "--households",
        &f,
        "--out",
        d.join("out").to_str().unwrap(),
    ]);
    refused(&o, "3 of the 3 households of");
    assert!(
        stderr(&o).contains("longitude and latitude look swapped"),
        "{}",
        stderr(&o)
    );
    assert!(
        !d.join("out").exists(),
        "nothing written for a refused plan"
    );
}

/// The files under `dir`, relative path -> bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else {
                let rel = e.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&e).unwrap());
            }
        }
    }
    out
}

#[test]
fn issue15_a_killed_plan_leaves_the_previous_run_whole_and_marks_its_own_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let out_s = out.to_str().unwrap();
    let o = tournee(&[
        "plan",
        "--osm",
        &small(),
        "--date",
        "2026-11-25",
        "--out",
        out_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = files(&out);
    assert!(before.contains_key(".tournee-output") && before.contains_key("summary.txt"));
    // A longer run into the same folder, killed as soon as its files are being written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args([
            "plan",
            "--date",
            "2026-11-25",
            "--seed",
            "9",
            "--out",
            out_s,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partial = dir.path().join(format!("plan.partial-{}", child.id()));
    let started = std::time::Instant::now();
    while !partial.join("routes").exists() && started.elapsed().as_secs() < 120 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    // Whenever it died, the folder holds the first run, whole.
    assert_eq!(files(&out), before, "the previous run is intact");
    if partial.exists() {
        assert!(
            partial.join("INCOMPLETE.txt").exists(),
            "the unfinished run is marked"
        );
    }
    // The next run clears the dead run's folder and replaces the output as a whole.
    let o = tournee(&[
        "plan",
        "--osm",
        &small(),
        "--date",
        "2026-11-25",
        "--seed",
        "3",
        "--out",
        out_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!partial.exists(), "the unfinished run is removed");
    assert!(!files(&out).contains_key("INCOMPLETE.txt"));
}

#[test]
fn issue15_replanning_leaves_no_stale_file_and_checks_out_first() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("plan");
    let out_s = out.to_str().unwrap();
    // Small vans: several route sheets.
    let cfg = write(
        d,
        "small-vans.toml",
        "[fleet]\ncapacity_litres = 700\nreloads = false\n",
    );
    let o = tournee(&["plan", "--osm", &small(), "--config", &cfg, "--out", out_s]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(3)),
        "{}",
        stderr(&o)
    );
    assert!(out.join("routes/van-2.html").exists());
    // Default vans: one sheet, and no van-2 left from the run before.
    let o = tournee(&["plan", "--osm", &small(), "--out", out_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("routes/van-1.html").exists());
    assert!(!out.join("routes/van-2.html").exists(), "stale sheet left");
    // --out is checked before the work: a file, or a folder of the user's.
    let file = write(d, "notes.txt", "mine");
    refused(
        &tournee(&["plan", "--osm", &small(), "--out", &file]),
        "it is a file",
    );
    let mine = d.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let o = tournee(&["plan", "--osm", &small(), "--out", mine.to_str().unwrap()]);
    refused(&o, "holds files tournee did not write");
    assert!(
        !stderr(&o).contains("siting"),
        "refused before the work: {}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn issue15_searches_end_whatever_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The largest numbers accepted, in a 12-job problem: the search ends (this test would
    // never end otherwise) and its answer passes the checker.
    let n = 13;
    let row = |i: usize| {
        let cells: Vec<String> = (0..n)
            .map(|j| {
                if i == j {
                    "0".into()
                } else {
                    format!("{}", 3_000_000 + 7919 * ((i * 31 + j * 17) % 97))
                }
            })
            .collect();
        format!("[{}]", cells.join(", "))
    };
    let matrix = format!("[{}]", (0..n).map(row).collect::<Vec<_>>().join(", "));
    let jobs: Vec<String> = (1..n)
        .map(|k| format!(r#"{{"id": {k}, "location_index": {k}, "service": 1000}}"#))
        .collect();
    let text = format!(
        r#"{{"vehicles": [{{"id": 1, "start_index": 0, "end_index": 0, "costs": {{"fixed": 55000000, "per_km": 55555, "per_hour": 200000}}}},
                          {{"id": 2, "start_index": 0, "end_index": 0, "costs": {{"per_km": 55555}}}}],
            "jobs": [{}],
            "matrices": {{"car": {{"durations": {matrix}, "distances": {matrix}}}}}}}"#,
        jobs.join(", ")
    );
    let f = write(d, "largest.json", &text);
    let o = tournee(&["solve", &f, "--iterations", "3000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    no_panic(&o);
    // The whole plan stops at its time limit, with a complete output.
    let out = d.join("plan");
    let o = tournee(&[
        "plan",
        "--osm",
        data("andorra-2021-10-28.osm.pbf").to_str().unwrap(),
        "--time-limit",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(3)),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("stops within 2 s"), "{}", stderr(&o));
    assert!(out.join("summary.txt").exists() && out.join("routes/van-1.html").exists());
}

#[test]
fn issue15_a_damaged_extract_is_named_by_its_block_and_never_prints_the_decoders_panic() {
    // A way whose tag key points past the block's string table: osmpbfreader indexes out of
    // bounds (groups.rs) on it.
    let bad = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/regressions/pbf/string-index-past-its-table.osm.pbf");
    let dir = tempfile::tempdir().unwrap();
    let o = tournee(&[
        "extract",
        "--osm",
        bad.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    refused(&o, "is damaged at block 1 (byte 47)");
    assert!(
        stderr(&o).contains("download the extract again"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("index out of bounds"),
        "{}",
        stderr(&o)
    );
}
