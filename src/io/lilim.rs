//! Li & Lim pickup-and-delivery (PDPTW) files.
//!
//! ```text
//! 25  200  1
//! 0  40  50  0  0  1236  0  0  0
//! 1  45  68  -10  912  967  90  11  0
//! 11  35  69  10  448  505  90  0  1
//! ```
//! Tab separated. Line 1: vehicles `K`, capacity `Q`, speed. Then one node per line: `id x y
//! demand early late service pickup delivery`. Node 0 is the depot. A node with demand > 0 is a
//! pickup whose delivery is the `delivery` column; a node with demand < 0 is a delivery whose
//! pickup is the `pickup` column. The reader checks that the two agree (each names the other,
//! opposite demands).
//!
//! Same DIMACS convention as [`super::solomon`]: distance = `floor(10 * Euclidean)`, travel time
//! = `floor(10 * Euclidean / speed)`, every time times 10, [`Scale`] `per_unit: 10`. Each pair
//! becomes one [`JobKind::Shipment`](crate::model::JobKind) with stops [pickup, delivery],
//! amount = the pickup's demand, id `p<pickup>-d<delivery>` (the file's node numbers), in the
//! order of the pickups in the file. Locations follow the file's order (depot = 0).

use super::format_error::FormatError;
use super::text::{self, count_within, euclid_tenths, int, int_at_least, real, tenths, Lines};
use crate::model::limits::{MAX_LOCATIONS, MAX_VEHICLES};
use crate::model::{
    Costs, Dist, Job, Load, Problem, Scale, SquareMatrix, Stop, Time, TimeWindow, Vehicle,
};
use std::collections::HashMap;
use std::path::Path;

/// Reads a Li & Lim file.
pub fn read(path: &Path) -> Result<Problem, FormatError> {
    parse(path, &text::read_text(path)?)
}

/// One node line, times already scaled.
struct Node {
    line: usize,
    id: i64,
    xy: (f64, f64),
    demand: i64,
    window: TimeWindow,
    service: i64,
    pickup: i64,
    delivery: i64,
}

/// Parses the text of a Li & Lim file; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Problem, FormatError> {
    let mut lines = Lines::new(path, text);
    let Some((l, first)) = lines.next_line() else {
        return Err(FormatError::line(
            path,
            1,
            "the file is empty; expected `vehicles capacity speed` then one line per node",
        ));
    };
    let tok: Vec<&str> = first.split_whitespace().collect();
    if tok.len() != 3 {
        return Err(lines.err(
            l,
            format!(
                "expected 3 values (vehicles, capacity, speed), found {}",
                tok.len()
            ),
        ));
    }
    let vehicles = count_within(path, l, tok[0], "the vehicle number", 1, MAX_VEHICLES)?;
    let capacity = int_at_least(path, l, tok[1], "the capacity", 1)?;
    let speed = real(path, l, tok[2], "the speed")?;
    if speed <= 0.0 {
        return Err(lines.err(l, format!("the speed is {speed}; it must be > 0")));
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut row_of: HashMap<i64, usize> = HashMap::new();
    while let Some((l, line)) = lines.next_line() {
        if nodes.len() == MAX_LOCATIONS {
            return Err(lines.err(
                l,
                format!(
                    "more than {} nodes; tournee accepts at most that many (split the problem)",
                    crate::model::limits::thousands(MAX_LOCATIONS as i128)
                ),
            ));
        }
        let node = parse_node(path, l, line)?;
        if nodes.is_empty() && node.id != 0 {
            return Err(lines.err(
                l,
                format!("the first node is {}; it must be 0, the depot", node.id),
            ));
        }
        if let Some(k) = row_of.insert(node.id, nodes.len()) {
            return Err(lines.err(
                l,
                format!(
                    "node {} was already given on line {}",
                    node.id, nodes[k].line
                ),
            ));
        }
        nodes.push(node);
    }
    let Some(depot) = nodes.first() else {
        return Err(lines.at_end("no node; the first node line must be the depot, node 0"));
    };
    if depot.demand != 0 {
        return Err(lines.err(
            depot.line,
            format!("the depot has demand {}; it must be 0", depot.demand),
        ));
    }
    let pairs = pairs(&lines, &nodes, &row_of)?;
    let points: Vec<(f64, f64)> = nodes.iter().map(|n| n.xy).collect();
    let (durations, distances) = matrices(&points, speed);
    let mut p = Problem::new(
        lines
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        durations,
        distances,
    );
    p.coords = points;
    p.scale = Scale { per_unit: 10 };
    for (pk, dk) in pairs {
        let stop = |k: usize| {
            let mut s = Stop::at(k, nodes[k].service);
            s.time_windows.push(nodes[k].window);
            s
        };
        let id = format!("p{}-d{}", nodes[pk].id, nodes[dk].id);
        p.jobs.push(Job::shipment(
            id,
            stop(pk),
            stop(dk),
            Load::single(nodes[pk].demand),
        ));
    }
    for v in 1..=vehicles {
        let mut vehicle = Vehicle::new(v.to_string(), 0, Load::single(capacity));
        vehicle.shift = nodes[0].window;
        vehicle.costs = Costs::DISTANCE;
        p.vehicles.push(vehicle);
    }
    Ok(p)
}

/// `id x y demand early late service pickup delivery`.
fn parse_node(path: &Path, l: usize, line: &str) -> Result<Node, FormatError> {
    let tok: Vec<&str> = line.split_whitespace().collect();
    if tok.len() != 9 {
        return Err(FormatError::line(
            path,
            l,
            format!("expected 9 values (id, x, y, demand, early, late, service, pickup, delivery), found {}", tok.len()),
        ));
    }
    let id = int_at_least(path, l, tok[0], "the node id", 0)?;
    let time = |k: usize, what: &str| -> Result<i64, FormatError> {
        let v = real(path, l, tok[k], what)?;
        if v < 0.0 {
            return Err(FormatError::line(
                path,
                l,
                format!("{what} of node {id} is {v}; it must be >= 0"),
            ));
        }
        Ok(tenths(v))
    };
    let (early, late) = (time(4, "the earliest time")?, time(5, "the latest time")?);
    if early > late {
        return Err(FormatError::line(
            path,
            l,
            format!(
                "node {id}: earliest time {} is after latest time {}",
                tok[4], tok[5]
            ),
        ));
    }
    Ok(Node {
        line: l,
        id,
        xy: (real(path, l, tok[1], "x")?, real(path, l, tok[2], "y")?),
        demand: int(path, l, tok[3], "the demand")?,
        window: TimeWindow::new(early, late),
        service: time(6, "the service time")?,
        pickup: int_at_least(path, l, tok[7], "the pickup sibling", 0)?,
        delivery: int_at_least(path, l, tok[8], "the delivery sibling", 0)?,
    })
}

/// The (pickup row, delivery row) pairs, in pickup order, after checking that siblings agree.
fn pairs(
    lines: &Lines,
    nodes: &[Node],
    row_of: &HashMap<i64, usize>,
) -> Result<Vec<(usize, usize)>, FormatError> {
    let mut pairs = Vec::new();
    for n in &nodes[1..] {
        let err = |msg: String| Err(lines.err(n.line, format!("node {}: {msg}", n.id)));
        if n.demand > 0 {
            let Some(&dk) = row_of.get(&n.delivery).filter(|_| n.delivery != 0) else {
                return err(format!("a pickup (demand {}) whose delivery column names node {}, which does not exist", n.demand, n.delivery));
            };
            let d = &nodes[dk];
            if d.demand >= 0 || d.pickup != n.id {
                return err(format!("a pickup whose delivery is node {}, but node {} (line {}) is not a delivery with pickup {}", d.id, d.id, d.line, n.id));
            }
            if d.demand != -n.demand {
                return err(format!(
                    "picks up {} but its delivery node {} (line {}) drops {}",
                    n.demand, d.id, d.line, -d.demand
                ));
            }
            pairs.push((row_of[&n.id], dk));
        } else if n.demand < 0 {
            let pickup = row_of
                .get(&n.pickup)
                .filter(|_| n.pickup != 0)
                .map(|&k| &nodes[k]);
            if !pickup.is_some_and(|p| p.demand > 0 && p.delivery == n.id) {
                return err(format!("a delivery (demand {}) whose pickup column names node {}, which is not a pickup with delivery {}", n.demand, n.pickup, n.id));
            }
        } else {
            return err("demand 0: every node but the depot must be a pickup (demand > 0) or a delivery (demand < 0)".into());
        }
    }
    Ok(pairs)
}

/// Distances `floor(10 d)`, travel times `floor(10 d / speed)`.
fn matrices(points: &[(f64, f64)], speed: f64) -> (SquareMatrix<Time>, SquareMatrix<Dist>) {
    let (time, dist) = text::euclid_matrices(points, euclid_tenths);
    if speed == 1.0 {
        return (time, dist);
    }
    let n = points.len();
    let time = SquareMatrix::from_fn(n, |i, j| {
        let (a, b) = (points[i], points[j]);
        Time((10.0 * (a.0 - b.0).hypot(a.1 - b.1) / speed).floor() as i64)
    });
    (time, dist)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LocIdx;

    /// One pair: pickup 2 at (45,68), delivery 1 at (42,66).
    pub(crate) const TINY: &str = "2\t50\t1\r\n0\t40\t50\t0\t0\t1236\t0\t0\t0\r\n\
        1\t42\t66\t-10\t65\t146\t90\t2\t0\r\n2\t45\t68\t10\t912\t967\t90\t0\t1\r\n";

    fn parse_str(text: &str) -> Result<Problem, FormatError> {
        parse(Path::new("lc0.txt"), text)
    }

    fn line_of(text: &str) -> usize {
        parse_str(text)
            .unwrap_err()
            .line_number()
            .expect("a line number")
    }

    #[test]
    fn reads_a_pair_as_one_shipment() {
        let p = parse_str(TINY).unwrap();
        assert_eq!(
            (
                p.name.as_str(),
                p.jobs.len(),
                p.vehicles.len(),
                p.scale.per_unit
            ),
            ("lc0", 1, 2, 10)
        );
        let j = &p.jobs[0];
        assert_eq!(
            (j.id.as_str(), j.kind, j.amount),
            ("p2-d1", crate::model::JobKind::Shipment, Load::single(10))
        );
        assert_eq!((j.stops[0].location.0, j.stops[1].location.0), (2, 1));
        assert_eq!(j.stops[0].time_windows, vec![TimeWindow::new(9120, 9670)]);
        assert_eq!(j.stops[1].service, Time(900));
        assert_eq!(p.distances.get(LocIdx(2), LocIdx(1)), Dist(36));
        assert_eq!(p.vehicles[0].shift, TimeWindow::new(0, 12360));
        assert_eq!(p.vehicles[0].capacity, Load::single(50));
    }

    #[test]
    fn speed_divides_travel_times_only() {
        let p = parse_str(&TINY.replacen("2\t50\t1", "2\t50\t2", 1)).unwrap();
        assert_eq!(p.durations.get(LocIdx(2), LocIdx(1)), Time(18));
        assert_eq!(p.distances.get(LocIdx(2), LocIdx(1)), Dist(36));
    }

    #[test]
    fn malformed_files_say_which_line() {
        assert_eq!(line_of(""), 1);
        assert_eq!(line_of(&TINY.replacen("2\t50\t1", "2\t50", 1)), 1);
        assert_eq!(line_of(&TINY.replacen("2\t50\t1", "2\t50\t0", 1)), 1);
        assert_eq!(line_of(&TINY.replace("\t90\t2\t0", "\t90\t2")), 3);
        assert_eq!(line_of(&TINY.replace("42\t66", "42\tx")), 3);
        assert_eq!(line_of(&TINY.replace("\t90\t2\t0", "\t90\t3\t0")), 3); // pickup 3 does not exist
        assert_eq!(line_of(&TINY.replace("\t90\t0\t1", "\t90\t0\t0")), 3); // pickup names no delivery: delivery 1 seen first
        assert_eq!(line_of(&TINY.replace("10\t912", "20\t912")), 4); // demands disagree
        assert_eq!(line_of(&TINY.replace("-10\t65", "0\t65")), 3); // neither pickup nor delivery
        assert_eq!(line_of(&TINY.replace("912\t967", "968\t967")), 4);
        assert_eq!(line_of(&TINY.replace("2\t45\t68", "1\t45\t68")), 4); // duplicate id
        assert_eq!(line_of(&TINY.replace("0\t40\t50", "5\t40\t50")), 2);
        assert_eq!(line_of("2\t50\t1\r\n"), 1);
    }
}
