//! The conciergeries' hosts, from the planner's sites file: the `sites/sites.csv` a plan
//! writes, with its `host`, `phone`, `access` and `opening_hours` columns filled in a
//! spreadsheet and given back with `--sites FILE` (as `demand.csv` is with `--demand`).
//!
//! - `site_id` (required) names a conciergerie of the plan; other columns a plan writes
//!   (`name`, `lon`, `households`...) are not read, so the edited file itself can be given;
//! - `host`: who receives the goods ("Épicerie Martin", "Mme Dupont"), shown on the driver's
//!   sheet instead of what OpenStreetMap says of the place;
//! - `phone`: digits, spaces, dots, dashes, parentheses and a leading `+`, 6 to 15 digits;
//! - `access`: a free note for the driver ("code 1234, door on the left");
//! - `opening_hours`: `HH:MM-HH:MM`, when the host receives deliveries: the site's window,
//!   instead of `hours.sites_open`..`sites_close` (bread still comes by `hours.bread_by`).
//!
//! An empty cell says nothing. Errors name the file, the line and the column: a site id the
//! plan does not have, a phone or hours that cannot be read, a site given twice. The file is
//! read and checked before the long steps (except the site ids, which exist only once the
//! sites are chosen).

use crate::io::csv_table::{CsvError, CsvTable};
use crate::model::{Lang, TimeOfDay};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the planner says of one site's host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Host {
    /// Who receives the goods.
    pub name: Option<String>,
    /// Their phone number, as written.
    pub phone: Option<String>,
    /// A note for the driver.
    pub access: Option<String>,
    /// When deliveries are received.
    pub hours: Option<(TimeOfDay, TimeOfDay)>,
}

impl Host {
    /// One line for the driver: `Mme Dupont · 06 12 34 56 78 · open 08:00-12:00` (`ouvert`
    /// in French).
    pub fn line(&self, lang: Lang) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.name.clone());
        parts.extend(self.phone.clone());
        if let Some((a, b)) = self.hours {
            let open = if lang == Lang::Fr { "ouvert" } else { "open" };
            parts.push(format!("{open} {a}-{b}"));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The hosts file's rows, by site id, checked except for the ids.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostsFile {
    /// The file.
    pub path: PathBuf,
    /// `(line, site id, host)` in file order.
    pub rows: Vec<(u64, String, Host)>,
}

/// A sites file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HostsError {
    /// Not readable.
    #[error("cannot read the sites file {path}: {source}; check the path")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A cell or line that cannot be used.
    #[error("{path}, line {line}{}: {problem}", column.map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Line {
        /// The file.
        path: PathBuf,
        /// The line (1 = header).
        line: u64,
        /// The column, if one is at fault.
        column: Option<&'static str>,
        /// What is wrong and what to change.
        problem: String,
    },
}

/// The columns of the hosts in `sites.csv`, after the grouping's own.
pub const HOST_COLUMNS: [&str; 4] = ["host", "phone", "access", "opening_hours"];

/// Reads and checks `path` (see the module documentation).
pub fn read(path: &Path) -> Result<HostsFile, HostsError> {
    let fail = |line: u64, column: Option<&'static str>, problem: String| HostsError::Line {
        path: path.into(),
        line,
        column,
        problem,
    };
    let from_csv = |e: CsvError| match e {
        CsvError::Io(source) => HostsError::Read {
            path: path.into(),
            source,
        },
        CsvError::Line { line, problem } => fail(line, None, problem),
    };
    let mut table = CsvTable::open(path).map_err(from_csv)?;
    let c_id = table.column(&["site_id"]).ok_or_else(|| {
        fail(1, None, format!(
            "no `site_id` column; give the sites.csv a plan wrote (sites/sites.csv), with its columns {} filled in",
            HOST_COLUMNS.join(", ")
        ))
    })?;
    let cols: Vec<Option<usize>> = HOST_COLUMNS.iter().map(|c| table.column(&[c])).collect();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some((record, line)) = table.next_record().map_err(from_csv)? {
        let cell = |k: usize| {
            cols[k]
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let id = record.get(c_id).unwrap_or("").trim().to_string();
        if id.is_empty() {
            return Err(fail(
                line,
                Some("site_id"),
                "no site id: every row names its conciergerie (as in sites/sites.csv)".into(),
            ));
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(fail(
                line,
                Some("site_id"),
                format!("site {id} is already on line {first}: keep one row per site"),
            ));
        }
        let phone = match cell(1) {
            Some(p) if !phone_ok(p) => {
                return Err(fail(line, Some("phone"), format!("{p:?} is not a phone number: digits, spaces, dots, dashes and a leading +, 6 to 15 digits (e.g. 06 12 34 56 78 or +33 6 12 34 56 78)")))
            }
            p => p.map(String::from),
        };
        let hours = match cell(3) {
            None => None,
            Some(h) => Some(hours(h).ok_or_else(|| {
                fail(line, Some("opening_hours"), format!("{h:?} is not opening hours: write HH:MM-HH:MM with the opening before the closing (e.g. 08:30-12:00)"))
            })?),
        };
        let host = Host {
            name: cell(0).map(String::from),
            phone,
            access: cell(2).map(String::from),
            hours,
        };
        rows.push((line, id, host));
    }
    Ok(HostsFile {
        path: path.into(),
        rows,
    })
}

impl HostsFile {
    /// The host of each of `site_ids` (`None`: the file says nothing of it), or the first row
    /// naming a site the plan does not have.
    pub fn match_sites(&self, site_ids: &[String]) -> Result<Vec<Option<Host>>, HostsError> {
        let ix: HashMap<&str, usize> = site_ids
            .iter()
            .enumerate()
            .map(|(k, s)| (s.as_str(), k))
            .collect();
        let mut out = vec![None; site_ids.len()];
        for (line, id, host) in &self.rows {
            let &k = ix.get(id.as_str()).ok_or_else(|| HostsError::Line {
                path: self.path.clone(),
                line: *line,
                column: Some("site_id"),
                problem: format!("site {id:?} is not a conciergerie of this plan (sites/sites.csv lists them); with another seed, other sizes or other households the sites change: plan with the settings the file was made for"),
            })?;
            out[k] = Some(host.clone());
        }
        Ok(out)
    }
}

/// Whether `p` reads as a phone number.
fn phone_ok(p: &str) -> bool {
    let body = p.strip_prefix('+').unwrap_or(p);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
}

/// `HH:MM-HH:MM` (an en dash also), opening before closing.
fn hours(h: &str) -> Option<(TimeOfDay, TimeOfDay)> {
    let (a, b) = h.split_once(['-', '–'])?;
    let (a, b): (TimeOfDay, TimeOfDay) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sites.csv");
        std::fs::write(&p, text).unwrap();
        (d, p)
    }

    #[test]
    fn an_edited_sites_file_gives_each_site_its_host() {
        let (_d, p) = file(
            "site_id,name,lon,lat,host,phone,access,opening_hours\n\
             way/1,,1.5,42.5,Épicerie Martin,+33 6 12 34 56 78,door on the left,08:00-12:30\n\
             way/2,,1.5,42.5,,,,\n",
        );
        let f = read(&p).unwrap();
        let hosts = f
            .match_sites(&["way/2".into(), "way/1".into(), "way/3".into()])
            .unwrap();
        let h = hosts[1].as_ref().unwrap();
        assert_eq!(h.name.as_deref(), Some("Épicerie Martin"));
        assert_eq!(
            h.line(Lang::En).unwrap(),
            "Épicerie Martin · +33 6 12 34 56 78 · open 08:00-12:30"
        );
        assert_eq!(h.access.as_deref(), Some("door on the left"));
        assert_eq!(hosts[0], Some(Host::default()));
        assert_eq!(hosts[2], None);
    }

    #[test]
    fn bad_rows_are_refused_with_line_and_column() {
        let cases = [
            ("site_id,phone\nway/1,call me\n", "line 2, column `phone`"),
            (
                "site_id,opening_hours\nway/1,12:00-08:00\n",
                "line 2, column `opening_hours`",
            ),
            (
                "site_id,opening_hours\nway/1,8h-12h\n",
                "column `opening_hours`",
            ),
            (
                "site_id,host\nway/1,A\nway/1,B\n",
                "line 3, column `site_id`: site way/1 is already on line 2",
            ),
            ("id,host\nway/1,A\n", "line 1: no `site_id` column"),
        ];
        for (text, want) in cases {
            let (_d, p) = file(text);
            let e = read(&p).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("sites.csv"), "{text:?}: {e}");
        }
        let (_d, p) = file("site_id,host\nway/9,A\n");
        let e = read(&p)
            .unwrap()
            .match_sites(&["way/1".into()])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2, column `site_id`") && e.contains("way/9"),
            "{e}"
        );
        let e = read(Path::new("/nonexistent/sites.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read the sites file"), "{e}");
    }
}
