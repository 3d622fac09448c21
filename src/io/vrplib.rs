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
//! Every key and section of the file is read or refused with its line, never ignored: the
//! specifications [`KEYS`] and the sections [`SECTIONS`] are read (`VEHICLES_MAX_DISTANCE` and
//! `VEHICLES_MAX_DURATION`, or their per-vehicle `_SECTION`s, bound each route, and the checker
//! holds every solution to them; `CAPACITY_SECTION` gives each vehicle its capacity;
//! `LINEHAUL_SECTION` is `DEMAND_SECTION`); PyVRP's others ([`NOT_READ`]: prizes, backhauls,
//! explicit weights...) would make another problem, and an unknown key is named with the closest
//! known one. A key or section given twice is refused with both lines.
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
use crate::model::limits::{MAX_LOCATIONS, MAX_VALUE, MAX_VEHICLES};
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

/// The specifications (`KEY: value`) of the dialect that tournee reads.
pub const KEYS: &[&str] = &[
    "NAME",
    "COMMENT",
    "TYPE",
    "EDGE_WEIGHT_TYPE",
    "DIMENSION",
    "CAPACITY",
    "VEHICLES",
    "SERVICE_TIME",
    "VEHICLES_MAX_DURATION",
    "VEHICLES_MAX_DISTANCE",
];

/// The data sections of the dialect that tournee reads (`LINEHAUL_SECTION` is PyVRP's other
/// name of `DEMAND_SECTION`).
pub const SECTIONS: &[&str] = &[
    "NODE_COORD_SECTION",
    "DEMAND_SECTION",
    "LINEHAUL_SECTION",
    "SERVICE_TIME_SECTION",
    "TIME_WINDOW_SECTION",
    "RELEASE_TIME_SECTION",
    "DEPOT_SECTION",
    "VEHICLES_DEPOT_SECTION",
    "VEHICLES_RELOAD_DEPOT_SECTION",
    "CAPACITY_SECTION",
    "VEHICLES_MAX_DISTANCE_SECTION",
    "VEHICLES_MAX_DURATION_SECTION",
];

/// The keys and sections PyVRP reads and tournee does not, with what they mean: refused, since
/// the problem without them is another one.
pub const NOT_READ: &[(&str, &str)] = &[
    ("EDGE_WEIGHT_FORMAT", "explicit edge weights"),
    ("EDGE_WEIGHT_SECTION", "explicit edge weights"),
    ("VEHICLES_MAX_RELOADS", "a limit on each route's reloads"),
    (
        "VEHICLES_MAX_RELOADS_SECTION",
        "a limit on each route's reloads",
    ),
    ("BACKHAUL_SECTION", "amounts picked up at the clients"),
    ("PRIZE_SECTION", "optional clients and their prizes"),
    (
        "MUTUALLY_EXCLUSIVE_GROUP_SECTION",
        "groups of clients of which one is visited",
    ),
    (
        "VEHICLES_ALLOWED_CLIENTS_SECTION",
        "the clients each vehicle may visit",
    ),
    ("VEHICLES_FIXED_COST_SECTION", "each vehicle's fixed cost"),
    (
        "VEHICLES_UNIT_DISTANCE_COST_SECTION",
        "each vehicle's cost per unit of distance",
    ),
];

/// Refuses `name` (a key or a section, upper case) on line `ln` unless tournee reads it.
fn known(lines: &Lines, ln: usize, name: &str) -> Result<(), FormatError> {
    if KEYS.contains(&name) || SECTIONS.contains(&name) {
        return Ok(());
    }
    if let Some((_, meaning)) = NOT_READ.iter().find(|(k, _)| *k == name) {
        return Err(lines.err(
            ln,
            format!("{name} ({meaning}) is part of PyVRP's dialect but tournee does not read it, and without it the problem is another one; remove it only if that other problem is the one you mean"),
        ));
    }
    let all: Vec<&str> = KEYS.iter().chain(SECTIONS).copied().collect();
    Err(lines.err(
        ln,
        match crate::io::words::closest(name, &all) {
            Some(c) => format!("{name} is not a key of PyVRP's VRPLIB dialect; did you mean {c}?"),
            None => format!(
                "{name} is not a key of PyVRP's VRPLIB dialect (tournee reads {} and the sections {})",
                KEYS.join(", "),
                SECTIONS.join(", ")
            ),
        },
    ))
}

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
            let given = first.to_ascii_uppercase();
            known(&lines, ln, &given)?;
            let name = match given.as_str() {
                "LINEHAUL_SECTION" => "DEMAND_SECTION".to_string(),
                _ => given.clone(),
            };
            if let Some((at, _)) = sections.get(&name) {
                return Err(lines.err(
                    ln,
                    format!(
                        "{given} appears twice (also on line {at}{}); keep one",
                        if given == name {
                            ""
                        } else {
                            " as DEMAND_SECTION"
                        }
                    ),
                ));
            }
            sections.insert(name.clone(), (ln, Vec::new()));
            current = Some(name);
            continue;
        }
        if let (Some((k, v)), false) = (
            line.split_once(':'),
            first.starts_with(|c: char| c.is_ascii_digit() || c == '-'),
        ) {
            let key = k.trim().to_ascii_uppercase();
            known(&lines, ln, &key)?;
            if let Some((at, _)) = header.get(&key) {
                return Err(lines.err(
                    ln,
                    format!("{key} is given twice (also on line {at}); keep one"),
                ));
            }
            header.insert(key, (ln, v.trim().to_string()));
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
    let (vl, veh) = get("VEHICLES").ok_or_else(|| missing("VEHICLES"))?;
    let vehicles = count_within(path, vl, veh, "VEHICLES", 1, MAX_VEHICLES)?;
    // Each vehicle's capacity, maximum distance and maximum duration: one value for all, or a
    // section of `vehicle value` rows; not both.
    let each_vehicle = |key: &str, value: &dyn Fn(usize, &str) -> Result<i64, FormatError>| {
        let section = format!("{key}_SECTION");
        let one = get(key).map(|(l, v)| value(l, v)).transpose()?;
        let Some((at, rows)) = sections.get(&section) else {
            return Ok(one.map(|x| vec![x; vehicles]));
        };
        if one.is_some() {
            return Err(lines.err(
                *at,
                format!("{key} and {section} both given; give one value for every vehicle ({key}) or one per vehicle ({section})"),
            ));
        }
        if rows.len() != vehicles {
            return Err(lines.err(
                *at,
                format!("{section} has {} rows, VEHICLES is {vehicles}", rows.len()),
            ));
        }
        rows.iter()
            .enumerate()
            .map(|(k, (l, tok))| {
                if tok.len() != 2 || int(path, *l, &tok[0], "the vehicle")? != k as i64 + 1 {
                    return Err(lines.err(*l, format!("expected `{} value`", k + 1)));
                }
                value(*l, &tok[1])
            })
            .collect::<Result<Vec<i64>, FormatError>>()
            .map(Some)
    };
    let capacity = each_vehicle("CAPACITY", &|l, v| int_at_least(path, l, v, "CAPACITY", 1))?
        .ok_or_else(|| missing("CAPACITY (or CAPACITY_SECTION)"))?;
    let at_least_zero = |what: &'static str| {
        move |l: usize, v: &str| -> Result<i64, FormatError> {
            let d = real(path, l, v, what)?;
            if d < 0.0 {
                return Err(FormatError::line(
                    path,
                    l,
                    format!("{what} is {v}; it must be >= 0"),
                ));
            }
            Ok(scale(d))
        }
    };
    let max_duration = each_vehicle(
        "VEHICLES_MAX_DURATION",
        &at_least_zero("VEHICLES_MAX_DURATION"),
    )?;
    let max_distance = each_vehicle(
        "VEHICLES_MAX_DISTANCE",
        &at_least_zero("VEHICLES_MAX_DISTANCE"),
    )?;
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
            // The problem's checks do not bound a release (only this format has one).
            if scale(x) > MAX_VALUE {
                return Err(lines.err(
                    rl,
                    format!(
                        "node {}: a release time of {x} is above the largest accepted, {}",
                        i + 1,
                        crate::model::limits::thousands(i128::from(
                            MAX_VALUE / if multi_trip { 10 } else { EXACT as i64 }
                        ))
                    ),
                ));
            }
            job.release = Time(scale(x));
        }
        p.jobs.push(job);
    }
    for (k, &depot) in vehicle_depot.iter().enumerate() {
        let mut v = Vehicle::new((k + 1).to_string(), depot, Load::single(capacity[k]));
        v.costs = Costs::DISTANCE;
        v.max_duration = max_duration.as_ref().map(|d| Time(d[k]));
        v.max_distance = max_distance.as_ref().map(|d| Dist(d[k]));
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

    fn refused(text: &str) -> String {
        parse(Path::new("t.vrp"), text).unwrap_err().to_string()
    }

    #[test]
    fn issue32_a_maximum_distance_bounds_every_route_and_the_checker_holds_it() {
        let bad = TINY.replace("VEHICLES_MAX_DURATION: 100", "VEHICLES_MAX_DISTANCE: -5");
        let e = refused(&bad);
        assert!(
            e.contains("line 7") && e.contains("VEHICLES_MAX_DISTANCE is -5"),
            "{e}"
        );
        // 3 per route: clients 3 and 4 (4,000 together from depot 1) cannot share a route, and
        // client 4 (2 away from depot 1, 8 from depot 2) is reached by none.
        for text in [
            TINY.replace("VEHICLES_MAX_DURATION: 100", "VEHICLES_MAX_DISTANCE: 3"),
            TINY.replace(
                "DEPOT_SECTION\n1\n2",
                "VEHICLES_MAX_DISTANCE_SECTION\n1 3\n2 3\nDEPOT_SECTION\n1\n2",
            ),
        ] {
            let p = parse(Path::new("t.vrp"), &text).unwrap();
            assert!(p
                .vehicles
                .iter()
                .all(|v| v.max_distance == Some(Dist(3000))));
            let (s, report, _) = crate::routing::solve_checked(
                &p,
                &crate::routing::Params {
                    iterations: 200,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(s.unassigned.len(), 1, "{s:?}");
            assert!(report.cost.0 <= 2 * 3000, "{:?}", report.cost);
            // The checker refuses a route beyond it.
            let mut longer = p.clone();
            longer
                .vehicles
                .iter_mut()
                .for_each(|v| v.max_distance = Some(Dist(1000)));
            assert!(check(&longer, &s).is_err());
        }
        // One value for all and one per vehicle: which one?
        let both = TINY.replace(
            "DEPOT_SECTION\n1\n2",
            "VEHICLES_MAX_DURATION_SECTION\n1 3\n2 3\nDEPOT_SECTION\n1\n2",
        );
        assert!(refused(&both).contains("both given"), "{}", refused(&both));
    }

    #[test]
    fn issue32_every_key_is_read_or_refused_with_its_line() {
        let e = refused(&TINY.replace("CAPACITY: 10\n", "CAPACITY: 10\nTYPE: CVRP\n"));
        assert!(
            e.contains("line 7") && e.contains("TYPE is given twice (also on line 2)"),
            "{e}"
        );
        let e = refused(&TINY.replace("CAPACITY: 10\n", "CAPACITY: 10\nVEHICLE_MAX_DISTANCE: 3\n"));
        assert!(
            e.contains("line 7") && e.contains("did you mean VEHICLES_MAX_DISTANCE?"),
            "{e}"
        );
        let e = refused(&TINY.replace("CAPACITY: 10\n", "CAPACITY: 10\nFOO: 3\n"));
        assert!(
            e.contains("line 7") && e.contains("FOO is not a key"),
            "{e}"
        );
        let e = refused(&TINY.replace(
            "DEPOT_SECTION\n1\n2",
            "PRIZE_SECTION\n1 0\n2 0\n3 5\n4 5\n5 5\nDEPOT_SECTION\n1\n2",
        ));
        assert!(
            e.contains("PRIZE_SECTION (optional clients and their prizes)")
                && e.contains("does not read"),
            "{e}"
        );
        let e = refused(&TINY.replace(
            "DEPOT_SECTION\n1\n2",
            "LINEHAUL_SECTION\n1 0\n2 0\n3 4\n4 4\n5 5\nDEPOT_SECTION\n1\n2",
        ));
        assert!(
            e.contains("LINEHAUL_SECTION appears twice") && e.contains("as DEMAND_SECTION"),
            "{e}"
        );
        // PyVRP's other names and per-vehicle values are read.
        let p = parse(
            Path::new("t.vrp"),
            &TINY
                .replace("DEMAND_SECTION", "LINEHAUL_SECTION")
                .replace("CAPACITY: 10\n", "")
                .replace(
                    "DEPOT_SECTION\n1\n2",
                    "CAPACITY_SECTION\n1 10\n2 7\nDEPOT_SECTION\n1\n2",
                ),
        )
        .unwrap();
        assert_eq!(p.jobs[2].amount, Load::single(5));
        assert_eq!(p.vehicles[1].capacity, Load::single(7));
    }
}
