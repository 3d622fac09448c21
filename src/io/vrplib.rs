//! PyVRP's VRPLIB dialect for the problem variants beyond CVRP: multi-depot VRPTW
//! (`TYPE: MDVRPTW`, Vidal et al. 2013) and its solutions, as the best-known `.sol` files
//! write them.
//!
//! ```text
//! NAME: PR11A
//! TYPE: MDVRPTW
//! EDGE_WEIGHT_TYPE: EUC_2D
//! DIMENSION: 364
//! VEHICLES: 40
//! CAPACITY: 200
//! VEHICLES_MAX_DURATION: 450
//! NODE_COORD_SECTION        id x y
//! DEMAND_SECTION            id demand
//! SERVICE_TIME_SECTION      id service
//! TIME_WINDOW_SECTION       id early late
//! VEHICLES_DEPOT_SECTION    vehicle depot
//! DEPOT_SECTION             depot ids, one per line
//! EOF
//! ```
//!
//! Conventions (PyVRP's `exact` rounding, which the best knowns use): every distance, duration,
//! time window, service time and the maximum duration are the file's values times 1,000,
//! rounded to the nearest integer; travel time equals distance; the objective is the total
//! distance. Node `i` (1-based) is location `i - 1`; the depots are the nodes of
//! `DEPOT_SECTION`, every other node is a delivery job (id = its node number); vehicle `k` of
//! `VEHICLES_DEPOT_SECTION` starts and ends at its depot, within the depot's time window. A
//! solution lists, per vehicle in order (`Route #k:`, empty for an unused vehicle), the
//! location indices of its clients, then `Cost: X`.

use super::format_error::FormatError;
use super::text::{self, count_within, euclid_tenths, int, int_at_least, real, tenths, Lines};
use crate::model::limits::{MAX_LOCATIONS, MAX_VEHICLES};
use crate::model::{
    Cost, Costs, Dist, Job, Load, LocIdx, Problem, Solution, SquareMatrix, Stop, Time, TimeWindow,
    Vehicle,
};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Scale of PyVRP's `exact` rounding.
const EXACT: f64 = 1000.0;

/// The problem types this reader knows.
pub const TYPES: &[&str] = &["MDVRPTW", "MTVRPTWR"];

/// Reads a `.vrp` file of the dialect.
pub fn read(path: &Path) -> Result<Problem, FormatError> {
    parse(path, &text::read_text(path)?)
}

/// The `TYPE` of a VRPLIB text, upper case, if its header has one.
pub fn problem_type(text: &str) -> Option<String> {
    text.lines()
        .take_while(|l| !l.trim_end().ends_with("SECTION"))
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("TYPE"))
        .map(|(_, v)| v.trim().to_ascii_uppercase())
}

/// A section row: its line and its tokens.
type Row = (usize, Vec<String>);

fn exact(v: f64) -> i64 {
    (v * EXACT).round() as i64
}

/// Parses the text of a file; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Problem, FormatError> {
    let mut lines = Lines::new(path, text);
    let mut header: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut sections: BTreeMap<String, (usize, Vec<Row>)> = BTreeMap::new();
    let mut current: Option<String> = None;
    while let Some((ln, line)) = lines.next_line() {
        if line.eq_ignore_ascii_case("EOF") {
            break;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if first.to_ascii_uppercase().ends_with("_SECTION") {
            let name = first.to_ascii_uppercase();
            if sections.contains_key(&name) {
                return Err(lines.err(ln, format!("{name} appears twice")));
            }
            sections.insert(name.clone(), (ln, Vec::new()));
            current = Some(name);
            continue;
        }
        if let (Some((k, v)), false) = (
            line.split_once(':'),
            first.starts_with(|c: char| c.is_ascii_digit() || c == '-'),
        ) {
            header.insert(k.trim().to_ascii_uppercase(), (ln, v.trim().to_string()));
            current = None;
            continue;
        }
        match &current {
            Some(s) => sections
                .get_mut(s)
                .expect("section opened")
                .1
                .push((ln, line.split_whitespace().map(str::to_string).collect())),
            None => {
                return Err(lines.err(
                    ln,
                    format!(
                        "unexpected line {line:?}: expected `KEY: value` or a *_SECTION keyword"
                    ),
                ))
            }
        }
    }
    let get = |k: &str| header.get(k).map(|(l, v)| (*l, v.as_str()));
    let missing = |what: &str| lines.at_end(format!("the file has no {what}"));
    let (tl, kind) = get("TYPE").ok_or_else(|| missing("TYPE"))?;
    if !TYPES.iter().any(|t| kind.eq_ignore_ascii_case(t)) {
        return Err(lines.err(
            tl,
            format!("TYPE is {kind}; this reader reads {}", TYPES.join(", ")),
        ));
    }
    if let Some((l, w)) = get("EDGE_WEIGHT_TYPE") {
        if !w.eq_ignore_ascii_case("EUC_2D") {
            return Err(lines.err(
                l,
                format!("EDGE_WEIGHT_TYPE {w} is not supported; use EUC_2D"),
            ));
        }
    }
    // MTVRPTWR: the DIMACS convention (times x 10, distances truncated to one decimal).
    let multi_trip = kind.eq_ignore_ascii_case("MTVRPTWR");
    let scale = |v: f64| if multi_trip { tenths(v) } else { exact(v) };
    let (dl, dim) = get("DIMENSION").ok_or_else(|| missing("DIMENSION"))?;
    let n = count_within(path, dl, dim, "DIMENSION", 2, MAX_LOCATIONS)?;
    let (cl, cap) = get("CAPACITY").ok_or_else(|| missing("CAPACITY"))?;
    let capacity = int_at_least(path, cl, cap, "CAPACITY", 1)?;
    let (vl, veh) = get("VEHICLES").ok_or_else(|| missing("VEHICLES"))?;
    let vehicles = count_within(path, vl, veh, "VEHICLES", 1, MAX_VEHICLES)?;
    let max_duration = match get("VEHICLES_MAX_DURATION") {
        Some((l, v)) => {
            let d = real(path, l, v, "VEHICLES_MAX_DURATION")?;
            if d < 0.0 {
                return Err(lines.err(l, "VEHICLES_MAX_DURATION must be >= 0"));
            }
            Some(Time(scale(d)))
        }
        None => None,
    };
    let service_all = match get("SERVICE_TIME") {
        Some((l, v)) => {
            let d = real(path, l, v, "SERVICE_TIME")?;
            if d < 0.0 {
                return Err(lines.err(l, "SERVICE_TIME must be >= 0"));
            }
            Some(d)
        }
        None => None,
    };
    // Sizes are checked against the file's content before anything is allocated by them.
    let rows_of = |name: &str| -> Result<&Vec<Row>, FormatError> {
        sections
            .get(name)
            .map(|s| &s.1)
            .ok_or_else(|| missing(name))
    };
    let table = |name: &str,
                 rows: usize,
                 width: usize|
     -> Result<Vec<(usize, Vec<f64>)>, FormatError> {
        let r = rows_of(name)?;
        if r.len() != rows {
            let at = sections[name].0;
            return Err(lines.err(at, format!("{name} has {} rows, expected {rows}", r.len())));
        }
        r.iter()
            .enumerate()
            .map(|(k, (l, tok))| {
                if tok.len() != width {
                    return Err(lines.err(*l, format!("{name} row has {} values, expected {width}", tok.len())));
                }
                let id = int(path, *l, &tok[0], "the node number")?;
                if id != k as i64 + 1 {
                    return Err(lines.err(*l, format!("number {id} where {} was expected: rows must be numbered 1..{rows} in order", k + 1)));
                }
                let values = tok[1..]
                    .iter()
                    .map(|t| real(path, *l, t, name))
                    .collect::<Result<Vec<f64>, _>>()?;
                Ok((*l, values))
            })
            .collect()
    };
    let coords: Vec<(f64, f64)> = table("NODE_COORD_SECTION", n, 3)?
        .into_iter()
        .map(|(_, v)| (v[0], v[1]))
        .collect();
    let demand = table("DEMAND_SECTION", n, 2)?;
    // Service: a section, or one SERVICE_TIME for every client (depots none).
    let service: Vec<(usize, Vec<f64>)> =
        match (sections.contains_key("SERVICE_TIME_SECTION"), service_all) {
            (true, _) | (false, None) => table("SERVICE_TIME_SECTION", n, 2)?,
            (false, Some(s)) => (0..n).map(|_| (0, vec![s])).collect(),
        };
    let windows = table("TIME_WINDOW_SECTION", n, 3)?;
    let release = if sections.contains_key("RELEASE_TIME_SECTION") {
        Some(table("RELEASE_TIME_SECTION", n, 2)?)
    } else {
        None
    };
    let mut depots = Vec::new();
    for (l, tok) in rows_of("DEPOT_SECTION")? {
        for t in tok {
            let d = int(path, *l, t, "the depot")?;
            if d == -1 {
                continue;
            }
            if !(1..=n as i64).contains(&d) {
                return Err(lines.err(*l, format!("depot {d} is not a node (1..{n})")));
            }
            depots.push(d as usize - 1);
        }
    }
    if depots.is_empty() {
        return Err(missing("depot in DEPOT_SECTION"));
    }
    depots.sort_unstable();
    depots.dedup();
    // Each vehicle's depot, from a `vehicle depot` section (`None`: the first depot).
    let per_vehicle = |name: &str| -> Result<Option<Vec<usize>>, FormatError> {
        let Some((at, r)) = sections.get(name) else {
            return Ok(None);
        };
        if r.len() != vehicles {
            return Err(lines.err(
                *at,
                format!("{name} has {} rows, VEHICLES is {vehicles}", r.len()),
            ));
        }
        r.iter()
            .enumerate()
            .map(|(k, (l, tok))| {
                if tok.len() != 2 || int(path, *l, &tok[0], "the vehicle")? != k as i64 + 1 {
                    return Err(lines.err(*l, format!("expected `{} depot`", k + 1)));
                }
                let d = int(path, *l, &tok[1], "the depot")?;
                if d < 1 || !depots.contains(&(d as usize - 1)) {
                    return Err(lines.err(*l, format!("depot {d} is not in DEPOT_SECTION")));
                }
                Ok(d as usize - 1)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    };
    let vehicle_depot = match per_vehicle("VEHICLES_DEPOT_SECTION")? {
        Some(v) => v,
        None if multi_trip => vec![depots[0]; vehicles],
        None => return Err(missing("VEHICLES_DEPOT_SECTION")),
    };
    let reload_depot = per_vehicle("VEHICLES_RELOAD_DEPOT_SECTION")?;
    let d = SquareMatrix::from_fn(n, |i, j| {
        let (a, b) = (coords[i], coords[j]);
        if multi_trip {
            euclid_tenths(a, b)
        } else {
            exact((a.0 - b.0).hypot(a.1 - b.1))
        }
    });
    let values = d.values();
    let durations =
        SquareMatrix::from_rows(n, values.iter().map(|&v| Time(v)).collect()).expect("n x n");
    let distances =
        SquareMatrix::from_rows(n, values.iter().map(|&v| Dist(v)).collect()).expect("n x n");
    let name = get("NAME").map_or_else(
        || {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        },
        |(_, v)| v.to_string(),
    );
    let mut p = Problem::new(name, durations, distances);
    p.coords = coords;
    for i in 0..n {
        if depots.contains(&i) {
            continue;
        }
        let (l, q) = (demand[i].0, demand[i].1[0]);
        if q < 0.0 || q.fract() != 0.0 {
            return Err(lines.err(
                l,
                format!(
                    "the demand of node {} is {q}; it must be a whole number >= 0",
                    i + 1
                ),
            ));
        }
        let (wl, w) = (&windows[i].0, &windows[i].1);
        if w[1] < w[0] {
            return Err(lines.err(
                *wl,
                format!("node {}: its time window ends before it starts", i + 1),
            ));
        }
        let s = service[i].1[0];
        if s < 0.0 {
            return Err(lines.err(
                service[i].0,
                format!("node {}: negative service time", i + 1),
            ));
        }
        let mut job = Job::delivery(
            (i + 1).to_string(),
            Stop::at(i, scale(s)).window(scale(w[0]), scale(w[1])),
            Load::single(q as i64),
        );
        if let Some(r) = &release {
            let (rl, x) = (r[i].0, r[i].1[0]);
            if x < 0.0 {
                return Err(lines.err(rl, format!("node {}: negative release time", i + 1)));
            }
            job.release = Time(scale(x));
        }
        p.jobs.push(job);
    }
    for (k, &depot) in vehicle_depot.iter().enumerate() {
        let mut v = Vehicle::new((k + 1).to_string(), depot, Load::single(capacity));
        v.costs = Costs::DISTANCE;
        v.max_duration = max_duration;
        let w = &windows[depot].1;
        v.shift = TimeWindow::new(scale(w[0]), scale(w[1]));
        if let Some(r) = &reload_depot {
            v.reloads = vec![LocIdx(r[k] as u32)];
        }
        p.vehicles.push(v);
    }
    if multi_trip {
        p.scale = crate::model::Scale { per_unit: 10 };
    }
    Ok(p)
}

/// The solution as the best-known files write it: `Route #k:` for every vehicle `k` in order
/// (empty when unused) with its clients' location indices, then `Cost: X` (the checked cost,
/// in the file's exact units).
pub fn write_sol(problem: &Problem, solution: &Solution, cost: Cost) -> String {
    let mut by_vehicle = vec![Vec::new(); problem.vehicles.len()];
    for r in &solution.routes {
        let mut locs = Vec::with_capacity(r.visits.len() + r.reloads.len());
        let mut reloads = r.reloads.iter().peekable();
        for (k, v) in r.visits.iter().enumerate() {
            while let Some(reload) = reloads.next_if(|x| x.before == k) {
                locs.push(reload.at.0);
            }
            locs.push(problem.jobs[v.job.ix()].stops[v.stop as usize].location.0);
        }
        by_vehicle[r.vehicle.ix()] = locs;
    }
    let mut out = String::new();
    for (k, locs) in by_vehicle.iter().enumerate() {
        let _ = write!(out, "Route #{}:", k + 1);
        for l in locs {
            let _ = write!(out, " {l}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Cost: {}", cost.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::check::check;

    const TINY: &str = "NAME: tiny\nTYPE: MDVRPTW\nEDGE_WEIGHT_TYPE: EUC_2D\nDIMENSION: 5\nVEHICLES: 2\nCAPACITY: 10\nVEHICLES_MAX_DURATION: 100\nNODE_COORD_SECTION\n1 0 0\n2 10 0\n3 1 0\n4 2 0\n5 11 0\nDEMAND_SECTION\n1 0\n2 0\n3 4\n4 4\n5 5\nSERVICE_TIME_SECTION\n1 0\n2 0\n3 1\n4 1\n5 1\nTIME_WINDOW_SECTION\n1 0 1000\n2 0 1000\n3 0 50\n4 0 50\n5 0 50\nVEHICLES_DEPOT_SECTION\n1 1\n2 2\nDEPOT_SECTION\n1\n2\nEOF\n";

    const MULTI: &str = "NAME: m\nTYPE: MTVRPTWR\nEDGE_WEIGHT_TYPE: EUC_2D\nDIMENSION: 4\nVEHICLES: 1\nCAPACITY: 10\nSERVICE_TIME: 2\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 -3 -4\n4 1 1\nDEMAND_SECTION\n1 0\n2 6\n3 6\n4 1\nTIME_WINDOW_SECTION\n1 0 1000\n2 0 1000\n3 0 1000\n4 0 1000\nRELEASE_TIME_SECTION\n1 0\n2 0\n3 12.5\n4 0\nVEHICLES_RELOAD_DEPOT_SECTION\n1 1\nDEPOT_SECTION\n1\n-1\nEOF\n";

    #[test]
    fn reads_multi_trip_files_in_tenths_and_writes_reloads_as_zeros() {
        let p = parse(Path::new("m.vrp"), MULTI).unwrap();
        assert_eq!(p.scale.per_unit, 10);
        assert_eq!(p.vehicles[0].reloads, vec![LocIdx(0)]);
        assert_eq!(p.vehicles[0].shift, TimeWindow::new(0, 10_000));
        // Distances truncated to one decimal (sqrt 2 = 1.414 -> 14), times x 10.
        assert_eq!(p.distances.get(LocIdx(0), LocIdx(3)), Dist(14));
        assert_eq!(p.distances.get(LocIdx(0), LocIdx(1)), Dist(50));
        assert_eq!(p.jobs[1].release, Time(125));
        assert_eq!(p.jobs[0].stops[0].service, Time(20));
        let (s, report, _) = crate::routing::solve_checked(
            &p,
            &crate::routing::Params {
                seed: 1,
                threads: 1,
                iterations: 500,
                time_limit: None,
            },
        )
        .unwrap();
        assert!(s.unassigned.is_empty() && s.routes[0].reloads.len() == 1);
        let sol = write_sol(&p, &s, report.cost);
        let route = sol.lines().next().unwrap();
        assert_eq!(
            route.split_whitespace().filter(|t| *t == "0").count(),
            1,
            "{sol}"
        );
        assert!(sol.contains(&format!("Cost: {}", report.cost.0)));
    }

    #[test]
    fn reads_depots_vehicles_and_exact_rounding() {
        let p = parse(Path::new("tiny.vrp"), TINY).unwrap();
        assert_eq!(p.jobs.len(), 3);
        assert_eq!(p.vehicles.len(), 2);
        assert_eq!(p.vehicles[1].start.map(|l| l.0), Some(1));
        assert_eq!(p.vehicles[0].max_duration, Some(Time(100_000)));
        assert_eq!(
            p.durations
                .get(crate::model::LocIdx(0), crate::model::LocIdx(2)),
            Time(1000)
        );
        assert_eq!(p.jobs[0].stops[0].service, Time(1000));
        assert_eq!(problem_type(TINY).as_deref(), Some("MDVRPTW"));
        let (s, _) = crate::routing::solve(
            &p,
            &crate::routing::Params {
                iterations: 200,
                ..Default::default()
            },
        );
        let report = check(&p, &s).unwrap();
        // Clients 3 and 4 from depot 1 (0-1-2-1-0: 4,000), client 5 from depot 2 (2,000).
        assert_eq!(report.cost.0, 6_000);
        let sol = write_sol(&p, &s, report.cost);
        assert_eq!(sol.lines().count(), 3);
        assert!(sol.ends_with("Cost: 6000\n"), "{sol}");
        assert!(sol.contains("Route #2: 4\n"), "{sol}");
    }

    #[test]
    fn errors_name_the_line() {
        let bad = TINY.replace(
            "VEHICLES_DEPOT_SECTION\n1 1\n2 2",
            "VEHICLES_DEPOT_SECTION\n1 1\n2 3",
        );
        let e = parse(Path::new("t.vrp"), &bad).unwrap_err().to_string();
        assert!(e.contains("line") && e.contains("depot 3"), "{e}");
        let bad = TINY.replace("TYPE: MDVRPTW", "TYPE: CVRP");
        assert!(parse(Path::new("t.vrp"), &bad)
            .unwrap_err()
            .to_string()
            .contains("MDVRPTW"));
        let bad = TINY.replace("5 11 0\n", "");
        let e = parse(Path::new("t.vrp"), &bad).unwrap_err().to_string();
        assert!(e.contains("NODE_COORD_SECTION has 4 rows"), "{e}");
    }
}
