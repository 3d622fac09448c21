//! Benchmark and exchange formats: tiny hand-checked files, malformed files (every error names
//! its file and line), and every real benchmark file of `../shared/data/benchmarks`.

use std::path::{Path, PathBuf};
use tournee::io::bks::{self, Objective};
use tournee::io::format_error::FormatError;
use tournee::io::{cvrplib, lilim, solomon, vroom};
use tournee::model::*;
use tournee::routing::check::check;
use tournee::routing::{solve, validate, Params};

/// The shared benchmark folder, beside the crate (absent: tests print a note and pass).
const BENCHMARKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/benchmarks");

fn benchmarks(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(BENCHMARKS).join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!(
        "note: {} is absent; skipping the real-file checks",
        dir.display()
    );
    None
}

/// Every file of `dir` ending in `ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// Writes `text` to `name` in a fresh folder, and reads it with `reader`.
fn read_tmp(
    name: &str,
    text: &str,
    reader: fn(&Path) -> Result<Problem, FormatError>,
) -> Result<Problem, FormatError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    reader(&path)
}

/// The error message of a malformed file; it names the file and `line`.
fn error_at(
    name: &str,
    text: &str,
    reader: fn(&Path) -> Result<Problem, FormatError>,
    line: usize,
) -> String {
    let e = read_tmp(name, text, reader).expect_err("a malformed file");
    let msg = e.to_string();
    assert!(msg.contains(name), "{msg}");
    assert!(
        msg.contains(&format!("line {line}:")) || msg.contains(&format!("line {line},")),
        "expected line {line}: {msg}"
    );
    msg
}

/// One route per job, each on its own vehicle, leaving at the vehicle's shift start.
fn one_route_per_job(p: &Problem) -> Solution {
    assert!(
        p.vehicles.len() >= p.jobs.len(),
        "{}: not enough vehicles",
        p.name
    );
    let routes = (0..p.jobs.len())
        .map(|j| Route {
            vehicle: VehicleIdx(j as u32),
            departure: p.vehicles[j].shift.start,
            visits: (0..p.jobs[j].stops.len() as u8)
                .map(|stop| Visit {
                    job: JobIdx(j as u32),
                    stop,
                })
                .collect(),
            reloads: vec![],
        })
        .collect();
    Solution {
        routes,
        unassigned: vec![],
    }
}

/// Enough copies of the first vehicle for [`one_route_per_job`].
fn with_fleet_per_job(mut p: Problem) -> Problem {
    let v = p.vehicles[0].clone();
    p.vehicles = (0..p.jobs.len())
        .map(|k| Vehicle {
            id: format!("v{k}"),
            ..v.clone()
        })
        .collect();
    p
}

fn round_trips(p: &Problem) -> i64 {
    p.jobs
        .iter()
        .map(|j| {
            p.distances.get(LocIdx(0), j.stops[0].location).0
                + p.distances.get(j.stops[0].location, LocIdx(0)).0
        })
        .sum()
}

// --- CVRPLIB --------------------------------------------------------------------------------

/// Depot (0,0); customers (3,4) demand 4, (6,8) demand 5, (1,1) demand 3; capacity 10.
/// nint distances: 0-2: 5, 0-3: 10, 0-4: 1, 2-3: 5, 2-4: 4, 3-4: 9.
const CVRP: &str = "NAME : tiny\nCOMMENT : hand-made\nTYPE : CVRP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 1 1\nDEMAND_SECTION\n1 0\n2 4\n3 5\n4 3\nDEPOT_SECTION\n1\n-1\nEOF\n";

#[test]
fn cvrp_tiny_one_route_per_customer_is_checked_and_written() {
    let p = read_tmp("tiny.vrp", CVRP, cvrplib::read).unwrap();
    validate(&p).unwrap();
    assert_eq!(
        (p.jobs.len(), p.vehicles.len(), p.scale.per_unit),
        (3, 3, 1)
    );
    assert_eq!(
        p.jobs.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        ["2", "3", "4"]
    );
    let s = one_route_per_job(&p);
    let report = check(&p, &s).unwrap();
    assert_eq!(report.cost, Cost(2 * (5 + 10 + 1)));
    assert_eq!(
        cvrplib::write_sol(&p, &s, report.cost),
        "Route #1: 1\nRoute #2: 2\nRoute #3: 3\nCost 32\n"
    );
}

#[test]
fn cvrp_tiny_solved_to_its_optimum() {
    // {2, 3} together (demand 9): 5 + 5 + 10 = 20, {4} alone: 2. Every other split costs 30.
    let p = read_tmp("tiny.vrp", CVRP, cvrplib::read).unwrap();
    let (s, _) = solve(
        &p,
        &Params {
            seed: 3,
            threads: 1,
            iterations: 300,
            time_limit: None,
        },
    );
    let report = check(&p, &s).unwrap();
    assert_eq!(report.cost, Cost(22));
    let text = cvrplib::write_sol(&p, &s, report.cost);
    let mut customers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(": "))
        .flat_map(|(_, c)| c.split(' '))
        .collect();
    customers.sort();
    assert_eq!(customers, ["1", "2", "3"]);
    assert!(text.ends_with("Cost 22\n"), "{text}");
}

#[test]
fn cvrp_malformed_files_name_the_line() {
    let r = cvrplib::read;
    error_at("e.vrp", "", r, 1);
    error_at("e.vrp", &CVRP.replace("CAPACITY : 10\n", ""), r, 19);
    error_at("e.vrp", &CVRP.replace("2 3 4\n", "2 3 4 5\n"), r, 9);
    error_at("e.vrp", &CVRP.replace("3 6 8\n", "3 6 eight\n"), r, 10);
    error_at("e.vrp", &CVRP.replace("3 5\n", "3 -5\n"), r, 15);
    error_at(
        "e.vrp",
        &CVRP.replace("DEMAND_SECTION\n1 0\n2 4\n3 5\n4 3\n", ""),
        r,
        15,
    );
    let e = error_at("e.vrp", &CVRP.replace("EUC_2D", "ATT"), r, 5);
    assert!(e.contains("EUC_2D or EXPLICIT"), "{e}");
    let missing = cvrplib::read(Path::new("/nonexistent/x.vrp")).unwrap_err();
    assert!(
        matches!(missing, FormatError::Io { .. })
            && missing.to_string().contains("/nonexistent/x.vrp")
    );
}

#[test]
fn cvrp_every_benchmark_file() {
    let Some(dir) = benchmarks("cvrp") else {
        return;
    };
    let all = files(&dir, "vrp");
    assert_eq!(all.len(), 11);
    for f in all {
        let p = cvrplib::read(&f).unwrap_or_else(|e| panic!("{e}"));
        let n: usize = p
            .name
            .split('-')
            .nth(1)
            .and_then(|s| s.strip_prefix('n'))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(p.jobs.len(), n - 1, "{}", p.name);
        assert_eq!(p.vehicles.len(), n - 1);
        validate(&p).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        // One route per customer is feasible and costs the sum of round trips.
        let report =
            check(&p, &one_route_per_job(&p)).unwrap_or_else(|v| panic!("{}: {v:?}", p.name));
        assert_eq!(report.cost.0, round_trips(&p));
    }
}

// --- Solomon --------------------------------------------------------------------------------

/// Two customers and two vehicles. Distances (x10, truncated): depot-1: sqrt(349) = 18.68 -> 186,
/// depot-2: sqrt(260) = 16.12 -> 161.
const SOLOMON: &str =
    "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         20\r\n\r\nCUSTOMER\r\n\
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n\
    0      40         50          0          0       1236          0   \r\n\
    1      45         68         10        912        967         90   \r\n\
    2      42         66         10         65        146         90   \r\n";

#[test]
fn solomon_tiny_windows_are_scaled_and_one_route_per_customer_is_checked() {
    let p = read_tmp("tiny.txt", SOLOMON, solomon::read).unwrap();
    validate(&p).unwrap();
    assert_eq!(p.scale, Scale { per_unit: 10 });
    assert_eq!(
        p.jobs[0].stops[0].time_windows,
        vec![TimeWindow::new(9120, 9670)]
    );
    assert_eq!(p.jobs[1].stops[0].service, Time(900));
    assert_eq!(p.vehicles[0].shift, TimeWindow::new(0, 12360));
    let s = one_route_per_job(&p);
    let report = check(&p, &s).unwrap();
    assert_eq!(report.cost, Cost(2 * 186 + 2 * 161));
    // Customer 1: arrives at 186, waits until 9120, serves 900, back at 10020 + 186.
    let r = &report.routes[0];
    assert_eq!(
        (r.steps[1].arrival, r.steps[1].waiting, r.steps[2].arrival),
        (Time(186), Time(9120 - 186), Time(10206))
    );
}

#[test]
fn solomon_malformed_files_name_the_line() {
    let r = solomon::read;
    error_at("s.txt", "", r, 1);
    error_at("s.txt", "C101\r\n\r\nVEHICLE\r\n", r, 3);
    error_at(
        "s.txt",
        &SOLOMON.replace("  2         20", "  two       20"),
        r,
        5,
    );
    error_at("s.txt", &SOLOMON.replace("90   \r\n2", "\r\n2"), r, 11);
    error_at(
        "s.txt",
        &SOLOMON.replace("10         65", "-10         65"),
        r,
        12,
    );
    error_at(
        "s.txt",
        &SOLOMON.replace("65        146", "165        146"),
        r,
        12,
    );
}

#[test]
fn solomon_and_homberger_every_benchmark_file() {
    for (sub, count) in [("vrptw/solomon", 54), ("vrptw/homberger", 10)] {
        let Some(dir) = benchmarks(sub) else { return };
        let all = files(&dir, "txt");
        assert_eq!(all.len(), count, "{sub}");
        for f in all {
            let p = solomon::read(&f).unwrap_or_else(|e| panic!("{e}"));
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            assert!(p.name.eq_ignore_ascii_case(&stem), "{} in {stem}", p.name);
            // Homberger names end in _<hundreds>_<k>: c1_2_1 has 200 customers.
            let n = match stem.split('_').nth(1) {
                Some(h) => h.parse::<usize>().unwrap() * 100,
                None => 100,
            };
            assert_eq!(p.jobs.len(), n, "{stem}");
            validate(&p).unwrap_or_else(|e| panic!("{stem}: {e}"));
            // Every customer can be served alone within its window and the depot's.
            let p = with_fleet_per_job(p);
            let report = check(&p, &one_route_per_job(&p))
                .unwrap_or_else(|v| panic!("{stem}: {:?}", &v[..v.len().min(3)]));
            assert_eq!(report.cost.0, round_trips(&p));
        }
    }
}

// --- Li & Lim -------------------------------------------------------------------------------

/// One pair: pickup 1 at (45,68) in [65, 146], its delivery 2 at (42,66) in [912, 967].
const LILIM: &str = "2\t50\t1\r\n0\t40\t50\t0\t0\t1236\t0\t0\t0\r\n1\t45\t68\t10\t65\t146\t90\t0\t2\r\n2\t42\t66\t-10\t912\t967\t90\t1\t0\r\n";

#[test]
fn lilim_tiny_pair_is_one_shipment_and_its_route_is_checked() {
    let p = read_tmp("lc0.txt", LILIM, lilim::read).unwrap();
    validate(&p).unwrap();
    assert_eq!(p.jobs.len(), 1);
    let j = &p.jobs[0];
    assert_eq!(
        (j.id.as_str(), j.kind, j.amount),
        ("p1-d2", JobKind::Shipment, Load::single(10))
    );
    let s = one_route_per_job(&p);
    let report = check(&p, &s).unwrap();
    // depot -> pickup 186, pickup -> delivery sqrt(13) = 3.6 -> 36, delivery -> depot 161.
    assert_eq!(report.cost, Cost(186 + 36 + 161));
    let loads: Vec<Load> = report.routes[0].steps.iter().map(|s| s.load).collect();
    assert_eq!(
        loads,
        [Load::ZERO, Load::single(10), Load::ZERO, Load::ZERO]
    );
}

#[test]
fn lilim_malformed_files_name_the_line() {
    let r = lilim::read;
    error_at("l.txt", "", r, 1);
    error_at("l.txt", "2\t50\r\n", r, 1);
    error_at("l.txt", &LILIM.replace("\t90\t0\t2", "\t90\t0"), r, 3);
    let e = error_at("l.txt", &LILIM.replace("\t90\t0\t2", "\t90\t0\t3"), r, 3);
    assert!(e.contains("node 3"), "{e}");
    let e = error_at("l.txt", &LILIM.replace("-10\t912", "-20\t912"), r, 3);
    assert!(e.contains("drops 20"), "{e}");
}

#[test]
fn lilim_every_benchmark_file() {
    let Some(dir) = benchmarks("pdptw") else {
        return;
    };
    let pairs = [
        ("lc101", 53),
        ("lc1_2_1", 106),
        ("lc1_4_1", 211),
        ("lc201", 51),
        ("lr101", 53),
        ("lr1_2_1", 105),
        ("lr1_4_1", 208),
        ("lr201", 51),
        ("lrc101", 53),
        ("lrc1_2_1", 106),
        ("lrc201", 51),
    ];
    let all = files(&dir, "txt");
    assert_eq!(all.len(), pairs.len());
    for (f, (name, n)) in all.iter().zip(pairs) {
        let p = lilim::read(f).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.name.as_str(), p.jobs.len()), (name, n));
        assert_eq!(p.num_locations(), 2 * n + 1);
        validate(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        let p = with_fleet_per_job(p);
        check(&p, &one_route_per_job(&p))
            .unwrap_or_else(|v| panic!("{name}: {:?}", &v[..v.len().min(3)]));
    }
}

// --- VROOM ----------------------------------------------------------------------------------

const VROOM: &str = r#"{
  "vehicles": [{"id": 7, "start_index": 0, "end_index": 0, "capacity": [10, 2]}],
  "jobs": [{"id": 1, "location_index": 1, "delivery": [4, 1], "service": 60},
           {"id": 2, "location_index": 2, "pickup": [3, 0]}],
  "matrices": {"car": {"durations": [[0, 100, 200], [100, 0, 150], [200, 150, 0]],
                       "distances": [[0, 1000, 2000], [1000, 0, 1500], [2000, 1500, 0]]}}
}"#;

#[test]
fn vroom_round_trip_through_solver_checker_and_writer() {
    let p = read_tmp("p.json", VROOM, vroom::read).unwrap();
    validate(&p).unwrap();
    assert_eq!(
        (p.dims, p.jobs[1].kind, p.vehicles[0].capacity),
        (2, JobKind::Pickup, Load::from_slice(&[10, 2]))
    );
    let (s, _) = solve(
        &p,
        &Params {
            seed: 1,
            threads: 1,
            iterations: 50,
            time_limit: None,
        },
    );
    let report = check(&p, &s).unwrap();
    assert_eq!(report.cost, Cost(100 + 150 + 200));
    let out = vroom::write_solution(&p, &s, &report);
    assert_eq!(out["summary"]["cost"], 450);
    assert_eq!(out["summary"]["distance"], 4500);
    assert_eq!(out["summary"]["delivery"], serde_json::json!([4, 1]));
    assert_eq!(out["summary"]["pickup"], serde_json::json!([3, 0]));
    let route = &out["routes"][0];
    assert_eq!(route["vehicle"], 7);
    assert_eq!(route["steps"].as_array().unwrap().len(), 4);
    assert_eq!(route["steps"][0]["load"], serde_json::json!([4, 1]));
    assert_eq!(route["steps"][3]["arrival"], 450 + 60);
}

#[test]
fn vroom_malformed_files_name_the_line_or_the_object() {
    let r = vroom::read;
    error_at("p.json", "", r, 1);
    error_at(
        "p.json",
        &VROOM.replace("\"service\": 60", "\"service\": \"long\""),
        r,
        3,
    );
    let e = error_at(
        "p.json",
        &VROOM.replace(
            "\"pickup\": [3, 0]",
            "\"pickup\": [3, 0], \"delivery\": [1, 0]",
        ),
        r,
        4,
    );
    assert!(e.contains("mixed"), "{e}");
    let coords = VROOM.replace("\"location_index\": 2", "\"location\": [1.5, 42.5]");
    let e = error_at("p.json", &coords, r, 4);
    assert!(e.contains("tournee matrix"), "{e}");
    let e = read_tmp(
        "p.json",
        &VROOM.replace("\"location_index\": 2", "\"location_index\": 3"),
        r,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("p.json, jobs[1] (id 2): location index 3 is outside the 3 x 3 matrix"),
        "{e}"
    );
}

// --- Best-known solutions -------------------------------------------------------------------

#[test]
fn bks_tables_cover_the_benchmark_files() {
    let Some(dir) = benchmarks("") else { return };
    let distance = bks::read_bks(&dir.join("bks.csv"), Objective::Distance).unwrap();
    let classical = bks::read_bks(&dir.join("bks.csv"), Objective::Hierarchical).unwrap();
    assert_eq!(distance["X-n101-k25"].cost, 27591.0);
    assert_eq!(distance["X-n101-k25"].vehicles, Some(26));
    assert_eq!(
        (distance["C101"].cost, classical["C101"].cost),
        (827.3, 828.94)
    );
    assert_eq!(
        bks::find(&classical, "LR101").map(|b| b.vehicles),
        Some(Some(19))
    );
    for f in files(&dir.join("cvrp"), "vrp")
        .iter()
        .chain(&files(&dir.join("vrptw/solomon"), "txt"))
    {
        let stem = f.file_stem().unwrap().to_string_lossy();
        assert!(
            distance.contains_key(stem.as_ref()),
            "no distance BKS for {stem}"
        );
    }
    for f in files(&dir.join("pdptw"), "txt")
        .iter()
        .chain(&files(&dir.join("vrptw/homberger"), "txt"))
    {
        let stem = f.file_stem().unwrap().to_string_lossy();
        assert!(
            bks::find(&classical, &stem).is_some(),
            "no classical BKS for {stem}"
        );
    }
    let clustering =
        bks::read_bks(&dir.join("clustering/best_known.csv"), Objective::Distance).unwrap();
    assert_eq!(
        (clustering["cpmp01"].cost, clustering["cpmp01"].medians),
        (713.0, Some(5))
    );
    assert!(clustering.len() >= 50);
}

#[test]
fn bks_malformed_tables_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bks.csv");
    std::fs::write(&path, "instance,bks_cost\nC101,827.3\nC102,\n").unwrap();
    let e = bks::read_bks(&path, Objective::Distance)
        .unwrap_err()
        .to_string();
    assert!(e.contains("bks.csv, line 3") && e.contains("C102"), "{e}");
}
