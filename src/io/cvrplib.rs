//! CVRPLIB / TSPLIB `.vrp` files (capacitated VRP) and CVRPLIB `.sol` solutions.
//!
//! ```text
//! NAME : X-n101-k25
//! TYPE : CVRP
//! DIMENSION : 101
//! EDGE_WEIGHT_TYPE : EUC_2D
//! CAPACITY : 206
//! NODE_COORD_SECTION
//! 1 365 689
//! ...
//! DEMAND_SECTION
//! 1 0
//! ...
//! DEPOT_SECTION
//! 1
//! -1
//! EOF
//! ```
//!
//! Conventions (those of CVRPLIB's best-known solutions):
//! - arc cost, travel time and distance = `nint(Euclidean)` for `EUC_2D`; for
//!   `EDGE_WEIGHT_TYPE : EXPLICIT` the weights of `EDGE_WEIGHT_SECTION` (`FULL_MATRIX`,
//!   `LOWER_ROW`, `LOWER_DIAG_ROW`, `UPPER_ROW` or `UPPER_DIAG_ROW`), rounded to nearest;
//! - nodes are numbered `1..=DIMENSION` in order and the depot is node 1, so node `i` is
//!   location `i - 1` and `.sol` customer number `i - 1`;
//! - one [`JobKind::Delivery`](crate::model::JobKind) per customer, id = its node number;
//! - an unlimited fleet: one vehicle per customer, ids `"1"..="n"`, always available, priced
//!   by distance ([`Costs::DISTANCE`]);
//! - the optional `SERVICE_TIME` becomes every customer's service time and `DISTANCE` (the
//!   Christofides-Mingozzi-Toth route-length limit, service included) the vehicles'
//!   `max_duration`.

use super::format_error::FormatError;
use super::text::{self, count_within, euclid_nint, int, int_at_least, real, Lines};
use crate::model::limits::MAX_LOCATIONS;
use crate::model::{
    Cost, Costs, Dist, Job, Load, Problem, Solution, SquareMatrix, Stop, Time, Vehicle,
};
use std::fmt::Write;
use std::path::Path;

/// Reads a `.vrp` file.
pub fn read(path: &Path) -> Result<Problem, FormatError> {
    parse(path, &text::read_text(path)?)
}

/// How arc weights are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Weights {
    Euclid,
    Explicit,
}

/// The header values and sections read so far.
#[derive(Default)]
struct Header {
    name: Option<String>,
    dimension: Option<usize>,
    capacity: Option<i64>,
    weights: Option<Weights>,
    format: Option<(usize, String)>,
    service: Option<f64>,
    max_length: Option<f64>,
    coords: Option<Vec<(f64, f64)>>,
    demands: Option<Vec<(usize, i64)>>,
    depot: Option<usize>,
    explicit: Option<Vec<i64>>,
}

/// Parses the text of a `.vrp` file; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Problem, FormatError> {
    let mut lines = Lines::new(path, text);
    if lines.is_empty() {
        return Err(FormatError::line(
            path,
            1,
            "the file is empty; expected a CVRPLIB header (NAME, DIMENSION, CAPACITY...)",
        ));
    }
    let mut h = Header::default();
    while let Some((ln, line)) = lines.next_line() {
        let (key, raw) = match line.split_once(':') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (line.split_whitespace().next().unwrap_or(""), None),
        };
        let key = key.to_ascii_uppercase();
        let value = || {
            raw.filter(|v| !v.is_empty()).ok_or_else(|| {
                lines.err(ln, format!("{key} has no value; write `{key} : <value>`"))
            })
        };
        match key.as_str() {
            "EOF" => break,
            "NAME" => h.name = Some(value()?.to_string()),
            "COMMENT" | "VEHICLES" | "NODE_COORD_TYPE" | "DISPLAY_DATA_TYPE"
            | "EDGE_DATA_FORMAT" => {}
            "TYPE" => {
                let t = value()?;
                if !t.eq_ignore_ascii_case("CVRP") {
                    return Err(lines.err(
                        ln,
                        format!("TYPE is {t}; this reader reads CVRP files only"),
                    ));
                }
            }
            "DIMENSION" => {
                let n = count_within(path, ln, value()?, "DIMENSION", 1, MAX_LOCATIONS)?;
                // The sections already read were sized by the first one (found by fuzzing).
                if h.dimension.is_some_and(|d| d != n) {
                    return Err(lines.err(
                        ln,
                        format!(
                            "DIMENSION is given again, as {n} after {}: keep one DIMENSION line",
                            h.dimension.unwrap_or(0)
                        ),
                    ));
                }
                h.dimension = Some(n);
            }
            "CAPACITY" => h.capacity = Some(int_at_least(path, ln, value()?, "CAPACITY", 1)?),
            "SERVICE_TIME" => h.service = Some(non_negative(path, ln, value()?, "SERVICE_TIME")?),
            "DISTANCE" => h.max_length = Some(non_negative(path, ln, value()?, "DISTANCE")?),
            "EDGE_WEIGHT_TYPE" => {
                h.weights = Some(match value()?.to_ascii_uppercase().as_str() {
                    "EUC_2D" => Weights::Euclid,
                    "EXPLICIT" => Weights::Explicit,
                    other => {
                        return Err(lines.err(
                            ln,
                            format!(
                                "EDGE_WEIGHT_TYPE {other} is not supported; use EUC_2D or EXPLICIT"
                            ),
                        ));
                    }
                })
            }
            "EDGE_WEIGHT_FORMAT" => h.format = Some((ln, value()?.to_ascii_uppercase())),
            "NODE_COORD_SECTION" => {
                let n = dimension(&lines, &h, ln, &key)?;
                let mut coords = Vec::with_capacity(n);
                for k in 0..n {
                    let (l, tok) = section_row(&mut lines, &key, k, n, 3, "node x y")?;
                    coords.push((real(path, l, tok[1], "x")?, real(path, l, tok[2], "y")?));
                }
                h.coords = Some(coords);
            }
            "DEMAND_SECTION" => {
                let n = dimension(&lines, &h, ln, &key)?;
                let mut demands = Vec::with_capacity(n);
                for k in 0..n {
                    let (l, tok) = section_row(&mut lines, &key, k, n, 2, "node demand")?;
                    demands.push((
                        l,
                        int_at_least(path, l, tok[1], &format!("the demand of node {}", k + 1), 0)?,
                    ));
                }
                h.demands = Some(demands);
            }
            "DEPOT_SECTION" => h.depot = Some(depot_section(&mut lines, ln)?),
            "EDGE_WEIGHT_SECTION" => h.explicit = Some(edge_weights(&mut lines, &h, ln)?),
            "DISPLAY_DATA_SECTION" => {
                let n = dimension(&lines, &h, ln, &key)?;
                for k in 0..n {
                    section_row(&mut lines, &key, k, n, 3, "node x y")?;
                }
            }
            k if k.ends_with("_SECTION") => {
                return Err(lines.err(ln, format!("{k} is not supported by the CVRP reader (time windows, pickups... are other formats)")));
            }
            _ if raw.is_some() => {} // an unknown `KEY : value`: harmless
            _ => {
                return Err(lines.err(
                    ln,
                    format!(
                        "unexpected line {line:?}: expected `KEY : value` or a *_SECTION keyword"
                    ),
                ))
            }
        }
    }
    build(&lines, h)
}

fn non_negative(path: &Path, line: usize, token: &str, what: &str) -> Result<f64, FormatError> {
    let v = real(path, line, token, what)?;
    if v < 0.0 {
        return Err(FormatError::line(
            path,
            line,
            format!("{what} is {v}; it must be >= 0"),
        ));
    }
    Ok(v)
}

/// The `DIMENSION` read before `section` (line `line`), checked against the lines left: a
/// section of `n` rows needs `n` more lines (checked before anything is allocated for them).
fn dimension(lines: &Lines, h: &Header, line: usize, section: &str) -> Result<usize, FormatError> {
    let n = h.dimension.ok_or_else(|| {
        lines.err(
            line,
            format!("{section} comes before DIMENSION; put `DIMENSION : <nodes>` in the header"),
        )
    })?;
    if section != "EDGE_WEIGHT_SECTION" && lines.remaining() < n {
        return Err(lines.err(
            line,
            format!(
                "{section} needs DIMENSION = {n} rows but the file has only {} more lines; check DIMENSION",
                lines.remaining()
            ),
        ));
    }
    Ok(n)
}

/// Row `k` (0-based) of an `n`-row section: `width` tokens starting with node number `k + 1`.
fn section_row<'a>(
    lines: &mut Lines<'a>,
    section: &str,
    k: usize,
    n: usize,
    width: usize,
    shape: &str,
) -> Result<(usize, Vec<&'a str>), FormatError> {
    let short = |found: usize| format!("{section} has {found} rows but DIMENSION is {n}");
    let Some((l, line)) = lines.peek() else {
        return Err(lines.at_end(short(k)));
    };
    let tok: Vec<&str> = line.split_whitespace().collect();
    if tok[0]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
    {
        return Err(lines.err(l, short(k)));
    }
    lines.next_line();
    if tok.len() != width {
        return Err(lines.err(
            l,
            format!(
                "{section} row has {} values, expected {width} ({shape})",
                tok.len()
            ),
        ));
    }
    let id = int(lines.path, l, tok[0], "the node number")?;
    if id != k as i64 + 1 {
        return Err(lines.err(
            l,
            format!(
                "node number {id} where {} was expected: nodes must be numbered 1..{n} in order",
                k + 1
            ),
        ));
    }
    Ok((l, tok))
}

/// Depot numbers until `-1`; exactly one depot, node 1.
fn depot_section(lines: &mut Lines, header: usize) -> Result<usize, FormatError> {
    let mut depots = Vec::new();
    loop {
        let (l, line) = lines.expect("the -1 closing DEPOT_SECTION")?;
        for tok in line.split_whitespace() {
            let d = int(lines.path, l, tok, "the depot")?;
            if d == -1 {
                return match depots[..] {
                    [(_, 1)] => Ok(1),
                    [] => Err(lines.err(l, "DEPOT_SECTION lists no depot")),
                    [(l, d)] => Err(lines.err(l, format!("the depot is node {d}; CVRPLIB files (and their .sol numbering) need it to be node 1"))),
                    _ => Err(lines.err(header, format!("DEPOT_SECTION lists {} depots; only one (node 1) is supported", depots.len()))),
                };
            }
            depots.push((l, d));
        }
    }
}

/// The `n x n` matrix of an `EDGE_WEIGHT_SECTION`, from its `EDGE_WEIGHT_FORMAT`.
fn edge_weights(lines: &mut Lines, h: &Header, header: usize) -> Result<Vec<i64>, FormatError> {
    let n = dimension(lines, h, header, "EDGE_WEIGHT_SECTION")?;
    let Some((fl, format)) = &h.format else {
        return Err(lines.err(header, "EDGE_WEIGHT_SECTION needs `EDGE_WEIGHT_FORMAT : FULL_MATRIX` (or LOWER_ROW...) before it"));
    };
    let cells: Box<dyn Iterator<Item = (usize, usize)>> = match format.as_str() {
        "FULL_MATRIX" => Box::new((0..n).flat_map(move |i| (0..n).map(move |j| (i, j)))),
        "LOWER_ROW" => Box::new((1..n).flat_map(|i| (0..i).map(move |j| (i, j)))),
        "LOWER_DIAG_ROW" => Box::new((0..n).flat_map(|i| (0..=i).map(move |j| (i, j)))),
        "UPPER_ROW" => Box::new((0..n).flat_map(move |i| (i + 1..n).map(move |j| (i, j)))),
        "UPPER_DIAG_ROW" => Box::new((0..n).flat_map(move |i| (i..n).map(move |j| (i, j)))),
        other => {
            return Err(lines.err(*fl, format!("EDGE_WEIGHT_FORMAT {other} is not supported; use FULL_MATRIX, LOWER_ROW, LOWER_DIAG_ROW, UPPER_ROW or UPPER_DIAG_ROW")));
        }
    };
    let needed = match format.as_str() {
        "FULL_MATRIX" => n * n,
        "LOWER_ROW" | "UPPER_ROW" => n * (n - 1) / 2,
        _ => n * (n + 1) / 2,
    };
    let available = lines.remaining_values();
    if available < needed {
        return Err(lines.err(
            header,
            format!(
                "{format} with DIMENSION {n} needs {needed} weights but the file has only {available} values left; check DIMENSION"
            ),
        ));
    }
    let mut cells = cells.peekable();
    let symmetric = format != "FULL_MATRIX";
    let mut m = vec![0i64; n * n];
    let mut k = 0;
    while cells.peek().is_some() {
        let Some((l, line)) = lines
            .peek()
            .filter(|(_, s)| !s.starts_with(|c: char| c.is_ascii_alphabetic()))
        else {
            let msg = format!(
                "EDGE_WEIGHT_SECTION has {k} weights; {format} with DIMENSION {n} needs {needed}"
            );
            return Err(match lines.peek() {
                Some((l, _)) => lines.err(l, msg),
                None => lines.at_end(msg),
            });
        };
        lines.next_line();
        for tok in line.split_whitespace() {
            let Some((i, j)) = cells.next() else {
                return Err(lines.err(
                    l,
                    format!("EDGE_WEIGHT_SECTION has more than the {needed} weights of {format}"),
                ));
            };
            let w = real(lines.path, l, tok, "the weight")?;
            if w < 0.0 {
                return Err(lines.err(l, format!("weight {w} is negative")));
            }
            m[i * n + j] = w.round() as i64;
            if symmetric {
                m[j * n + i] = w.round() as i64;
            }
            k += 1;
        }
    }
    Ok(m)
}

fn build(lines: &Lines, h: Header) -> Result<Problem, FormatError> {
    let missing = |what: &str| lines.at_end(format!("the file has no {what}"));
    let n = h.dimension.ok_or_else(|| missing("DIMENSION"))?;
    let capacity = h
        .capacity
        .ok_or_else(|| missing("CAPACITY: add `CAPACITY : <vehicle capacity>` to the header"))?;
    let weights = h
        .weights
        .ok_or_else(|| missing("EDGE_WEIGHT_TYPE (EUC_2D or EXPLICIT)"))?;
    let demands = h.demands.ok_or_else(|| missing("DEMAND_SECTION"))?;
    h.depot.ok_or_else(|| missing("DEPOT_SECTION"))?;
    if let Some(&(l, d)) = demands.first().filter(|(_, d)| *d != 0) {
        return Err(lines.err(
            l,
            format!("the depot (node 1) has demand {d}; it must be 0"),
        ));
    }
    let mut coords_kept = Vec::new();
    let (durations, distances) = match weights {
        Weights::Euclid => {
            let coords = h
                .coords
                .ok_or_else(|| missing("NODE_COORD_SECTION (EDGE_WEIGHT_TYPE is EUC_2D)"))?;
            coords_kept.clone_from(&coords);
            text::euclid_matrices(&coords, euclid_nint)
        }
        Weights::Explicit => {
            let m = h
                .explicit
                .ok_or_else(|| missing("EDGE_WEIGHT_SECTION (EDGE_WEIGHT_TYPE is EXPLICIT)"))?;
            let size = || {
                missing(&format!(
                    "EDGE_WEIGHT_SECTION of DIMENSION {n} x {n} ({} weights read)",
                    m.len()
                ))
            };
            (
                SquareMatrix::from_rows(n, m.iter().map(|&v| Time(v)).collect())
                    .ok_or_else(size)?,
                SquareMatrix::from_rows(n, m.iter().map(|&v| Dist(v)).collect())
                    .ok_or_else(size)?,
            )
        }
    };
    let name = h.name.unwrap_or_else(|| {
        lines
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let mut p = Problem::new(name, durations, distances);
    p.coords = coords_kept;
    let service = h.service.map_or(0, |s| s.round() as i64);
    for (k, &(_, d)) in demands.iter().enumerate().skip(1) {
        p.jobs.push(Job::delivery(
            (k + 1).to_string(),
            Stop::at(k, service),
            Load::single(d),
        ));
    }
    for v in 1..n {
        let mut vehicle = Vehicle::new(v.to_string(), 0, Load::single(capacity));
        vehicle.costs = Costs::DISTANCE;
        vehicle.max_duration = h.max_length.map(|d| Time(d.round() as i64));
        p.vehicles.push(vehicle);
    }
    Ok(p)
}

/// The CVRPLIB `.sol` text of `solution`: `Route #k: c1 c2 ...` per non-empty route (k from 1),
/// then `Cost X`, in the file's own units (`cost` divided by the problem's scale: tenths for the
/// DIMACS convention). Customer numbers are location indices, which for a problem read by
/// [`read`] are the file's node numbers minus one (depot node 1 = 0). Unassigned jobs have no
/// place in this format and are not written: check the solution first.
pub fn write_sol(problem: &Problem, solution: &Solution, cost: Cost) -> String {
    let mut out = String::new();
    let routes = solution.routes.iter().filter(|r| !r.visits.is_empty());
    for (k, route) in routes.enumerate() {
        let _ = write!(out, "Route #{}:", k + 1);
        for v in &route.visits {
            let stop = &problem.jobs[v.job.ix()].stops[v.stop as usize];
            let _ = write!(out, " {}", stop.location.0);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Cost {}",
        format_cost(cost.0 as f64 / problem.scale.per_unit as f64)
    );
    out
}

/// A cost in user units: whole when it is, else with one decimal (DIMACS costs are tenths).
pub fn format_cost(c: f64) -> String {
    if (c - c.round()).abs() < 1e-9 {
        format!("{}", c.round() as i64)
    } else {
        format!("{c:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{JobIdx, LocIdx, Route, VehicleIdx, Visit};
    use crate::routing::check::check;

    /// Depot (0,0); customers at (3,4), (6,8) and (1,1): nint distances 5, 10, 1, 5, 4...
    pub(crate) const TINY: &str = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
        NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 1 1\nDEMAND_SECTION\n1 0\n2 4\n3 5\n4 3\nDEPOT_SECTION\n1\n-1\nEOF\n";

    fn parse_str(text: &str) -> Result<Problem, FormatError> {
        parse(Path::new("t.vrp"), text)
    }

    fn line_of(text: &str) -> usize {
        parse_str(text)
            .unwrap_err()
            .line_number()
            .expect("a line number")
    }

    #[test]
    fn reads_a_tiny_instance_with_nint_distances() {
        let p = parse_str(TINY).unwrap();
        assert_eq!(
            (
                p.name.as_str(),
                p.jobs.len(),
                p.vehicles.len(),
                p.num_locations()
            ),
            ("tiny", 3, 3, 4)
        );
        let d = |i: u32, j: u32| p.distances.get(LocIdx(i), LocIdx(j)).0;
        let dd: Vec<i64> = vec![d(0, 1), d(0, 2), d(0, 3), d(1, 2), d(1, 3), d(2, 3)];
        assert_eq!(dd, [5, 10, 1, 5, 4, 9]); // sqrt(2) -> 1, sqrt(13) -> 4, sqrt(74) -> 9
        assert_eq!(
            p.durations.values().iter().map(|t| t.0).collect::<Vec<_>>(),
            p.distances.values().iter().map(|t| t.0).collect::<Vec<_>>()
        );
        assert_eq!(p.jobs[1].id, "3");
        assert_eq!(p.jobs[1].amount, Load::single(5));
        assert_eq!(p.vehicles[0].capacity, Load::single(10));
        assert_eq!(p.vehicles[2].costs, Costs::DISTANCE);
    }

    #[test]
    fn checked_solution_and_its_sol_text() {
        let p = parse_str(TINY).unwrap();
        let visit = |j: u32| Visit {
            job: JobIdx(j),
            stop: 0,
        };
        let s = Solution {
            routes: vec![
                Route {
                    vehicle: VehicleIdx(0),
                    departure: Time(0),
                    visits: vec![visit(2), visit(0)],
                    reloads: vec![],
                },
                Route {
                    vehicle: VehicleIdx(1),
                    departure: Time(0),
                    visits: vec![visit(1)],
                    reloads: vec![],
                },
            ],
            unassigned: vec![],
        };
        let report = check(&p, &s).unwrap();
        // 0 -> 3 (1) -> 1 (4) -> 0 (5) = 10, and 0 -> 2 -> 0 = 20.
        assert_eq!(report.cost, Cost(30));
        assert_eq!(
            write_sol(&p, &s, report.cost),
            "Route #1: 3 1\nRoute #2: 2\nCost 30\n"
        );
    }

    #[test]
    fn explicit_matrices_are_read() {
        let full = "NAME : m\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\nCAPACITY : 5\n\
            EDGE_WEIGHT_SECTION\n0 2 3\n2 0 4\n3 4 0\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n";
        let p = parse_str(full).unwrap();
        assert_eq!(p.distances.get(LocIdx(1), LocIdx(2)), Dist(4));
        let lower = full
            .replace("FULL_MATRIX", "LOWER_ROW")
            .replace("0 2 3\n2 0 4\n3 4 0\n", "2\n3 4\n");
        assert_eq!(parse_str(&lower).unwrap().distances, p.distances);
        let bad = full.replace("3 4 0\n", "3 4\n");
        assert_eq!(line_of(&bad), 11); // the DEMAND_SECTION line where weights are still missing
        assert_eq!(line_of(&full.replace("FULL_MATRIX", "LOWER_COL")), 5);
    }

    #[test]
    fn malformed_files_say_which_line() {
        assert_eq!(line_of(""), 1);
        assert_eq!(line_of(&TINY.replace("CAPACITY : 10\n", "")), 18); // missing: reported at the end
        assert_eq!(line_of(&TINY.replace("CAPACITY : 10", "CAPACITY : ten")), 5);
        assert_eq!(line_of(&TINY.replace("2 3 4\n", "2 3\n")), 8); // wrong token count
        assert_eq!(line_of(&TINY.replace("2 3 4\n", "2 three 4\n")), 8); // not a number
        assert_eq!(line_of(&TINY.replace("3 5\n", "3 -5\n")), 14); // negative demand
        assert_eq!(line_of(&TINY.replace("4 3\n", "")), 15); // DEMAND_SECTION too short: at DEPOT_SECTION
        assert_eq!(line_of(&TINY.replace("3 6 8\n", "4 6 8\n")), 9); // node numbers out of order
        assert_eq!(
            line_of(&TINY.replace("DEPOT_SECTION\n1\n", "DEPOT_SECTION\n2\n")),
            17
        );
        assert_eq!(line_of(&TINY.replace("DEPOT_SECTION\n1\n-1\n", "")), 16);
        assert_eq!(line_of(&TINY.replace("1 0\n2 4", "1 7\n2 4")), 12); // depot demand
        assert_eq!(line_of(&TINY.replace("EUC_2D", "GEO")), 4);
        assert_eq!(line_of(&TINY.replace("TYPE : CVRP", "TYPE : TSP")), 2);
        assert_eq!(
            line_of(&TINY.replace("DEMAND_SECTION", "TIME_WINDOW_SECTION")),
            11
        );
        let e = parse_str(&TINY.replace("CAPACITY : 10\n", ""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("CAPACITY") && e.starts_with("t.vrp, line 18"),
            "{e}"
        );
    }

    #[test]
    fn service_time_and_distance_limit() {
        let p = parse_str(&TINY.replace(
            "CAPACITY : 10",
            "CAPACITY : 10\nSERVICE_TIME : 2\nDISTANCE : 40",
        ))
        .unwrap();
        assert_eq!(p.jobs[0].stops[0].service, Time(2));
        assert_eq!(p.vehicles[0].max_duration, Some(Time(40)));
    }
}
