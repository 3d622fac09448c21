//! Best-known solution tables: `benchmarks/bks.csv` and `clustering/best_known.csv`.
//!
//! A CSV with a header naming at least the instance and its cost: `instance` and `bks_cost` (or
//! `best_known`, `cost`). Optional: `bks_vehicles` (or `vehicles`, `routes`), `p` (medians of a
//! clustering instance), `objective` (`distance...` or `hierarchical...`; absent = distance).
//! `bks.csv` lists some instances twice, once per objective (DIMACS distance-only, and the
//! classical vehicles-then-distance), so a table is read for one objective.

use super::csv_table::{CsvError, CsvTable};
use super::format_error::FormatError;
use std::collections::BTreeMap;
use std::path::Path;

/// What a best-known value minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Total distance only (CVRP, DIMACS VRPTW, clustering).
    Distance,
    /// First the number of vehicles, then the distance (SINTEF TOP "classical" tables).
    Hierarchical,
}

/// One best-known value.
#[derive(Clone, Debug, PartialEq)]
pub struct Bks {
    /// The cost, in the file's user units (e.g. 827.3 for Solomon C101, DIMACS).
    pub cost: f64,
    /// Routes of the best-known solution, when the table says.
    pub vehicles: Option<u32>,
    /// Medians (`p`) of a clustering instance, when the table says.
    pub medians: Option<u32>,
    /// Line of the table, for messages.
    pub line: u64,
}

/// Reads the rows of `path` for `objective`, keyed by instance name (as written, e.g. `C101`,
/// `X-n101-k25`, `C1_10_1 (vrplib)`).
pub fn read_bks(path: &Path, objective: Objective) -> Result<BTreeMap<String, Bks>, FormatError> {
    let bytes = std::fs::read(path).map_err(|source| FormatError::Io {
        path: path.into(),
        source,
    })?;
    parse(path, &bytes, objective)
}

/// Parses a best-known table; `path` names it in messages.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    objective: Objective,
) -> Result<BTreeMap<String, Bks>, FormatError> {
    let bad = |line: u64, msg: String| FormatError::line(path, line as usize, msg);
    let csv_error = |e: CsvError| match e {
        CsvError::Line { line, problem } => bad(line, problem),
        CsvError::Io(e) => bad(1, e.to_string()),
    };
    let mut reader = CsvTable::from_bytes(bytes.to_vec()).map_err(csv_error)?;
    let headers = reader.headers().clone();
    if headers.iter().all(str::is_empty) {
        return Err(bad(
            1,
            "the file is empty; expected a header such as instance,bks_cost,bks_vehicles".into(),
        ));
    }
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let missing = |what: &str| {
        bad(
            1,
            format!(
                "no {what} column in the header ({})",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        )
    };
    let instance_col = find(&["instance", "name"]).ok_or_else(|| missing("`instance`"))?;
    let cost_col = find(&["bks_cost", "best_known", "cost", "bks"])
        .ok_or_else(|| missing("cost (`bks_cost` or `best_known`)"))?;
    let vehicles_col = find(&["bks_vehicles", "vehicles", "routes"]);
    let medians_col = find(&["p"]);
    let objective_col = find(&["objective"]);
    let mut table: BTreeMap<String, Bks> = BTreeMap::new();
    while let Some((record, line)) = reader.next_record().map_err(csv_error)? {
        let field = |col: usize| record.get(col).unwrap_or("");
        let row_objective = match objective_col.map(field) {
            None | Some("") => Objective::Distance,
            Some(o) if o.to_ascii_lowercase().starts_with("distance") => Objective::Distance,
            Some(o) if o.to_ascii_lowercase().starts_with("hierarchical") => {
                Objective::Hierarchical
            }
            Some(o) => {
                return Err(bad(
                    line,
                    format!("objective {o:?} is neither `distance` nor `hierarchical`"),
                ))
            }
        };
        if row_objective != objective {
            continue;
        }
        let name = field(instance_col);
        if name.is_empty() {
            return Err(bad(line, "no instance name".into()));
        }
        let cost = field(cost_col);
        let cost = cost
            .parse::<f64>()
            .ok()
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| {
                bad(
                    line,
                    format!("cost {cost:?} of {name} is not a number >= 0"),
                )
            })?;
        let count = |col: Option<usize>, what: &str| -> Result<Option<u32>, FormatError> {
            match col.map(field).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s.parse::<u32>().map(Some).map_err(|_| {
                    bad(
                        line,
                        format!("{what} {s:?} of {name} is not a whole number"),
                    )
                }),
            }
        };
        let bks = Bks {
            cost,
            vehicles: count(vehicles_col, "vehicle count")?,
            medians: count(medians_col, "p")?,
            line,
        };
        if let Some(first) = table.get(name) {
            return Err(bad(
                line,
                format!(
                    "{name} is already listed on line {} for the same objective",
                    first.line
                ),
            ));
        }
        table.insert(name.to_string(), bks);
    }
    Ok(table)
}

/// The entry of `instance`: exact name first, then ignoring ASCII case (`c1_2_1` = `C1_2_1`).
pub fn find<'a>(table: &'a BTreeMap<String, Bks>, instance: &str) -> Option<&'a Bks> {
    table.get(instance).or_else(|| {
        table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(instance))
            .map(|(_, v)| v)
    })
}

/// The first file called `name` in `dir` or up to two folders above it (best-known tables).
pub fn find_up(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    dir.ancestors()
        .take(3)
        .map(|d| d.join(name))
        .find(|p| p.exists())
}

/// The cost of a best-known solution file (a `.sol` with a `Cost: X` or `Cost X` line), if
/// `path` is one; the best knowns of PyVRP's `MDVRPTW` and `MTVRPTWR` folders come this way.
pub fn from_sol(path: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("Cost")?;
        rest.trim_start_matches(':').trim().parse::<f64>().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BKS: &str = "instance,problem,objective,convention,bks_cost,bks_vehicles,source\n\
        X-n101-k25,CVRP,distance,nint,27591,26,CVRPLIB\n\
        C101,VRPTW,distance,\"DIMACS (x10, truncated; cost/10)\",827.3,10,LKH-3\n\
        C101,VRPTW,\"hierarchical (vehicles, then distance)\",real,828.94,10,LKH-3\n";

    fn parse_str(text: &str, o: Objective) -> Result<BTreeMap<String, Bks>, FormatError> {
        parse(Path::new("bks.csv"), text.as_bytes(), o)
    }

    #[test]
    fn one_table_per_objective() {
        let d = parse_str(BKS, Objective::Distance).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d["C101"].cost, d["C101"].vehicles, d["C101"].line),
            (827.3, Some(10), 3)
        );
        let h = parse_str(BKS, Objective::Hierarchical).unwrap();
        assert_eq!(h["C101"].cost, 828.94);
        assert_eq!(find(&h, "c101").map(|b| b.cost), Some(828.94));
        assert!(find(&h, "X-n101-k25").is_none());
    }

    #[test]
    fn clustering_tables_have_medians() {
        let t = parse_str(
            "instance,set,file,n,p,best_known\ncpmp01,oc,cpmp01.txt,50,5,713.0\n",
            Objective::Distance,
        )
        .unwrap();
        assert_eq!(
            (t["cpmp01"].cost, t["cpmp01"].vehicles, t["cpmp01"].medians),
            (713.0, None, Some(5))
        );
    }

    #[test]
    fn malformed_tables_say_which_line() {
        let line = |text: &str| {
            parse_str(text, Objective::Distance)
                .unwrap_err()
                .line_number()
        };
        assert_eq!(line(""), Some(1));
        assert_eq!(line("instance,vehicles\nC101,10\n"), Some(1));
        assert_eq!(line(&BKS.replace("27591", "lots")), Some(2));
        assert_eq!(line(&BKS.replace("27591,26", "27591,26.5")), Some(2));
        assert_eq!(
            line(&BKS.replace("C101,VRPTW,\"hier", "X-n101-k25,VRPTW,\"dist")),
            Some(4)
        );
        assert_eq!(line(&BKS.replace("CVRP,distance", "CVRP,fastest")), Some(2));
    }
}
