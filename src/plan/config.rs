//! The settings of `tournee plan` and `tournee compare`, in one TOML file.
//!
//! Every key has a default (`tournee config` prints them all, with their sources); a file only
//! needs the keys it changes. An unknown key is an error that names it, so that a typo never
//! goes unnoticed. Times of day are written `"HH:MM"`.
//!
//! Sources of the defaults (details in `README.md`, section "Defaults and their sources"):
//! French figures collected in the project's domain research: ADEME Base Carbone / Impact CO2
//! for emission factors, La Poste round figures, van sizes of small utility vans, SMIC-based
//! driver cost.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// All settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Random seed of the demand model and of the solvers.
    pub seed: u64,
    /// The day planned (`YYYY-MM-DD`), printed on route sheets; empty: the day after today.
    pub date: String,
    /// The depot, `"lon,lat"`; empty: the post office nearest the households' centre.
    pub depot: String,
    /// Conciergerie sites.
    pub sites: SitesConfig,
    /// The day's demand.
    pub demand: DemandConfig,
    /// Vans and drivers.
    pub fleet: FleetConfig,
    /// Opening hours of the conciergeries and of the producers.
    pub hours: HoursConfig,
    /// Emission factors and costs.
    pub factors: Factors,
    /// Household travel, today and with conciergeries.
    pub mobility: MobilityConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            date: String::new(),
            depot: String::new(),
            sites: SitesConfig::default(),
            demand: DemandConfig::default(),
            fleet: FleetConfig::default(),
            hours: HoursConfig::default(),
            factors: Factors::default(),
            mobility: MobilityConfig::default(),
        }
    }
}

/// How households are grouped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SitesConfig {
    /// Foyers per conciergerie aimed at.
    pub target: i64,
    /// Fewest foyers per conciergerie.
    pub min: i64,
    /// Most foyers per conciergerie.
    pub max: i64,
    /// Search budget of the grouping, in kicks (a deterministic budget, unlike a time limit:
    /// the same seed gives the same plan). About half a second per kick on 2,300 households.
    pub kicks: usize,
    /// Site sizes compared in the scenario report (foyers per site).
    pub sensitivity_sizes: Vec<i64>,
}

impl Default for SitesConfig {
    fn default() -> Self {
        SitesConfig {
            target: 50,
            min: 40,
            max: 60,
            kicks: 30,
            sensitivity_sizes: vec![30, 50, 80],
        }
    }
}

/// The demand model: what each conciergerie receives and sends on a day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemandConfig {
    /// Parcels per foyer per day (about 1.5 billion parcels a year in France for 30 million
    /// households over 300 days: 0.17; rural households a little less).
    pub parcels_per_foyer: f64,
    /// Volume of a parcel, litres.
    pub parcel_litres: f64,
    /// Pooled everyday purchases, litres per foyer per day, brought from the depot.
    pub purchases_litres_per_foyer: f64,
    /// Fresh products from local producers, litres per foyer per day; each conciergerie orders
    /// from one of its three nearest producers (drawn with the seed).
    pub fresh_litres_per_foyer: f64,
    /// Bread, litres per foyer per day, delivered early (see `hours.bread_by`).
    pub bread_litres_per_foyer: f64,
}

impl Default for DemandConfig {
    fn default() -> Self {
        DemandConfig {
            parcels_per_foyer: 0.15,
            parcel_litres: 12.0,
            purchases_litres_per_foyer: 1.0,
            fresh_litres_per_foyer: 0.5,
            bread_litres_per_foyer: 0.3,
        }
    }
}

/// Vans and drivers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FleetConfig {
    /// Vans available (the rounds may use fewer): a number, or `"auto"` for as many as the
    /// day's work needs (the fewest that serve every job, found by solving with more vans until
    /// nothing is left for want of room).
    pub vans: Vans,
    /// `"diesel"` or `"electric"`.
    pub van_type: VanType,
    /// Load volume, litres (a small van such as a Kangoo carries 3,300 to 3,900 litres).
    pub capacity_litres: i64,
    /// Shift start, `"HH:MM"`.
    pub shift_start: String,
    /// Shift end, `"HH:MM"`.
    pub shift_end: String,
    /// Minutes at each stop (parking, handing over).
    pub stop_minutes: f64,
}

impl Default for FleetConfig {
    fn default() -> Self {
        FleetConfig {
            vans: Vans::Auto,
            van_type: VanType::Diesel,
            capacity_litres: 3_300,
            shift_start: "07:00".into(),
            shift_end: "15:00".into(),
            stop_minutes: 5.0,
        }
    }
}

/// How many vans the rounds may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vans {
    /// As many as the day's work needs.
    Auto,
    /// This many at most.
    Count(usize),
}

impl fmt::Display for Vans {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vans::Auto => f.write_str("auto"),
            Vans::Count(n) => write!(f, "{n}"),
        }
    }
}

impl std::str::FromStr for Vans {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "auto" => Ok(Vans::Auto),
            t => t
                .parse()
                .map(Vans::Count)
                .map_err(|_| format!("{s:?} is neither a number of vans nor \"auto\"")),
        }
    }
}

impl Serialize for Vans {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Vans::Auto => s.serialize_str("auto"),
            Vans::Count(n) => s.serialize_u64(*n as u64),
        }
    }
}

impl<'de> Deserialize<'de> for Vans {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Count(u64),
            Word(String),
        }
        match Raw::deserialize(d)? {
            Raw::Count(n) => Ok(Vans::Count(n as usize)),
            Raw::Word(w) => w.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// Engine of the vans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VanType {
    /// Diesel small van.
    Diesel,
    /// Battery-electric small van.
    Electric,
}

impl fmt::Display for VanType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VanType::Diesel => "diesel",
            VanType::Electric => "electric",
        })
    }
}

/// Opening hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HoursConfig {
    /// Conciergeries receive deliveries from...
    pub sites_open: String,
    /// ...until.
    pub sites_close: String,
    /// Bread must be at the conciergerie by this time.
    pub bread_by: String,
    /// Producers hand over their products from...
    pub producers_open: String,
    /// ...until.
    pub producers_close: String,
}

impl Default for HoursConfig {
    fn default() -> Self {
        HoursConfig {
            sites_open: "07:00".into(),
            sites_close: "14:30".into(),
            bread_by: "09:00".into(),
            producers_open: "07:00".into(),
            producers_close: "12:00".into(),
        }
    }
}

/// Emission factors (kgCO2e per vehicle-km) and costs (euros).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Factors {
    /// Private car, thermal: 0.192 use + 0.0256 manufacturing (ADEME Impact CO2).
    pub car_kg_per_km: f64,
    /// Diesel small van, real use: 8.5 L/100 km x 3.17 kgCO2e/L (CGDD fleet average, decree of
    /// 26 April 2017), use only.
    pub diesel_van_kg_per_km: f64,
    /// Electric small van: about 0.25 kWh/km x 0.05 kg/kWh use, plus manufacturing taken as the
    /// electric car's 0.084 kg/km (derived; no single ADEME figure).
    pub electric_van_kg_per_km: f64,
    /// Driver cost per hour, employer's charges included (12-13 EUR/h gross x 1.3-1.45).
    pub driver_eur_per_hour: f64,
    /// Running cost of a diesel van per km (fuel, upkeep, depreciation).
    pub diesel_van_eur_per_km: f64,
    /// Running cost of an electric van per km.
    pub electric_van_eur_per_km: f64,
    /// Fixed cost of a van used on a day (depreciation, insurance).
    pub van_eur_per_day: f64,
    /// Running cost of a private car per km (fuel and upkeep, not the purchase).
    pub car_eur_per_km: f64,
    /// Days of service per year (6 days a week, 50 weeks).
    pub days_per_year: f64,
}

impl Default for Factors {
    fn default() -> Self {
        Factors {
            car_kg_per_km: 0.218,
            diesel_van_kg_per_km: 0.27,
            electric_van_kg_per_km: 0.10,
            driver_eur_per_hour: 19.0,
            diesel_van_eur_per_km: 0.30,
            electric_van_eur_per_km: 0.20,
            van_eur_per_day: 25.0,
            car_eur_per_km: 0.25,
            days_per_year: 300.0,
        }
    }
}

impl Factors {
    /// kgCO2e per km of a van.
    pub fn van_kg_per_km(&self, t: VanType) -> f64 {
        match t {
            VanType::Diesel => self.diesel_van_kg_per_km,
            VanType::Electric => self.electric_van_kg_per_km,
        }
    }

    /// Euros per km of a van.
    pub fn van_eur_per_km(&self, t: VanType) -> f64 {
        match t {
            VanType::Diesel => self.diesel_van_eur_per_km,
            VanType::Electric => self.electric_van_eur_per_km,
        }
    }

    /// What a van factor covers, printed next to every CO2 figure.
    pub fn van_scope(&self, t: VanType) -> String {
        match t {
            VanType::Diesel => format!(
                "{} kgCO2e/km, diesel small van in real use, fuel upstream + combustion, manufacturing excluded",
                self.diesel_van_kg_per_km
            ),
            VanType::Electric => format!(
                "{} kgCO2e/km, electric small van, French electricity + manufacturing (derived)",
                self.electric_van_kg_per_km
            ),
        }
    }

    /// What the car factor covers.
    pub fn car_scope(&self) -> String {
        format!(
            "{} kgCO2e/km, thermal private car, use + manufacturing (ADEME Impact CO2)",
            self.car_kg_per_km
        )
    }
}

/// How households travel for what the conciergerie replaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MobilityConfig {
    /// Today: car trips per foyer per week to a shop for the purchases the conciergerie pools
    /// (and to fetch parcels at a relay point).
    pub shop_trips_per_foyer_per_week: f64,
    /// With conciergeries: visits per foyer per week to its conciergerie.
    pub site_visits_per_foyer_per_week: f64,
    /// Share of those visits made by car when the conciergerie is farther than
    /// `walk_limit_m` (closer ones are walked).
    pub car_share_beyond_walk_limit: f64,
    /// Walking distance under which a visit is made on foot, metres.
    pub walk_limit_m: f64,
}

impl Default for MobilityConfig {
    fn default() -> Self {
        MobilityConfig {
            shop_trips_per_foyer_per_week: 1.0,
            site_visits_per_foyer_per_week: 2.0,
            car_share_beyond_walk_limit: 0.6,
            walk_limit_m: 800.0,
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not readable.
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid TOML, an unknown key, or a value of the wrong type.
    #[error("{path}: {message}\n  `tournee config` prints every key with its default value")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the TOML reader says (with line and column).
        message: String,
    },
    /// A value out of range or inconsistent with another.
    #[error("{path}: {message}")]
    Invalid {
        /// The file (or "defaults").
        path: String,
        /// What to change.
        message: String,
    },
}

/// Seconds since midnight from `"HH:MM"`.
pub fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=47).contains(&h) && (0..60).contains(&m)).then_some(h * 3600 + m * 60)
}

impl Config {
    /// Reads `path` (TOML), then checks it.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let c: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string().trim_end().to_string(),
        })?;
        c.check(&path.display().to_string())?;
        Ok(c)
    }

    /// The defaults as TOML, with a header saying how to use them.
    pub fn defaults_toml() -> String {
        let body = toml::to_string_pretty(&Config::default()).expect("defaults serialise");
        format!(
            "# tournee plan --config FILE: every key below is optional; a file only needs what it changes.\n\
             # Times of day are \"HH:MM\". Sources of the defaults: README.md, \"Defaults and their sources\".\n\n{body}"
        )
    }

    /// Checks ranges and consistency; `source` names the file in messages.
    pub fn check(&self, source: &str) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Invalid {
            path: source.to_string(),
            message,
        };
        let time = |key: &str, v: &str| {
            parse_hhmm(v).ok_or_else(|| {
                bad(format!(
                    "{key} = \"{v}\" is not a time of day; write it \"HH:MM\", e.g. \"07:30\""
                ))
            })
        };
        let s = &self.sites;
        if !(0 <= s.min && s.min <= s.target && s.target <= s.max && s.max >= 1) {
            return Err(bad(format!(
                "sites: need 0 <= min <= target <= max and max >= 1 (min {}, target {}, max {})",
                s.min, s.target, s.max
            )));
        }
        if let Some(&z) = s.sensitivity_sizes.iter().find(|&&z| z < 2) {
            return Err(bad(format!(
                "sites.sensitivity_sizes: {z} foyers per site is too small (2 or more)"
            )));
        }
        let f = &self.fleet;
        if f.vans == Vans::Count(0) {
            return Err(bad(
                "fleet.vans = 0: at least one van is needed (or \"auto\")".into(),
            ));
        }
        if f.capacity_litres <= 0 {
            return Err(bad(format!(
                "fleet.capacity_litres = {} must be positive",
                f.capacity_litres
            )));
        }
        let (a, b) = (
            time("fleet.shift_start", &f.shift_start)?,
            time("fleet.shift_end", &f.shift_end)?,
        );
        if b <= a {
            return Err(bad(format!(
                "the shift ends ({}) before it starts ({}): set fleet.shift_end after fleet.shift_start",
                f.shift_end, f.shift_start
            )));
        }
        if !(f.stop_minutes >= 0.0 && f.stop_minutes < 600.0) {
            return Err(bad(format!(
                "fleet.stop_minutes = {} is out of range (0 to 600)",
                f.stop_minutes
            )));
        }
        let h = &self.hours;
        let (so, sc) = (
            time("hours.sites_open", &h.sites_open)?,
            time("hours.sites_close", &h.sites_close)?,
        );
        let (po, pc) = (
            time("hours.producers_open", &h.producers_open)?,
            time("hours.producers_close", &h.producers_close)?,
        );
        time("hours.bread_by", &h.bread_by)?;
        if sc <= so || pc <= po {
            return Err(bad(
                "an opening time is after its closing time in [hours]".into()
            ));
        }
        if sc <= a || so >= b {
            return Err(bad(format!(
                "the conciergeries are open {}-{}, outside the vans' shift {}-{}: no delivery is possible",
                h.sites_open, h.sites_close, f.shift_start, f.shift_end
            )));
        }
        let d = &self.demand;
        for (k, v) in [
            ("demand.parcels_per_foyer", d.parcels_per_foyer),
            ("demand.parcel_litres", d.parcel_litres),
            (
                "demand.purchases_litres_per_foyer",
                d.purchases_litres_per_foyer,
            ),
            ("demand.fresh_litres_per_foyer", d.fresh_litres_per_foyer),
            ("demand.bread_litres_per_foyer", d.bread_litres_per_foyer),
            ("factors.car_kg_per_km", self.factors.car_kg_per_km),
            (
                "factors.diesel_van_kg_per_km",
                self.factors.diesel_van_kg_per_km,
            ),
            (
                "factors.electric_van_kg_per_km",
                self.factors.electric_van_kg_per_km,
            ),
            (
                "factors.driver_eur_per_hour",
                self.factors.driver_eur_per_hour,
            ),
            ("factors.car_eur_per_km", self.factors.car_eur_per_km),
            (
                "mobility.shop_trips_per_foyer_per_week",
                self.mobility.shop_trips_per_foyer_per_week,
            ),
            (
                "mobility.site_visits_per_foyer_per_week",
                self.mobility.site_visits_per_foyer_per_week,
            ),
        ] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(bad(format!("{k} = {v} must be a number >= 0")));
            }
        }
        if !(0.0..=1.0).contains(&self.mobility.car_share_beyond_walk_limit) {
            return Err(bad(
                "mobility.car_share_beyond_walk_limit must be between 0 and 1".into(),
            ));
        }
        if !self.date.is_empty() && !valid_date(&self.date) {
            return Err(bad(format!(
                "date = \"{}\" is not a date; write it \"YYYY-MM-DD\"",
                self.date
            )));
        }
        if !self.depot.is_empty() && parse_lon_lat(&self.depot).is_none() {
            return Err(bad(format!(
                "depot = \"{}\": write \"lon,lat\" in degrees, e.g. \"1.52,42.51\"",
                self.depot
            )));
        }
        Ok(())
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn valid_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    p.len() == 3
        && p[0].len() == 4
        && p[0].parse::<u32>().is_ok()
        && p[1].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && p[2].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

/// `(lon, lat)` from `"lon,lat"`.
pub fn parse_lon_lat(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let (lon, lat): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::hhmm;

    fn parse(text: &str) -> Result<Config, String> {
        let c: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        c.check("test.toml").map_err(|e| e.to_string())?;
        Ok(c)
    }

    #[test]
    fn defaults_round_trip_and_are_valid() {
        let text = Config::defaults_toml();
        assert_eq!(parse(&text).unwrap(), Config::default());
    }

    #[test]
    fn partial_file_keeps_other_defaults() {
        let c = parse("[fleet]\nvans = 1\n").unwrap();
        assert_eq!(c.fleet.vans, Vans::Count(1));
        let c = parse("[fleet]\nvans = \"auto\"\n").unwrap();
        assert_eq!(c.fleet.vans, Vans::Auto);
        let e = parse("[fleet]\nvans = \"many\"\n").unwrap_err();
        assert!(e.contains("auto"), "{e}");
        assert_eq!(
            c.fleet.capacity_litres,
            FleetConfig::default().capacity_litres
        );
        assert_eq!(c.sites, SitesConfig::default());
    }

    #[test]
    fn unknown_key_is_named() {
        let e = parse("[fleet]\nvanz = 2\n").unwrap_err();
        assert!(e.contains("vanz"), "{e}");
    }

    #[test]
    fn impossible_shift_says_what_to_change() {
        let e = parse("[fleet]\nshift_start = \"15:00\"\nshift_end = \"07:00\"\n").unwrap_err();
        assert!(e.contains("shift_end"), "{e}");
        let e = parse("[fleet]\nshift_start = \"7h\"\n").unwrap_err();
        assert!(e.contains("HH:MM"), "{e}");
    }

    #[test]
    fn times_and_places() {
        assert_eq!(parse_hhmm("07:30"), Some(27_000));
        assert_eq!(parse_hhmm("7:5"), Some(25_500));
        assert_eq!(parse_hhmm("24:60"), None);
        assert_eq!(hhmm(27_000), "07:30");
        assert_eq!(parse_lon_lat("1.52, 42.51"), Some((1.52, 42.51)));
        assert_eq!(parse_lon_lat("200,1"), None);
    }
}
