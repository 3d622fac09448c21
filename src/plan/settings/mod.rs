//! The plan's settings: one TOML file ([`mod@file`]) and the command line's flags, read once into
//! typed, checked [`Settings`] (times of day, dates, the depot as a point, the number of vans).
//!
//! [`Settings::load`] reads the file and the flags over the defaults and checks everything at
//! once: an unknown key (with the closest known one), a value of the wrong type, a number out
//! of its documented range (below), a time that is not `"HH:MM"`, a date that
//! does not exist, a shift that ends before it starts. A file with several mistakes gets them
//! all in one [`SettingsError`], each with where it is (file and line, or flag), the value and
//! what to write. Nothing downstream parses a string again.
//!
//! Ranges (generous: they refuse what cannot be meant, not what is unusual):
//!
//! | keys | range |
//! |---|---|
//! | `seed` | 0 or more |
//! | `lang` | `"fr"` (default) or `"en"` |
//! | `sites.min`, `target`, `max` | `0 <= min <= target <= max`, `1 <= max <= 100,000` |
//! | `sites.kicks` | 0 to 100,000 |
//! | `sites.max_walk_m` | 50 to 100,000 metres |
//! | `sites.sensitivity_sizes` | 2 to 100,000 foyers each, at most 10 sizes |
//! | `demand.parcels_per_foyer` | 0 to 1 (a probability per foyer and day) |
//! | `demand.parcel_litres` | 0 to 1,000 |
//! | `demand.*_litres_per_foyer` | 0 to 1,000 |
//! | `fleet.vans` | `"auto"` or 1 to 1,000 |
//! | `fleet.capacity_litres` | 1 to 100,000 (a 90 m³ lorry) |
//! | `fleet.shift_start` < `fleet.shift_end` | times of day, `"HH:MM"` up to `"47:59"` |
//! | `fleet.stop_minutes`, `fleet.order_minutes` | 0 to 600 |
//! | `fleet.break_minutes` | 0 to 240, shorter than the shift |
//! | `fleet.speeds` | `"rural"` (default) or `"posted"` |
//! | `fleet.fresh_products` | `"via_depot"` (default) or `"direct"` |
//! | `fleet.break_after_hours` | 0.5 to 24; the shift at most twice that plus the break (one break a shift) |
//! | `hours.*` | times of day; each opening before its closing; the sites open within the shift |
//! | `factors.*_kg_per_km`, `*_eur_per_km` | 0 to 100 |
//! | `factors.driver_eur_per_hour` | 0 to 1,000 |
//! | `factors.van_eur_per_day` | 0 to 100,000 |
//! | `factors.days_per_year` | 1 to 366 |
//! | `mobility.*_per_foyer_per_week` | 0 to 100 |
//! | `mobility.car_share_beyond_walk_limit` | 0 to 1 |
//! | `mobility.walk_limit_m` | 0 to 100,000 |
//! | `funding.site_eur_per_month` | 0 to 100,000 |
//! | `funding.collectivity_share` | 0 to 1 |
//! | `funding.subscription_eur_per_foyer_per_month` | 0 (derived) to 1,000 |
//! | `funding.participation` | above 0, up to 1 |
//! | `postman.mail_share` | 0 to 1 |
//! | `postman.letterbox_seconds` | 0 to 600 |
//! | `postman.site_minutes` | 0 to 600 |
//! | `postman.mail_days_per_week` | 1 to 6 rhythms, each 1 to 6 days |
//! | `week.days` | 1 to 7; `week.passages_per_week` 1 to `week.days` |
//! | `lockers.*_litres` | 1 to 10,000, small <= medium <= large (a locker's large box at least a parcel, `demand.parcel_litres`: checked by `tournee week` where the sites file has lockers) |
//! | `lockers.parcels_*_share` | 0 to 1, together at most 1 |
//! | `lockers.collect_days` | 1 to 7 |
//! | `lockers.divert_km` | 0 to 1,000 |
//! | `date` | empty (tomorrow) or a real day, `"YYYY-MM-DD"` |
//! | `depot` | empty (automatic) or `"lon,lat"` in degrees |
//!
//! Every number must be finite: NaN and infinities are refused everywhere.
//!
//! ```
//! use tournee::plan::settings::{Flag, Settings};
//! let s = Settings::from_toml("[fleet]\nvans = 2\nshift_start = \"06:30\"\n", "plan.toml", &[
//!     Flag::new("--seed", "seed", 7),
//! ]).unwrap();
//! assert_eq!((s.seed, s.fleet.shift_start.to_string()), (7, "06:30".to_string()));
//!
//! let e = Settings::from_toml("[fleet]\nvanz = 2\nshift_end = \"25h\"\n", "plan.toml", &[]).unwrap_err();
//! let text = e.to_string();
//! assert!(text.contains("line 2") && text.contains("did you mean `fleet.vans`"), "{text}");
//! assert!(text.contains("line 3") && text.contains("HH:MM"), "{text}");
//! ```

mod check;
pub mod file;
mod read;

pub use file::{
    DemandModel, Factors, Funding, Lockers, Mobility, Postman, SettingsFile, SiteSizes, VanType,
    Vans, WeekFile,
};

use crate::model::{Date, LonLat, TimeOfDay};
use std::fmt;
use std::path::{Path, PathBuf};

/// Everything a plan needs to know besides the territory, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Random seed of the demand model and of the solvers.
    pub seed: u64,
    /// Language of the pages people read.
    pub lang: crate::model::Lang,
    /// The day planned; `None`: the day after today.
    pub date: Option<Date>,
    /// The depot.
    pub depot: Depot,
    /// The planner's own households (`id,lon,lat[,foyers]` CSV) instead of the extract's
    /// buildings; given on the command line (`--households`), not in the file.
    pub households: Option<PathBuf>,
    /// The planner's sites file with the hosts (the plan's `sites/sites.csv`, its host columns
    /// filled: see [`crate::plan::sites_file`]); given on the command line (`--sites`), not in the file.
    pub sites_file: Option<PathBuf>,
    /// The producers' names and supply days (`plan --producers`, not in the file: see
    /// [`crate::plan::week::producers`]).
    pub producers_file: Option<PathBuf>,
    /// A hard stop for the whole plan (`--time-limit`, not in the file): the searches stop there
    /// with the best they have. `None`: the budgets are counts only, and the plan is the same on
    /// every machine.
    pub deadline: Option<std::time::Instant>,
    /// Conciergerie sizes and the siting budget.
    pub sites: SiteSizes,
    /// The day's demand model.
    pub demand: DemandModel,
    /// Vans and drivers.
    pub fleet: Fleet,
    /// Opening hours.
    pub hours: Hours,
    /// Emission factors and costs.
    pub factors: Factors,
    /// Household travel.
    pub mobility: Mobility,
    /// Who pays.
    pub funding: Funding,
    /// Today's postman, letters included.
    pub postman: Postman,
    /// The week (`tournee week`).
    pub week: WeekFile,
    /// Lockers (`tournee week`).
    pub lockers: Lockers,
}

/// Where the vans leave from.
#[derive(Clone, Debug, PartialEq)]
pub enum Depot {
    /// Post offices: the one nearest the households' centre, or for a territory larger than
    /// a depot's day the one nearest each part's centre (else the public place nearest it).
    Auto,
    /// These points (`depot = "lon,lat"`, several separated by `;`).
    At(Vec<LonLat>),
}

/// Vans and drivers, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    /// How many vans the rounds may use.
    pub vans: Vans,
    /// Engine.
    pub van_type: VanType,
    /// Load volume, litres (1 to 100,000).
    pub capacity_litres: i64,
    /// Shift start.
    pub shift_start: TimeOfDay,
    /// Shift end, after the start.
    pub shift_end: TimeOfDay,
    /// Minutes per visit, once however many orders it handles (0 to 600).
    pub stop_minutes: f64,
    /// Minutes per order handled at a visit (0 to 600).
    pub order_minutes: f64,
    /// The driver's break, minutes (0: none).
    pub break_minutes: f64,
    /// Hours of work at most before the break.
    pub break_after_hours: f64,
    /// Van speeds at the posted limits (`fleet.speeds = "posted"`) instead of the rural model.
    pub posted_speeds: bool,
    /// Fresh products go from the farm to the site the same day (`fleet.fresh_products =
    /// "direct"`), instead of through the depot with the next morning's order.
    pub fresh_direct: bool,
    /// Seconds a reload takes, when the vans may go back to their depot within the shift to
    /// load again (`fleet.reloads`, `fleet.reload_minutes`); `None`: one trip a van.
    pub reload_seconds: Option<i64>,
}

impl Fleet {
    /// Seconds per visit (parking, walking in), once however many orders it handles.
    pub fn stop_seconds(&self) -> i64 {
        (self.stop_minutes * 60.0).round() as i64
    }

    /// Seconds per order handled at a visit.
    pub fn order_seconds(&self) -> i64 {
        (self.order_minutes * 60.0).round() as i64
    }

    /// The break's length, seconds (0: none).
    pub fn break_seconds(&self) -> i64 {
        (self.break_minutes * 60.0).round() as i64
    }

    /// Work before the break at most, seconds.
    pub fn break_after_seconds(&self) -> i64 {
        (self.break_after_hours * 3600.0).round() as i64
    }

    /// Length of the shift, seconds (positive).
    pub fn shift_seconds(&self) -> i64 {
        self.shift_end.seconds() - self.shift_start.seconds()
    }

    /// Hours a driver is paid for a day at the wheel: the whole shift, less the (unpaid)
    /// break when the shift is long enough to need one. A driver is hired for the shift,
    /// not for the minutes a round happens to take.
    pub fn paid_day_hours(&self) -> f64 {
        let shift = self.shift_seconds();
        let pause = if shift > self.break_after_seconds() {
            self.break_seconds()
        } else {
            0
        };
        (shift - pause).max(0) as f64 / 3600.0
    }
}

/// Opening hours, checked (each opening before its closing, the sites open within the shift).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hours {
    /// Conciergeries receive deliveries from...
    pub sites_open: TimeOfDay,
    /// ...until.
    pub sites_close: TimeOfDay,
    /// Bread must be at the conciergerie by this time.
    pub bread_by: TimeOfDay,
    /// Producers hand over their products from...
    pub producers_open: TimeOfDay,
    /// ...until.
    pub producers_close: TimeOfDay,
}

/// A value given on the command line for a key of the file (`--vans 3` is `fleet.vans = 3`).
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    /// The flag as typed, for messages (`--vans`).
    pub name: String,
    /// The dotted key it sets (`fleet.vans`).
    pub key: &'static str,
    /// The value.
    pub value: toml::Value,
}

impl Flag {
    /// `name` sets `key` to `value`.
    pub fn new(name: &str, key: &'static str, value: impl Into<toml::Value>) -> Flag {
        Flag {
            name: name.to_string(),
            key,
            value: value.into(),
        }
    }
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The default.
    Default,
    /// A settings file, at this line when known.
    File {
        /// The file.
        path: PathBuf,
        /// The line of the key, 1-based.
        line: Option<usize>,
    },
    /// A command-line flag.
    Flag(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("the defaults"),
            Origin::File {
                path,
                line: Some(l),
            } => write!(f, "{}, line {l}", path.display()),
            Origin::File { path, line: None } => write!(f, "{}", path.display()),
            Origin::Flag(name) => f.write_str(name),
        }
    }
}

/// One value that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingProblem {
    /// Where it is.
    pub origin: Origin,
    /// The dotted key (empty for a file that is not TOML).
    pub key: String,
    /// The value as given, when it helps.
    pub value: Option<String>,
    /// What is wrong and what to write.
    pub message: String,
}

impl fmt::Display for SettingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.origin)?;
        match (&self.value, self.key.is_empty()) {
            (_, true) => {}
            (Some(v), false) => write!(f, "{} = {v}: ", self.key)?,
            (None, false) => {}
        }
        f.write_str(&self.message)
    }
}

/// Settings that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file cannot be read.
    #[error("cannot read the settings file {path}: {source}; check the path")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Values that cannot be used, all of them.
    #[error("{}", list(.0))]
    Invalid(Vec<SettingProblem>),
}

fn list(problems: &[SettingProblem]) -> String {
    let mut s = match problems.len() {
        1 => "1 problem in the settings:".to_string(),
        n => format!("{n} problems in the settings:"),
    };
    for p in problems {
        s.push_str("\n  - ");
        s.push_str(&p.to_string());
    }
    s.push_str("\n  (`tournee config` prints every key with its default value)");
    s
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_toml("", "defaults", &[]).expect("the defaults are valid")
    }
}

impl Settings {
    /// Reads the settings file `path` (the defaults when `None`), then applies `flags`, and
    /// checks everything (see the module documentation).
    pub fn load(path: Option<&Path>, flags: &[Flag]) -> Result<Settings, SettingsError> {
        match path {
            None => Self::parse(None, flags),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| SettingsError::Read {
                    path: p.into(),
                    source,
                })?;
                Self::parse(Some((p, &text)), flags)
            }
        }
    }

    /// The settings of the TOML `text` (named `name` in messages) with `flags` applied.
    pub fn from_toml(text: &str, name: &str, flags: &[Flag]) -> Result<Settings, SettingsError> {
        Self::parse(Some((Path::new(name), text)), flags)
    }

    fn parse(file: Option<(&Path, &str)>, flags: &[Flag]) -> Result<Settings, SettingsError> {
        let file = file.map(|(path, text)| (path, crate::io::text::without_bom(text)));
        let mut problems = Vec::new();
        let (table, origins) = read::merge(file, flags, &mut problems);
        let raw: SettingsFile = match table.try_into() {
            Ok(raw) => raw,
            Err(e) => {
                // Types were checked key by key; this is a gap in those checks.
                problems.push(SettingProblem {
                    origin: Origin::Default,
                    key: String::new(),
                    value: None,
                    message: format!("internal error reading the settings ({e}); please report it"),
                });
                return Err(SettingsError::Invalid(problems));
            }
        };
        let settings = check::typed(&raw, &origins, &mut problems);
        if problems.is_empty() {
            return Ok(settings);
        }
        // In the order of the file, then the flags.
        problems.sort_by_key(|p| match &p.origin {
            Origin::File { line, .. } => (0, line.unwrap_or(0)),
            Origin::Flag(_) => (1, 0),
            Origin::Default => (2, 0),
        });
        Err(SettingsError::Invalid(problems))
    }

    /// The settings as a file would write them (for the record kept with a plan's outputs).
    pub fn to_file(&self) -> SettingsFile {
        SettingsFile {
            seed: self.seed,
            lang: self.lang.to_string(),
            date: self.date.map(|d| d.to_string()).unwrap_or_default(),
            depot: match &self.depot {
                Depot::Auto => String::new(),
                Depot::At(points) => points
                    .iter()
                    .map(|p| format!("{},{}", p.lon, p.lat))
                    .collect::<Vec<_>>()
                    .join(";"),
            },
            sites: self.sites.clone(),
            demand: self.demand.clone(),
            fleet: file::FleetFile {
                vans: self.fleet.vans,
                van_type: self.fleet.van_type,
                capacity_litres: self.fleet.capacity_litres,
                shift_start: self.fleet.shift_start.to_string(),
                shift_end: self.fleet.shift_end.to_string(),
                stop_minutes: self.fleet.stop_minutes,
                order_minutes: self.fleet.order_minutes,
                break_minutes: self.fleet.break_minutes,
                break_after_hours: self.fleet.break_after_hours,
                speeds: if self.fleet.posted_speeds {
                    "posted"
                } else {
                    "rural"
                }
                .into(),
                fresh_products: if self.fleet.fresh_direct {
                    "direct"
                } else {
                    "via_depot"
                }
                .into(),
                reloads: self.fleet.reload_seconds.is_some(),
                reload_minutes: self
                    .fleet
                    .reload_seconds
                    .map_or(file::FleetFile::default().reload_minutes, |s| {
                        s as f64 / 60.0
                    }),
            },
            hours: file::HoursFile {
                sites_open: self.hours.sites_open.to_string(),
                sites_close: self.hours.sites_close.to_string(),
                bread_by: self.hours.bread_by.to_string(),
                producers_open: self.hours.producers_open.to_string(),
                producers_close: self.hours.producers_close.to_string(),
            },
            factors: self.factors.clone(),
            mobility: self.mobility.clone(),
            funding: self.funding.clone(),
            postman: self.postman.clone(),
            week: self.week.clone(),
            lockers: self.lockers.clone(),
        }
    }

    /// Every key with its default, as TOML (`tournee config`).
    pub fn defaults_toml() -> String {
        SettingsFile::defaults_toml()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, String> {
        Settings::from_toml(text, "test.toml", &[]).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_round_trip_and_are_valid() {
        let text = Settings::defaults_toml();
        assert_eq!(parse(&text).unwrap(), Settings::default());
        assert_eq!(Settings::default().to_file(), SettingsFile::default());
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults() {
        let c = parse("[fleet]\nvans = 1\n").unwrap();
        assert_eq!(c.fleet.vans, Vans::Count(1));
        let c = parse("[fleet]\nvans = \"auto\"\n").unwrap();
        assert_eq!(c.fleet.vans, Vans::Auto);
        assert_eq!(c.fleet.capacity_litres, 3_300);
        assert_eq!(c.sites, SiteSizes::default());
        let c = parse("[mobility]\nwalk_limit_m = 500\n").unwrap();
        assert_eq!(
            c.mobility.walk_limit_m, 500.0,
            "an integer where a number is expected"
        );
    }

    #[test]
    fn every_problem_is_listed_with_its_line() {
        let text = "seed = -1\ndate = \"2025-02-30\"\n[fleet]\nvanz = 2\nvans = \"many\"\nshift_start = \"7h\"\ncapacity_litres = 1e10\n[factors]\ndays_per_year = nan\n[sitez]\n";
        let e = parse(text).unwrap_err();
        for needle in [
            "test.toml, line 1: seed = -1",
            "line 2: date",
            "YYYY-MM-DD",
            "line 4",
            "did you mean `fleet.vans`",
            "line 5: fleet.vans = \"many\"",
            "\"auto\"",
            "line 6: fleet.shift_start",
            "HH:MM",
            "line 7: fleet.capacity_litres",
            "a whole number",
            "line 9: factors.days_per_year = nan",
            "`sitez` is not a setting; did you mean `sites`?",
            "8 problems",
            "tournee config",
        ] {
            assert!(e.contains(needle), "{needle:?} in\n{e}");
        }
    }

    #[test]
    fn ranges_and_pairs_are_checked() {
        let e = parse("[fleet]\nshift_start = \"15:00\"\nshift_end = \"07:00\"\n").unwrap_err();
        assert!(
            e.contains("fleet.shift_end") && e.contains("before it starts"),
            "{e}"
        );
        let e = parse("[sites]\nmin = 70\n").unwrap_err();
        assert!(e.contains("line 2: sites.min"), "{e}");
        let e = parse("[hours]\nsites_open = \"16:00\"\nsites_close = \"18:00\"\n").unwrap_err();
        assert!(e.contains("outside the vans' shift"), "{e}");
        let e = parse("[fleet]\nvans = 0\n[demand]\nparcel_litres = 1e10\n").unwrap_err();
        assert!(
            e.contains("fleet.vans = 0") && e.contains("demand.parcel_litres"),
            "{e}"
        );
        let e = parse("[fleet]\nvans = 100000000\n").unwrap_err();
        assert!(e.contains("1 to 1000"), "{e}");
        let e = parse("depot = \"200,1\"\nfleet = 3\n").unwrap_err();
        assert!(e.contains("depot") && e.contains("a section"), "{e}");
        let e = parse("[fleet]\nshift_start = [1]\n").unwrap_err();
        assert!(e.contains("text in quotes"), "{e}");
        let e = parse("not toml [").unwrap_err();
        assert!(e.contains("not valid TOML") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn flags_override_the_file_and_are_named() {
        let flags = [
            Flag::new("--date", "date", "2026-11-25"),
            Flag::new("--vans", "fleet.vans", "auto"),
            Flag::new("--depot", "depot", "1.52,42.51"),
        ];
        let s = Settings::from_toml(
            "date = \"2020-01-01\"\n[fleet]\nvans = 2\n",
            "f.toml",
            &flags,
        )
        .unwrap();
        assert_eq!(s.date.unwrap().to_string(), "2026-11-25");
        assert_eq!(s.fleet.vans, Vans::Auto);
        assert_eq!(s.depot, Depot::At(vec![LonLat::new(1.52, 42.51)]));
        let s = Settings::from_toml("depot = \"1.52,42.51; 1.6,42.55\"\n", "f.toml", &[]).unwrap();
        assert_eq!(
            s.depot,
            Depot::At(vec![LonLat::new(1.52, 42.51), LonLat::new(1.6, 42.55)])
        );
        assert_eq!(s.to_file().depot, "1.52,42.51;1.6,42.55");
        let e = Settings::from_toml(
            "",
            "f.toml",
            &[
                Flag::new("--days-per-year", "factors.days_per_year", f64::NAN),
                Flag::new("--van-type", "fleet.van_type", "steam"),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("--days-per-year: factors.days_per_year = nan"),
            "{e}"
        );
        assert!(
            e.contains("--van-type") && e.contains("\"diesel\" or \"electric\""),
            "{e}"
        );
    }
}
