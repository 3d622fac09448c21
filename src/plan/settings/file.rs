//! The settings file of `tournee plan`, `tournee compare` and `tournee week`: one TOML file,
//! as written (times of day as `"HH:MM"` strings, the depot as `"lon,lat"`). Every key has a
//! default (`tournee config` prints them all); a file only needs the keys it changes.
//! [`super::Settings::load`] turns a file and the command line's flags into typed, checked
//! [`super::Settings`]; nothing downstream reads these strings again.
//!
//! Sources of the defaults (details in `README.md`, section "Defaults and their sources"):
//! French figures collected in the project's domain research: ADEME Base Carbone / Impact CO2
//! for emission factors, La Poste round figures, van sizes of small utility vans, SMIC-based
//! driver cost.

use serde::{Deserialize, Serialize};
use std::fmt;

/// All settings, as written in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SettingsFile {
    /// Random seed of the demand model and of the solvers.
    pub seed: u64,
    /// Language of the route sheets, the overview and the scenario report: `"fr"` or `"en"`.
    pub lang: String,
    /// The day planned (`YYYY-MM-DD`), printed on route sheets; empty: the day after today.
    pub date: String,
    /// The depot, `"lon,lat"` (several separated by `;`, e.g. `"1.52,42.51;1.60,42.55"`);
    /// empty: the post office nearest the households' centre, or one per part of a territory
    /// larger than a depot's day.
    pub depot: String,
    /// Conciergerie sites.
    pub sites: SiteSizes,
    /// The day's demand.
    pub demand: DemandModel,
    /// Vans and drivers.
    pub fleet: FleetFile,
    /// Opening hours of the conciergeries and of the producers.
    pub hours: HoursFile,
    /// Emission factors and costs.
    pub factors: Factors,
    /// Household travel, today and with conciergeries.
    pub mobility: Mobility,
    /// Who pays for the service.
    pub funding: Funding,
    /// Today's postman, letters included.
    pub postman: Postman,
    /// The week (`tournee week`): days, passages, reloads.
    pub week: WeekFile,
    /// Lockers (`tournee week`): the sites the sites file gives boxes.
    pub lockers: Lockers,
}

/// Lockers: conciergeries without staff, whose goods wait in boxes (sites file columns
/// `boxes_s`, `boxes_m`, `boxes_l`). A parcel goes in a box of its size or larger; pooled
/// purchases, fresh products and bread go in medium-box bags; a household collects within
/// `collect_days`. What finds no free box waits for the site's next passage (once), then goes
/// to the nearest staffed site within `divert_km` by road; beyond, it is listed unserved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lockers {
    /// Litres of a small box (a shoebox parcel: 9 x 35 x 60 cm is about 19 L).
    pub small_litres: f64,
    /// Litres of a medium box.
    pub medium_litres: f64,
    /// Litres of a large box.
    pub large_litres: f64,
    /// Share of parcels that need a medium box (the rest of the small share needs a small one).
    pub parcels_medium_share: f64,
    /// Share of parcels that need a large box.
    pub parcels_large_share: f64,
    /// Days a box stays taken: the goods put in on a day are collected by the end of the
    /// `collect_days`-th day (1: the same day).
    pub collect_days: u32,
    /// Road kilometres within which a staffed site takes what a full locker cannot (0: none
    /// does; what does not fit after waiting a passage is listed unserved).
    pub divert_km: f64,
}

impl Default for Lockers {
    fn default() -> Self {
        Lockers {
            small_litres: 19.0,
            medium_litres: 38.0,
            large_litres: 76.0,
            parcels_medium_share: 0.25,
            parcels_large_share: 0.05,
            collect_days: 2,
            divert_km: 10.0,
        }
    }
}

/// The week planned by `tournee week` (its vans reload as the day's do: `fleet.reloads`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WeekFile {
    /// Days planned, consecutive from the date (a Monday unless `date` says otherwise): 1 to 7;
    /// 6 by default, Monday to Saturday, as the post.
    pub days: u32,
    /// Passages a week of a site whose sites-file row says none (the subscription): 1 to `days`.
    /// A site whose orders between two passages would not fit its storage gets more.
    pub passages_per_week: u32,
    /// Litres a staffed conciergerie keeps between two passages (parcels, purchases, fresh
    /// products; a shelf and a fridge of a village shop): more passages when a week's orders
    /// need them.
    pub storage_litres: i64,
}

impl Default for WeekFile {
    fn default() -> Self {
        WeekFile {
            days: 6,
            passages_per_week: 3,
            storage_litres: 1_000,
        }
    }
}

/// Today's postman round, letters included, and the mail with conciergeries (La Poste's
/// figures, `../shared/research/domain.md` 3.3: about 400 delivery points and 400 to 450 stops a
/// day per round, 6 days a week; letters fell to 7 billion a year; non-daily letter rounds tested
/// since 2023).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Postman {
    /// Share of letterboxes receiving mail on a delivery day when mail comes 6 days a week.
    /// Derived: 7 billion letters a year over about 40 million delivery points (an assumption)
    /// and 300 delivery days is 0.58 item per box and day; a box with at least one item on a
    /// day (Poisson) is 1 - e^-0.58, about 0.44. With fewer mail days, a delivery day carries
    /// the mail of several days: the share is 1 - (1 - share)^(6 / days).
    pub mail_share: f64,
    /// Seconds at a letterbox (stop, box, go).
    pub letterbox_seconds: f64,
    /// Minutes at a conciergerie dropping its foyers' mail.
    pub site_minutes: f64,
    /// Mail days a week compared (the first is today's; 3 is La Poste's tested rhythm).
    pub mail_days_per_week: Vec<u32>,
}

impl Default for Postman {
    fn default() -> Self {
        Postman {
            mail_share: 0.44,
            letterbox_seconds: 20.0,
            site_minutes: 3.0,
            mail_days_per_week: vec![6, 3],
        }
    }
}

/// Who pays for the service: the operator runs the vans and pays the hosts; the collectivity
/// covers a share of that cost; the households who subscribe pay the rest (or a given price).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Funding {
    /// What a site costs the operator per month: the host's allowance, or a locker's rent.
    pub site_eur_per_month: f64,
    /// Share of the operator's cost the collectivity pays (0 to 1).
    pub collectivity_share: f64,
    /// Subscription per foyer per month, euros; 0 derives it so that the budget balances.
    pub subscription_eur_per_foyer_per_month: f64,
    /// Share of the foyers who subscribe (0 to 1, above 0).
    pub participation: f64,
}

impl Default for Funding {
    fn default() -> Self {
        Funding {
            site_eur_per_month: 50.0,
            collectivity_share: 0.5,
            subscription_eur_per_foyer_per_month: 0.0,
            participation: 0.6,
        }
    }
}

impl Default for SettingsFile {
    fn default() -> Self {
        SettingsFile {
            seed: 1,
            lang: "fr".into(),
            date: String::new(),
            depot: String::new(),
            sites: SiteSizes::default(),
            demand: DemandModel::default(),
            fleet: FleetFile::default(),
            hours: HoursFile::default(),
            factors: Factors::default(),
            mobility: Mobility::default(),
            funding: Funding::default(),
            postman: Postman::default(),
            week: WeekFile::default(),
            lockers: Lockers::default(),
        }
    }
}

/// How households are grouped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSizes {
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
    /// The longest walk to a conciergerie, metres (about 25 minutes on foot): households that
    /// no site of `min` foyers can serve within it get a small hamlet site, or a home delivery
    /// by the van, whichever costs less.
    pub max_walk_m: f64,
}

impl Default for SiteSizes {
    fn default() -> Self {
        SiteSizes {
            target: 50,
            min: 40,
            max: 60,
            kicks: 30,
            sensitivity_sizes: vec![30, 50, 80],
            max_walk_m: 2_000.0,
        }
    }
}

/// The demand model: what each conciergerie receives and sends on a day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemandModel {
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

impl Default for DemandModel {
    fn default() -> Self {
        DemandModel {
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
pub struct FleetFile {
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
    /// Minutes per visit (parking, walking in, greeting the host), counted once however many
    /// orders are handled at the stop.
    pub stop_minutes: f64,
    /// Minutes per order handled at a visit (unloading one kind of goods and signing for it).
    pub order_minutes: f64,
    /// The driver's break, minutes (0: none).
    pub break_minutes: f64,
    /// Hours of work at most before the break.
    pub break_after_hours: f64,
    /// Van speeds: `"rural"` (a share of the limit by class of road, time lost at junctions
    /// and dead ends: see `tournee::osm::CarOptions`) or `"posted"` (the limits as they are).
    pub speeds: String,
    /// Fresh products: `"via_depot"` (collected at the farms during the round, kept at the
    /// depot overnight and delivered with the next morning's order: one visit per site) or
    /// `"direct"` (from the farm to the site the same day, often at a second visit).
    pub fresh_products: String,
    /// Vans may come back to their depot within the shift to unload what they picked up and
    /// load their next trip (multi-trip): a van works its shift instead of one trip.
    pub reloads: bool,
    /// Minutes a reload takes at the depot.
    pub reload_minutes: f64,
}

impl Default for FleetFile {
    fn default() -> Self {
        FleetFile {
            vans: Vans::Auto,
            van_type: VanType::Diesel,
            capacity_litres: 3_300,
            shift_start: "07:00".into(),
            shift_end: "15:00".into(),
            stop_minutes: 5.0,
            order_minutes: 1.0,
            break_minutes: 30.0,
            break_after_hours: 6.0,
            speeds: "rural".into(),
            fresh_products: "via_depot".into(),
            reloads: true,
            reload_minutes: 15.0,
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
pub struct HoursFile {
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

impl Default for HoursFile {
    fn default() -> Self {
        HoursFile {
            sites_open: "07:00".into(),
            sites_close: "14:30".into(),
            bread_by: "11:00".into(),
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

    /// What a van factor covers, printed next to every CO2 figure, in the page's language.
    pub fn van_scope(&self, t: VanType, lang: crate::model::Lang) -> String {
        let fr = lang == crate::model::Lang::Fr;
        match (t, fr) {
            (VanType::Diesel, false) => format!(
                "{} kgCO2e/km, diesel small van in real use, fuel upstream + combustion, manufacturing excluded",
                self.diesel_van_kg_per_km
            ),
            (VanType::Diesel, true) => format!(
                "{} kgCO2e/km, petit utilitaire diesel en usage réel, amont du carburant + combustion, fabrication exclue",
                self.diesel_van_kg_per_km
            ),
            (VanType::Electric, false) => format!(
                "{} kgCO2e/km, electric small van, French electricity + manufacturing (derived)",
                self.electric_van_kg_per_km
            ),
            (VanType::Electric, true) => format!(
                "{} kgCO2e/km, petit utilitaire électrique, électricité française + fabrication (dérivé)",
                self.electric_van_kg_per_km
            ),
        }
    }

    /// What the car factor covers, in the page's language.
    pub fn car_scope(&self, lang: crate::model::Lang) -> String {
        if lang == crate::model::Lang::Fr {
            format!(
                "{} kgCO2e/km, voiture particulière thermique, usage + fabrication (ADEME Impact CO2)",
                self.car_kg_per_km
            )
        } else {
            format!(
                "{} kgCO2e/km, thermal private car, use + manufacturing (ADEME Impact CO2)",
                self.car_kg_per_km
            )
        }
    }
}

/// How households travel for what the conciergerie replaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mobility {
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

impl Default for Mobility {
    fn default() -> Self {
        Mobility {
            shop_trips_per_foyer_per_week: 1.0,
            site_visits_per_foyer_per_week: 2.0,
            car_share_beyond_walk_limit: 0.6,
            walk_limit_m: 800.0,
        }
    }
}

impl SettingsFile {
    /// The defaults as TOML, with a header saying how to use them.
    pub fn defaults_toml() -> String {
        let body = toml::to_string_pretty(&SettingsFile::default()).expect("defaults serialise");
        format!(
            "# tournee plan --config FILE: every key below is optional; a file only needs what it changes.\n\
             # Times of day are \"HH:MM\". Sources of the defaults: README.md, \"Defaults and their sources\".\n\n{body}"
        )
    }
}
