//! The planner's sites file: the `sites/sites.csv` a plan writes, edited in a spreadsheet
//! and given back with `--sites FILE` (as `demand.csv` is with `--demand`). It carries two
//! kinds of decisions.
//!
//! **Which sites open** (read before the siting):
//! - `site_id` (required) names a place: a site of a previous plan, any candidate place of the
//!   territory (a household's or a public place's id, as `sites.csv` and `assignment.csv`
//!   write them), or a new place of the planner's (any id not in the territory, with `lon`
//!   and `lat`);
//! - `status`: `open` (what a plan writes for its sites), `fixed` (stays open whatever the
//!   cost), `forbidden` (never opens), `candidate` (may open, like any place); an empty cell
//!   is `open`. A file without decisions gives back the same grouping (same settings and
//!   seed); with decisions, the sites far from them stay where they are and those near them
//!   are sited again (see "A site's number" below);
//! - `lon`, `lat`: where the site is; a site given elsewhere than its place (more than
//!   [`MOVED_M`] away) is *moved*: it opens there (a planner moves a site to have it there,
//!   so a moved site is fixed) and is snapped again to the paths from there;
//! - `min_foyers`, `max_foyers`: this site's own bounds, instead of the settings' (an empty
//!   cell keeps the settings');
//! - `foyers`: as the previous plan wrote it, to say what changed (not a decision).
//!
//! **Who receives the goods** (read once the sites exist, for the sites of the plan):
//! - `host`: who receives the goods ("Épicerie Martin", "Mme Dupont"), shown on the driver's
//!   sheet instead of what OpenStreetMap says of the place;
//! - `phone`: digits, spaces, dots, dashes, parentheses and a leading `+`, 6 to 15 digits;
//! - `access`: a free note for the driver ("code 1234, door on the left");
//! - `opening_hours`: `HH:MM-HH:MM`, when the host receives deliveries: the site's window,
//!   instead of `hours.sites_open`..`sites_close` (bread still comes by `hours.bread_by`).
//!
//!
//! **The week** (`tournee week`, read for the sites of the plan):
//! - `passages_per_week` (1 to 7) or `days` (`mon,wed,fri`, `lun mer ven`): the site's
//!   subscription;
//! - `storage_litres`: what a staffed site keeps between two passages, instead of
//!   `week.storage_litres`;
//! - `boxes_s`, `boxes_m`, `boxes_l` (or `casiers_s`...): the site is a locker (no staff) with
//!   so many small, medium and large boxes (`lockers.*_litres`); a locker has no storage volume.
//!
//! **A site's number** (`label`, as the plan wrote it) stays the site's across re-plans; a new
//! site gets the next number after the file's largest. A re-plan changes only what the edits
//! force: the file's sites (rows with a number) stay where they are, but for the few nearest
//! each change (a site forbidden, a place fixed, added or moved that was not a site; see
//! [`crate::plan::siting::LOCAL_SITES`]), which are sited again. `kind` (`site`, `hamlet`,
//! `home`, as the plan wrote it) keeps a hamlet or home site's own bounds where it stays.
//!
//! Other columns (`name`, `households`...) are not read, so the edited file itself can be
//! given. An empty cell says nothing. Errors name the file, the line and the column: an
//! unknown status, a coordinate or bound that cannot be read, a site given twice. The file is
//! read and checked before the long steps; a place the territory does not have and that has no
//! coordinates, or a site off the territory's paths, is refused as soon as the candidates are
//! known, before the search.

use crate::io::csv_table::{CsvError, CsvTable};
use crate::model::{Lang, LonLat, TimeOfDay};
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

/// A site given this far from its place (metres) is moved there.
pub const MOVED_M: f64 = 5.0;

/// What the planner decides of a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A site of the previous plan (a candidate like any other).
    Open,
    /// Must open.
    Fixed,
    /// Must not open.
    Forbidden,
    /// May open.
    Candidate,
}

impl Status {
    /// As written in the file.
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Fixed => "fixed",
            Status::Forbidden => "forbidden",
            Status::Candidate => "candidate",
        }
    }

    fn parse(s: &str) -> Option<Status> {
        Some(match s.to_ascii_lowercase().as_str() {
            "open" | "ouvert" | "ouverte" => Status::Open,
            "fixed" | "fixe" | "fixé" | "fixée" | "imposé" | "imposée" => Status::Fixed,
            "forbidden" | "interdit" | "interdite" | "exclu" | "exclue" => Status::Forbidden,
            "candidate" | "candidat" | "candidate possible" => Status::Candidate,
            _ => return None,
        })
    }
}

/// One row of the sites file.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteRow {
    /// Its line (1 = header).
    pub line: u64,
    /// The place's id.
    pub id: String,
    /// The decision.
    pub status: Status,
    /// Where the site is, when given.
    pub at: Option<LonLat>,
    /// Its own least foyers.
    pub min: Option<i64>,
    /// Its own most foyers.
    pub max: Option<i64>,
    /// Its foyers in the previous plan.
    pub foyers: Option<i64>,
    /// Its name, as written.
    pub name: Option<String>,
    /// Its host.
    pub host: Host,
    /// Its passages a week (`tournee week`), when given.
    pub passages: Option<u32>,
    /// Its days of the week (0 = Monday), when given: the site is served on these.
    pub days: Option<Vec<u8>>,
    /// Litres it keeps between two passages (a staffed site), when given: instead of
    /// `week.storage_litres`.
    pub storage_litres: Option<i64>,
    /// Its boxes by size (small, medium, large) when it is a locker (no staff).
    pub boxes: Option<[u32; 3]>,
    /// Its number (`label`, as the plan wrote it): a site of the plan keeps it.
    pub label: Option<u32>,
    /// What the plan made of it (`kind`: a regular site, a hamlet site or a home delivery).
    pub kind: Option<crate::plan::siting::hamlets::SiteKind>,
}

/// The sites file's rows, checked except for the ids.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SitesFile {
    /// The file.
    pub path: PathBuf,
    /// The rows, in file order.
    pub rows: Vec<SiteRow>,
}

/// A sites file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SitesFileError {
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

/// The most foyers a site's bound may say.
const MAX_BOUND: i64 = 1_000_000;

/// Reads and checks `path` (see the module documentation).
pub fn read(path: &Path) -> Result<SitesFile, SitesFileError> {
    let fail = |line: u64, column: Option<&'static str>, problem: String| SitesFileError::Line {
        path: path.into(),
        line,
        column,
        problem,
    };
    let from_csv = |e: CsvError| match e {
        CsvError::Io(source) => SitesFileError::Read {
            path: path.into(),
            source,
        },
        CsvError::Line { line, problem } => fail(line, None, problem),
    };
    let mut table = CsvTable::open(path).map_err(from_csv)?;
    let comma = table.semicolon();
    let c_id = table.column(&["site_id"]).ok_or_else(|| {
        fail(1, None, format!(
            "no `site_id` column; give the sites.csv a plan wrote (sites/sites.csv), with its columns status, {} filled in",
            HOST_COLUMNS.join(", ")
        ))
    })?;
    let cols: Vec<Option<usize>> = HOST_COLUMNS.iter().map(|c| table.column(&[c])).collect();
    let col = |names: &[&str]| table.column(names);
    let (c_status, c_lon, c_lat) = (col(&["status"]), col(&["lon"]), col(&["lat"]));
    let (c_label, c_kind) = (col(&["label", "numero", "numéro"]), col(&["kind"]));
    let mut labels: HashMap<u32, u64> = HashMap::new();
    let (c_min, c_max, c_foyers, c_name) = (
        col(&["min_foyers"]),
        col(&["max_foyers"]),
        col(&["foyers"]),
        col(&["name"]),
    );
    let (c_passages, c_days) = (
        col(&["passages_per_week", "passages"]),
        col(&["days", "jours"]),
    );
    let c_storage = col(&["storage_litres", "stockage_litres"]);
    let c_boxes = [
        col(&["boxes_s", "casiers_s"]),
        col(&["boxes_m", "casiers_m"]),
        col(&["boxes_l", "casiers_l"]),
    ];
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some((record, line)) = table.next_record().map_err(from_csv)? {
        let at = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let cell = |k: usize| at(cols[k]);
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
        let status = match at(c_status) {
            None => Status::Open,
            Some(s) => Status::parse(s).ok_or_else(|| {
                fail(line, Some("status"), format!("{s:?} is not a status: write open, fixed, forbidden or candidate (or leave it empty for open)"))
            })?,
        };
        let number =
            |c: Option<usize>, name: &'static str| -> Result<Option<f64>, SitesFileError> {
                let Some(v) = at(c) else { return Ok(None) };
                let text = if comma {
                    v.replace(',', ".")
                } else {
                    v.to_string()
                };
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(Some(x)),
                    _ => Err(fail(line, Some(name), format!("{v:?} is not a number"))),
                }
            };
        let lon = number(c_lon, "lon")?;
        let lat = number(c_lat, "lat")?;
        let at_ll = match (lon, lat) {
            (None, None) => None,
            (Some(lon), Some(lat)) => {
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(fail(line, Some("lon"), format!("longitude {lon} is outside -180..180: lon is the east-west coordinate (about 1.5 in Andorra, 9.5 in Liechtenstein)")));
                }
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(fail(
                        line,
                        Some("lat"),
                        format!("latitude {lat} is outside -90..90: are lon and lat swapped?"),
                    ));
                }
                Some(LonLat::new(lon, lat))
            }
            (Some(_), None) => {
                return Err(fail(
                    line,
                    Some("lat"),
                    "a longitude without a latitude: give both, or neither".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(fail(
                    line,
                    Some("lon"),
                    "a latitude without a longitude: give both, or neither".into(),
                ))
            }
        };
        let bound = |c: Option<usize>, name: &'static str| -> Result<Option<i64>, SitesFileError> {
            match number(c, name)? {
                None => Ok(None),
                Some(x) if x.fract() == 0.0 && (0.0..=MAX_BOUND as f64).contains(&x) => {
                    Ok(Some(x as i64))
                }
                Some(x) => Err(fail(
                    line,
                    Some(name),
                    format!("{x} is not a number of foyers: a whole number from 0 to {MAX_BOUND}"),
                )),
            }
        };
        let min = bound(c_min, "min_foyers")?;
        let max = bound(c_max, "max_foyers")?;
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                return Err(fail(line, Some("min_foyers"), format!("at least {a} foyers but at most {b}: the minimum must not exceed the maximum")));
            }
        }
        if max == Some(0) && status != Status::Forbidden {
            return Err(fail(
                line,
                Some("max_foyers"),
                "at most 0 foyers: to close the site, write forbidden in its status".into(),
            ));
        }
        let foyers = bound(c_foyers, "foyers")?;
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
        let days = match at(c_days) {
            None => None,
            Some(d) => Some(weekdays(d).ok_or_else(|| {
                fail(
                    line,
                    Some("days"),
                    format!(
                        "{d:?} is not a list of days: write them as mon,wed,fri (or lun,mer,ven)"
                    ),
                )
            })?),
        };
        let passages = match at(c_passages) {
            None => None,
            Some(v) => match v.parse::<u32>() {
                Ok(k) if (1..=7).contains(&k) => Some(k),
                _ => {
                    return Err(fail(
                        line,
                        Some("passages_per_week"),
                        format!(
                            "{v:?} is not a number of passages a week: a whole number from 1 to 7"
                        ),
                    ))
                }
            },
        };
        if let (Some(k), Some(d)) = (passages, &days) {
            if d.len() != k as usize {
                return Err(fail(line, Some("days"), format!("{} day(s) for {k} passage(s) a week: give as many days as passages, or leave one of the two empty", d.len())));
            }
        }
        let storage_litres = match at(c_storage) {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|x| (1..=MAX_STORAGE_LITRES).contains(x))
                    .ok_or_else(|| {
                        fail(line, Some("storage_litres"), format!("{v:?} is not a storage volume: litres, a whole number from 1 to {MAX_STORAGE_LITRES}"))
                    })?,
            ),
        };
        let mut boxes: Option<[u32; 3]> = None;
        for (k, (&c, size)) in c_boxes
            .iter()
            .zip(["boxes_s", "boxes_m", "boxes_l"])
            .enumerate()
        {
            if let Some(v) = at(c) {
                let n = v
                    .parse::<u32>()
                    .ok()
                    .filter(|&x| x <= MAX_BOXES)
                    .ok_or_else(|| {
                        fail(line, Some(size), format!("{v:?} is not a number of boxes: a whole number from 0 to {MAX_BOXES}"))
                    })?;
                boxes.get_or_insert([0; 3])[k] = n;
            }
        }
        if boxes == Some([0; 3]) {
            return Err(fail(line, Some("boxes_s"), "a locker without a box: give its boxes (boxes_s, boxes_m, boxes_l), or leave the three empty for a staffed site".into()));
        }
        if boxes.is_some() && storage_litres.is_some() {
            return Err(fail(line, Some("storage_litres"), "a locker keeps goods in its boxes, a staffed site on its shelves: give boxes_s, boxes_m, boxes_l or storage_litres, not both".into()));
        }
        let label = match at(c_label) {
            None => None,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=MAX_LABEL).contains(&n) => {
                    if let Some(first) = labels.insert(n, line) {
                        return Err(fail(line, Some("label"), format!("number {n} is already the site's on line {first}: each site keeps its own number (leave the cell empty for a new site)")));
                    }
                    Some(n)
                }
                _ => {
                    return Err(fail(line, Some("label"), format!("{v:?} is not a site's number: a whole number from 1 to {MAX_LABEL}, as the plan wrote it (or leave it empty)")))
                }
            },
        };
        use crate::plan::siting::hamlets::SiteKind;
        let kind = match at(c_kind) {
            None => None,
            Some("site") => Some(SiteKind::Regular),
            Some("hamlet") => Some(SiteKind::Hamlet),
            Some("home") => Some(SiteKind::Home),
            Some(v) => {
                return Err(fail(line, Some("kind"), format!("{v:?} is not a kind of site: the plan writes site, hamlet or home (or leave it empty)")))
            }
        };
        rows.push(SiteRow {
            line,
            id,
            status,
            at: at_ll,
            min,
            max,
            foyers,
            // The name a plan wrote ("Conciergerie 12 (...)") is the plan's, not the
            // planner's: a new place keeps only a name the planner gave.
            name: at(c_name).filter(|n| !plan_written(n)).map(String::from),
            host,
            passages,
            days,
            storage_litres,
            boxes,
            label,
            kind,
        });
    }
    Ok(SitesFile {
        path: path.into(),
        rows,
    })
}

/// Whether `name` is the one a plan writes for a site ("Conciergerie 12 (a household)",
/// "Home delivery 3"), in either language.
fn plan_written(name: &str) -> bool {
    ["Conciergerie ", "Home delivery ", "Livraison à domicile "]
        .iter()
        .filter_map(|p| name.strip_prefix(p))
        .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// The largest site number a file may give.
pub const MAX_LABEL: u32 = 1_000_000;

/// Most litres a staffed site keeps (a barn).
pub const MAX_STORAGE_LITRES: i64 = 1_000_000;
/// Most boxes of one size in a locker.
pub const MAX_BOXES: u32 = 10_000;

/// The days of a list such as `mon,wed,fri` or `lun mer ven` (English or French, any case,
/// separated by commas, spaces, `;` or `/`), 0 = Monday, sorted; `None` if a word is not a day
/// or a day is given twice.
pub fn weekdays(text: &str) -> Option<Vec<u8>> {
    const NAMES: [[&str; 4]; 7] = [
        ["mon", "monday", "lun", "lundi"],
        ["tue", "tuesday", "mar", "mardi"],
        ["wed", "wednesday", "mer", "mercredi"],
        ["thu", "thursday", "jeu", "jeudi"],
        ["fri", "friday", "ven", "vendredi"],
        ["sat", "saturday", "sam", "samedi"],
        ["sun", "sunday", "dim", "dimanche"],
    ];
    let mut days = Vec::new();
    for word in text.split([',', ' ', ';', '/']).filter(|w| !w.is_empty()) {
        let w = word.to_lowercase();
        let d = NAMES.iter().position(|n| n.contains(&w.as_str()))? as u8;
        if days.contains(&d) {
            return None;
        }
        days.push(d);
    }
    days.sort_unstable();
    (!days.is_empty()).then_some(days)
}

impl SitesFile {
    /// The host of each of `site_ids` (`None`: the file says nothing of it), and a note for
    /// each row with a host whose site is not one of them (it closed: its host is not lost
    /// silently).
    pub fn match_sites(&self, site_ids: &[String]) -> (Vec<Option<Host>>, Vec<String>) {
        let ix: HashMap<&str, usize> = site_ids
            .iter()
            .enumerate()
            .map(|(k, s)| (s.as_str(), k))
            .collect();
        let mut out = vec![None; site_ids.len()];
        let mut notes = Vec::new();
        for r in &self.rows {
            match ix.get(r.id.as_str()) {
                Some(&k) => out[k] = Some(r.host.clone()),
                None if r.host != Host::default() => notes.push(format!(
                    "{}, line {}: site {} has a host ({}) but does not open in this plan; write fixed in its status to keep it open",
                    self.path.display(),
                    r.line,
                    r.id,
                    r.host.line(Lang::En).unwrap_or_else(|| "an access note".into())
                )),
                None => {}
            }
        }
        (out, notes)
    }

    /// The rows by site id (ids are unique: [`read`] refuses a site given twice).
    pub fn by_id(&self) -> HashMap<&str, &SiteRow> {
        self.rows.iter().map(|r| (r.id.as_str(), r)).collect()
    }
}

/// What became of a site against the planner's sites file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Open before (`open` or `fixed` in the file) and now.
    Kept,
    /// Open before, closed now (another place serves its foyers better).
    Closed,
    /// Forbidden by the file.
    Forbidden,
    /// Open now, not before.
    New,
}

impl Change {
    /// As `changes.csv` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::Closed => "closed",
            Change::Forbidden => "forbidden",
            Change::New => "new",
        }
    }
}

/// One site's change against the planner's sites file.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteChange {
    /// The site's id.
    pub id: String,
    /// Its name, if known.
    pub name: Option<String>,
    /// What became of it.
    pub change: Change,
    /// Fixed by the file.
    pub fixed: bool,
    /// Its foyers as the file says (the previous plan's), if it says.
    pub before: Option<i64>,
    /// Its foyers now (open sites).
    pub after: Option<i64>,
}

/// The sites of grouping `g` against the file's: every row of the file that was or is open or
/// is forbidden, then the sites the file did not have, in the grouping's order.
pub fn changes(file: &SitesFile, g: &super::Grouping) -> Vec<SiteChange> {
    let summaries = g.summaries();
    // The planner's fixed sites (not those the search only kept in place).
    let fixed: Vec<bool> = g.result.sites.open.iter().map(|&j| g.fixed[j]).collect();
    let open: HashMap<&str, usize> = summaries
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id.as_str(), k))
        .collect();
    let mut out = Vec::new();
    for r in &file.rows {
        let was_open = matches!(r.status, Status::Open | Status::Fixed);
        let now = open.get(r.id.as_str()).copied();
        let change = match (r.status, now) {
            (Status::Forbidden, _) => Change::Forbidden,
            (_, Some(_)) if was_open => Change::Kept,
            (_, Some(_)) => Change::New,
            (_, None) if was_open => Change::Closed,
            (_, None) => continue,
        };
        out.push(SiteChange {
            id: r.id.clone(),
            name: now
                .and_then(|k| summaries[k].name.clone())
                .or(r.name.clone()),
            change,
            fixed: now.is_some_and(|k| fixed[k]),
            before: r
                .foyers
                .filter(|_| was_open || r.status == Status::Forbidden),
            after: now.map(|k| summaries[k].foyers),
        });
    }
    let in_file = file.by_id();
    for (k, s) in summaries.iter().enumerate() {
        if !in_file.contains_key(s.id.as_str()) {
            out.push(SiteChange {
                id: s.id.clone(),
                name: s.name.clone(),
                change: Change::New,
                fixed: fixed[k],
                before: None,
                after: Some(s.foyers),
            });
        }
    }
    out
}

/// One line for the planner: how many sites were kept, closed, forbidden and opened against
/// the file, and how many kept sites changed size.
pub fn changes_line(file: &SitesFile, changes: &[SiteChange]) -> String {
    let count = |c: Change| changes.iter().filter(|x| x.change == c).count();
    let fixed = changes.iter().filter(|x| x.fixed).count();
    let resized = changes
        .iter()
        .filter(|x| x.change == Change::Kept && x.before.is_some() && x.before != x.after)
        .count();
    format!(
        "against {}: {} sites kept ({fixed} fixed, {resized} with other foyers), {} closed, {} forbidden, {} new (sites/changes.csv lists them)",
        file.path.display(),
        count(Change::Kept),
        count(Change::Closed),
        count(Change::Forbidden),
        count(Change::New)
    )
}

/// `changes.csv`: `site_id,name,change,fixed,foyers_before,foyers_after`.
pub fn changes_csv(changes: &[SiteChange]) -> Vec<u8> {
    let cell = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    crate::io::files::csv_bytes(
        &[
            "site_id",
            "name",
            "change",
            "fixed",
            "foyers_before",
            "foyers_after",
        ],
        changes.iter().map(|c| {
            vec![
                c.id.clone(),
                c.name.clone().unwrap_or_default(),
                c.change.name().to_string(),
                if c.fixed { "yes" } else { "" }.to_string(),
                cell(c.before),
                cell(c.after),
            ]
        }),
    )
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
        let (hosts, notes) = f.match_sites(&["way/2".into(), "way/1".into(), "way/3".into()]);
        assert!(notes.is_empty(), "{notes:?}");
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
    fn statuses_coordinates_and_bounds_are_read() {
        let (_d, p) = file(
            "site_id;status;lon;lat;min_foyers;max_foyers;foyers\n\
             way/1;fixed;1,5;42,5;30;;44\n\
             way/2;Interdit;;;;;\n\
             new/1;candidate;1,52;42,51;;70;\n\
             way/3;;;;;;\n",
        );
        let f = read(&p).unwrap();
        type Decision = (Status, Option<LonLat>, Option<i64>, Option<i64>);
        let r: Vec<Decision> = f
            .rows
            .iter()
            .map(|r| (r.status, r.at, r.min, r.max))
            .collect();
        assert_eq!(
            r,
            vec![
                (Status::Fixed, Some(LonLat::new(1.5, 42.5)), Some(30), None),
                (Status::Forbidden, None, None, None),
                (
                    Status::Candidate,
                    Some(LonLat::new(1.52, 42.51)),
                    None,
                    Some(70)
                ),
                (Status::Open, None, None, None),
            ]
        );
        assert_eq!(f.rows[0].foyers, Some(44));
        assert_eq!(f.by_id().get("way/3").map(|r| r.line), Some(5));
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
            (
                "site_id,status\nway/1,closed\n",
                "line 2, column `status`: \"closed\" is not a status",
            ),
            ("site_id,lon,lat\nway/1,1.5,\n", "line 2, column `lat`"),
            (
                "site_id,lon,lat\nway/1,1.5,142.5\n",
                "line 2, column `lat`: latitude 142.5",
            ),
            (
                "site_id,lon,lat\nway/1,east,42\n",
                "line 2, column `lon`: \"east\" is not a number",
            ),
            (
                "site_id,min_foyers,max_foyers\nway/1,60,40\n",
                "line 2, column `min_foyers`",
            ),
            (
                "site_id,max_foyers\nway/1,-3\n",
                "line 2, column `max_foyers`",
            ),
            (
                "site_id,min_foyers\nway/1,4.5\n",
                "line 2, column `min_foyers`",
            ),
        ];
        for (text, want) in cases {
            let (_d, p) = file(text);
            let e = read(&p).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("sites.csv"), "{text:?}: {e}");
        }
        // A host whose site does not open is said, not dropped silently.
        let (_d, p) = file("site_id,host\nway/9,A\n");
        let (hosts, notes) = read(&p).unwrap().match_sites(&["way/1".into()]);
        assert_eq!(hosts, vec![None]);
        assert!(
            notes.len() == 1 && notes[0].contains("line 2") && notes[0].contains("way/9"),
            "{notes:?}"
        );
        let e = read(Path::new("/nonexistent/sites.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read the sites file"), "{e}");
    }
}
