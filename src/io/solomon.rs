//! Solomon VRPTW files (and Gehring-Homberger's, same format).
//!
//! ```text
//! C101
//!
//! VEHICLE
//! NUMBER     CAPACITY
//!   25         200
//!
//! CUSTOMER
//! CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//!
//!     0      40         50          0          0       1236          0
//!     1      45         68         10        912        967         90
//! ```
//!
//! The DIMACS convention, that of the distance-only best-known solutions: travel time =
//! distance = `floor(10 * Euclidean)` (the distance truncated to one decimal, in tenths), and
//! every time of the file (ready, due, service) times 10, so [`Scale`] is `per_unit: 10`.
//! Customer 0 (the first row) is the depot, location 0; every other row is a
//! [`JobKind::Delivery`](crate::model::JobKind) at the next location with one time window
//! `[ready, due]` for the start of service, id = its customer number. The fleet is the file's
//! vehicle number, ids `"1"..`, each with the file's capacity, based at the depot, shift = the
//! depot's `[ready, due]`, priced by distance.

use super::format_error::FormatError;
use super::text::{self, count_within, euclid_tenths, int_at_least, real, tenths, Lines};
use crate::model::limits::{MAX_LOCATIONS, MAX_VEHICLES};
use crate::model::{Costs, Job, Load, Problem, Scale, Stop, TimeWindow, Vehicle};
use std::collections::HashMap;
use std::path::Path;

/// Reads a Solomon or Gehring-Homberger file.
pub fn read(path: &Path) -> Result<Problem, FormatError> {
    parse(path, &text::read_text(path)?)
}

/// One row of the customer table, times already scaled.
struct Row {
    line: usize,
    id: i64,
    xy: (f64, f64),
    demand: i64,
    window: TimeWindow,
    service: i64,
}

/// Parses the text of a Solomon file; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Problem, FormatError> {
    let mut lines = Lines::new(path, text);
    let Some((_, name)) = lines.next_line() else {
        return Err(FormatError::line(
            path,
            1,
            "the file is empty; expected a Solomon instance (name, VEHICLE, CUSTOMER sections)",
        ));
    };
    let name = name.to_string();
    find_keyword(&mut lines, "VEHICLE")?;
    let (l, header) = lines.expect("the `NUMBER CAPACITY` header")?;
    if !header.to_ascii_uppercase().starts_with("NUMBER") {
        return Err(lines.err(
            l,
            format!("expected the `NUMBER CAPACITY` header after VEHICLE, found {header:?}"),
        ));
    }
    let (l, fleet) = lines.expect("the vehicle number and capacity")?;
    let tok: Vec<&str> = fleet.split_whitespace().collect();
    if tok.len() != 2 {
        return Err(lines.err(
            l,
            format!(
                "expected 2 values (vehicle number, capacity), found {}",
                tok.len()
            ),
        ));
    }
    let vehicles = count_within(path, l, tok[0], "the vehicle number", 1, MAX_VEHICLES)?;
    let capacity = int_at_least(path, l, tok[1], "the capacity", 1)?;
    find_keyword(&mut lines, "CUSTOMER")?;
    let (l, header) = lines.expect("the customer table header")?;
    if !header.to_ascii_uppercase().starts_with("CUST") {
        return Err(lines.err(
            l,
            format!("expected the `CUST NO. XCOORD. ...` header after CUSTOMER, found {header:?}"),
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    while let Some((l, line)) = lines.next_line() {
        if rows.len() == MAX_LOCATIONS {
            return Err(lines.err(
                l,
                format!(
                    "more than {} customers; tournee accepts at most that many (split the problem)",
                    crate::model::limits::thousands(MAX_LOCATIONS as i128)
                ),
            ));
        }
        let row = parse_row(path, l, line)?;
        if rows.is_empty() && row.id != 0 {
            return Err(lines.err(
                l,
                format!("the first customer is {}; it must be 0, the depot", row.id),
            ));
        }
        if let Some(first) = seen.insert(row.id, l) {
            return Err(lines.err(
                l,
                format!("customer {} was already given on line {first}", row.id),
            ));
        }
        rows.push(row);
    }
    let Some(depot) = rows.first() else {
        return Err(lines
            .at_end("the customer table is empty; its first row must be the depot, customer 0"));
    };
    if depot.demand != 0 {
        return Err(lines.err(
            depot.line,
            format!("the depot has demand {}; it must be 0", depot.demand),
        ));
    }
    let points: Vec<(f64, f64)> = rows.iter().map(|r| r.xy).collect();
    let (durations, distances) = text::euclid_matrices(&points, euclid_tenths);
    let mut p = Problem::new(name, durations, distances);
    p.scale = Scale { per_unit: 10 };
    p.coords = points;
    for (k, r) in rows.iter().enumerate().skip(1) {
        let mut stop = Stop::at(k, r.service);
        stop.time_windows.push(r.window);
        p.jobs.push(Job::delivery(
            r.id.to_string(),
            stop,
            Load::single(r.demand),
        ));
    }
    for v in 1..=vehicles {
        let mut vehicle = Vehicle::new(v.to_string(), 0, Load::single(capacity));
        vehicle.shift = depot.window;
        vehicle.costs = Costs::DISTANCE;
        p.vehicles.push(vehicle);
    }
    Ok(p)
}

/// Skips to the line whose first word is `keyword`.
fn find_keyword(lines: &mut Lines, keyword: &str) -> Result<(), FormatError> {
    while let Some((_, line)) = lines.next_line() {
        if line
            .split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
        {
            return Ok(());
        }
    }
    Err(lines.at_end(format!(
        "no {keyword} section; a Solomon file has a name line, then VEHICLE, then CUSTOMER"
    )))
}

/// `CUST NO. XCOORD. YCOORD. DEMAND READY DUE SERVICE`, times scaled by 10.
fn parse_row(path: &Path, l: usize, line: &str) -> Result<Row, FormatError> {
    let tok: Vec<&str> = line.split_whitespace().collect();
    if tok.len() != 7 {
        return Err(FormatError::line(
            path,
            l,
            format!(
                "expected 7 values (customer, x, y, demand, ready, due, service), found {}",
                tok.len()
            ),
        ));
    }
    let id = int_at_least(path, l, tok[0], "the customer number", 0)?;
    let xy = (real(path, l, tok[1], "x")?, real(path, l, tok[2], "y")?);
    let demand = int_at_least(path, l, tok[3], &format!("the demand of customer {id}"), 0)?;
    let time = |k: usize, what: &str| -> Result<i64, FormatError> {
        let v = real(path, l, tok[k], what)?;
        if v < 0.0 {
            return Err(FormatError::line(
                path,
                l,
                format!("{what} of customer {id} is {v}; it must be >= 0"),
            ));
        }
        Ok(tenths(v))
    };
    let (ready, due, service) = (
        time(4, "the ready time")?,
        time(5, "the due date")?,
        time(6, "the service time")?,
    );
    if ready > due {
        return Err(FormatError::line(
            path,
            l,
            format!(
                "customer {id}: ready time {} is after due date {}",
                tok[4], tok[5]
            ),
        ));
    }
    Ok(Row {
        line: l,
        id,
        xy,
        demand,
        window: TimeWindow::new(ready, due),
        service,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dist, LocIdx, Time};

    pub(crate) const TINY: &str =
        "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         20\r\n\r\nCUSTOMER\r\n\
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n\
            0      40         50          0          0       1236          0   \r\n\
            1      45         68         10        912        967         90   \r\n\
            2      42         66         10         65        146         90   \r\n";

    fn parse_str(text: &str) -> Result<Problem, FormatError> {
        parse(Path::new("s.txt"), text)
    }

    fn line_of(text: &str) -> usize {
        parse_str(text)
            .unwrap_err()
            .line_number()
            .expect("a line number")
    }

    #[test]
    fn reads_scaled_windows_and_truncated_distances() {
        let p = parse_str(TINY).unwrap();
        assert_eq!(
            (
                p.name.as_str(),
                p.jobs.len(),
                p.vehicles.len(),
                p.scale.per_unit
            ),
            ("TINY", 2, 2, 10)
        );
        assert_eq!(
            p.jobs[0].stops[0].time_windows,
            vec![TimeWindow::new(9120, 9670)]
        );
        assert_eq!(p.jobs[0].stops[0].service, Time(900));
        assert_eq!(p.jobs[1].id, "2");
        assert_eq!(p.vehicles[1].shift, TimeWindow::new(0, 12360));
        assert_eq!(p.vehicles[0].capacity, Load::single(20));
        // depot -> 1: sqrt(25 + 324) = 18.681... -> 186; 1 -> 2: sqrt(9 + 4) = 3.605... -> 36.
        assert_eq!(p.distances.get(LocIdx(0), LocIdx(1)), Dist(186));
        assert_eq!(p.durations.get(LocIdx(1), LocIdx(2)), Time(36));
    }

    #[test]
    fn malformed_files_say_which_line() {
        assert_eq!(line_of(""), 1);
        assert_eq!(line_of(&TINY.replace("VEHICLE", "VEHICLES_")), 12);
        assert_eq!(line_of(&TINY.replace("  2         20", "  2")), 5);
        assert_eq!(line_of(&TINY.replace("  2         20", "  2         0")), 5);
        assert_eq!(line_of(&TINY.replace("45         68", "45")), 11);
        assert_eq!(
            line_of(&TINY.replace("45         68", "45         north")),
            11
        );
        assert_eq!(
            line_of(&TINY.replace("68         10", "68         -10")),
            11
        );
        assert_eq!(
            line_of(&TINY.replace("912        967", "968        967")),
            11
        );
        assert_eq!(line_of(&TINY.replace("2      42", "1      42")), 12);
        assert_eq!(line_of(&TINY.replace("0      40", "3      40")), 10);
        assert_eq!(line_of(&TINY.replace("CUST NO.", "NO.")), 8);
        let only_header = TINY.split("0      40").next().unwrap().to_string();
        assert_eq!(line_of(&only_header), 9);
    }
}
