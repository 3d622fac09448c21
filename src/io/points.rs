//! Point lists: a CSV with `id,lon,lat` columns.

use super::csv_table::{CsvError, CsvTable};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One point of a points file.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    /// Its identifier, as written in the file.
    pub id: String,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Line number in the file (1 = header).
    pub line: u64,
}

/// What is wrong with a points file.
#[derive(Debug, thiserror::Error)]
pub enum PointsError {
    /// The file is missing or unreadable.
    #[error("cannot read the points file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A required column is absent from the header.
    #[error("{path}, line 1: no `{column}` column; the header must name the columns id,lon,lat (found: {found})")]
    MissingColumn {
        path: PathBuf,
        column: &'static str,
        found: String,
    },
    /// A line cannot be read.
    #[error("{path}, line {line}: {problem}")]
    BadLine {
        path: PathBuf,
        line: u64,
        problem: String,
    },
    /// Two lines share an id.
    #[error(
        "{path}, line {line}: the id {id:?} was already used on line {first}; ids must be unique"
    )]
    DuplicateId {
        path: PathBuf,
        line: u64,
        id: String,
        first: u64,
    },
    /// No point at all.
    #[error("{path} has a header but no point: add one line per point, as id,lon,lat")]
    Empty { path: PathBuf },
}

/// Reads an `id,lon,lat` CSV (columns in any order, other columns ignored, `longitude`/`latitude`
/// accepted), as [`CsvTable`] reads every CSV (a byte-order mark dropped, `;` and a decimal comma
/// when the header has more `;` than `,`, a column named twice or an unclosed quote refused).
/// Every error names the file and line.
pub fn read_points(path: &Path) -> Result<Vec<PointRow>, PointsError> {
    let bad = |line: u64, problem: String| PointsError::BadLine {
        path: path.into(),
        line,
        problem,
    };
    let from_csv = |e: CsvError| match e {
        CsvError::Io(source) => PointsError::Io {
            path: path.into(),
            source,
        },
        CsvError::Line { line, problem } => bad(line, problem),
    };
    let mut table = CsvTable::open(path).map_err(from_csv)?;
    let missing = |column| PointsError::MissingColumn {
        path: path.into(),
        column,
        found: table.headers().iter().collect::<Vec<_>>().join(","),
    };
    let id_col = table.column(&["id"]).ok_or_else(|| missing("id"))?;
    let lon_col = table
        .column(&["lon", "longitude", "lng"])
        .ok_or_else(|| missing("lon"))?;
    let lat_col = table
        .column(&["lat", "latitude"])
        .ok_or_else(|| missing("lat"))?;
    let semicolon = table.semicolon();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some((record, line)) = table.next_record().map_err(from_csv)? {
        let field = |col: usize, name: &str| {
            record
                .get(col)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad(line, format!("no {name} value")))
        };
        let number = |col: usize, name: &str| -> Result<f64, PointsError> {
            let s = field(col, name)?;
            let text = if semicolon {
                s.replace(',', ".")
            } else {
                s.to_string()
            };
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    bad(
                        line,
                        format!("{name} {s:?} is not a number in decimal degrees"),
                    )
                })
        };
        let id = field(id_col, "id")?.to_string();
        let lon = number(lon_col, "lon")?;
        let lat = number(lat_col, "lat")?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(bad(
                line,
                format!(
                    "lon {lon}, lat {lat} is not a place on Earth (longitude first, then latitude)"
                ),
            ));
        }
        if let Some(&first) = seen.get(&id) {
            return Err(PointsError::DuplicateId {
                path: path.into(),
                line,
                id,
                first,
            });
        }
        seen.insert(id.clone(), line);
        rows.push(PointRow { id, lon, lat, line });
    }
    if rows.is_empty() {
        return Err(PointsError::Empty { path: path.into() });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<PointRow>, PointsError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("points.csv");
        std::fs::write(&p, text).unwrap();
        read_points(&p)
    }

    #[test]
    fn reads_columns_in_any_order() {
        let rows = read("lat,id,lon\n42.5,mairie,1.5\n42.6,ferme,1.6\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[1].id.as_str(), rows[1].lon, rows[1].lat, rows[1].line),
            ("ferme", 1.6, 42.6, 3)
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = read("id,lon,lat\na,1.5,42.5\nb,east,42.5\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("east"), "{e}");
        let e = read("id,lon,lat\na,1.5,42.5\na,1.5,42.5\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("line 2"), "{e}");
        let e = read("name,lon,lat\na,1.5,42.5\n").unwrap_err().to_string();
        assert!(e.contains("`id`"), "{e}");
        let e = read("id,lon,lat\na,42.5,142.5\n").unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
        assert!(matches!(
            read("id,lon,lat\n"),
            Err(PointsError::Empty { .. })
        ));
        assert!(matches!(
            read("id,lon,lat\nx,1\n"),
            Err(PointsError::BadLine { line: 2, .. })
        ));
    }

    #[test]
    fn issue32_read_as_every_csv_is() {
        let rows = read("\u{feff}id;lon;lat\nmairie;1,5;42,5\n").unwrap();
        assert_eq!((rows[0].lon, rows[0].lat), (1.5, 42.5));
        let e = read("id,lon,lat,lon\na,1.5,42.5,1.6\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1") && e.contains("named twice"), "{e}");
        let e = read("id,lon,lat\n\"a,1.5,42.5\nb,1.6,42.6\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("never closed"), "{e}");
    }
}
