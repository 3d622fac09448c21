//! From the file's values to typed [`Settings`]: times of day and dates parsed, the depot as a
//! point, every number checked against a documented range and every pair of values against
//! each other. Each problem is recorded with where the value comes from and what to write, and
//! the checks go on, so that one run lists them all.
//!
//! The ranges are listed in the documentation of [`super`].

use super::file::SettingsFile;
use super::read::Origins;
use super::{Depot, Fleet, Hours, Origin, SettingProblem, Settings, Vans};
use crate::model::{Date, LonLat, TimeOfDay};

/// Collects the problems of one settings value.
struct Checker<'a> {
    origins: &'a Origins,
    problems: &'a mut Vec<SettingProblem>,
}

impl Checker<'_> {
    fn origin(&self, key: &str) -> Origin {
        self.origins.get(key).cloned().unwrap_or(Origin::Default)
    }

    fn bad(&mut self, key: &str, value: impl ToString, message: impl Into<String>) {
        self.problems.push(SettingProblem {
            origin: self.origin(key),
            key: key.to_string(),
            value: Some(value.to_string()),
            message: message.into(),
        });
    }

    /// A finite number within `lo..=hi`.
    fn number(&mut self, key: &str, v: f64, lo: f64, hi: f64) {
        if !(v.is_finite() && (lo..=hi).contains(&v)) {
            self.bad(
                key,
                show(v),
                format!("must be a number from {} to {}", show(lo), show(hi)),
            );
        }
    }

    /// A whole number within `lo..=hi`.
    fn whole(&mut self, key: &str, v: i64, lo: i64, hi: i64) {
        if !(lo..=hi).contains(&v) {
            self.bad(key, v, format!("must be a whole number from {lo} to {hi}"));
        }
    }

    /// A time of day, or the default `fallback` after recording the problem.
    fn time(&mut self, key: &str, text: &str, fallback: TimeOfDay) -> TimeOfDay {
        text.parse()
            .unwrap_or_else(|e: crate::model::clock::ClockParseError| {
                self.bad(
                    key,
                    format!("{text:?}"),
                    format!("is not {}; write it {}", e.what, e.format),
                );
                fallback
            })
    }
}

/// A number as TOML writes it (`nan`, `inf`).
fn show(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format!("{x}")
    }
}

/// `(lon, lat)` from `"lon,lat"` in degrees.
pub(super) fn parse_lon_lat(s: &str) -> Option<LonLat> {
    let (a, b) = s.split_once(',')?;
    let p = LonLat::new(a.trim().parse().ok()?, b.trim().parse().ok()?);
    p.is_valid().then_some(p)
}

/// The typed settings of `f`; problems are appended to `problems` (the value returned then
/// holds defaults where a value was refused, and must not be used).
pub(super) fn typed(
    f: &SettingsFile,
    origins: &Origins,
    problems: &mut Vec<SettingProblem>,
) -> Settings {
    let defaults = SettingsFile::default();
    let mut c = Checker { origins, problems };
    // Top level.
    let date = if f.date.trim().is_empty() {
        None
    } else {
        match f.date.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => {
                c.bad(
                    "date",
                    format!("{:?}", f.date),
                    format!("is not {}; write it {}", e.what, e.format),
                );
                None
            }
        }
    };
    let depot = if f.depot.trim().is_empty() {
        Depot::Auto
    } else {
        let points: Option<Vec<LonLat>> = f.depot.split(';').map(parse_lon_lat).collect();
        match points {
            Some(p) => Depot::At(p),
            None => {
                c.bad(
                    "depot",
                    format!("{:?}", f.depot),
                    "write \"lon,lat\" in degrees, e.g. \"1.52,42.51\", several separated by \";\" (or nothing for the post offices nearest the households)",
                );
                Depot::Auto
            }
        }
    };
    // Sites.
    let s = &f.sites;
    if !(0 <= s.min && s.min <= s.target && s.target <= s.max && (1..=100_000).contains(&s.max)) {
        let key = ["sites.min", "sites.target", "sites.max"]
            .into_iter()
            .find(|k| origins.contains_key(*k))
            .unwrap_or("sites.target");
        c.bad(
            key,
            format!("min {}, target {}, max {}", s.min, s.target, s.max),
            "need 0 <= min <= target <= max and 1 <= max <= 100,000 foyers per conciergerie",
        );
    }
    c.whole("sites.kicks", s.kicks as i64, 0, 100_000);
    c.number("sites.max_walk_m", s.max_walk_m, 50.0, 100_000.0);
    if s.sensitivity_sizes.len() > 10 {
        c.bad(
            "sites.sensitivity_sizes",
            format!("{} sizes", s.sensitivity_sizes.len()),
            "compare at most 10 site sizes",
        );
    }
    for &z in &s.sensitivity_sizes {
        if !(2..=100_000).contains(&z) {
            c.bad(
                "sites.sensitivity_sizes",
                z,
                "each size must be 2 to 100,000 foyers per site",
            );
        }
    }
    // Demand.
    let d = &f.demand;
    c.number("demand.parcels_per_foyer", d.parcels_per_foyer, 0.0, 1.0);
    c.number("demand.parcel_litres", d.parcel_litres, 0.0, 1000.0);
    for (k, v) in [
        (
            "demand.purchases_litres_per_foyer",
            d.purchases_litres_per_foyer,
        ),
        ("demand.fresh_litres_per_foyer", d.fresh_litres_per_foyer),
        ("demand.bread_litres_per_foyer", d.bread_litres_per_foyer),
    ] {
        c.number(k, v, 0.0, 1000.0);
    }
    let lang = f.lang.parse().unwrap_or_else(|e: String| {
        c.bad("lang", &f.lang, e);
        crate::model::Lang::Fr
    });
    // Fleet.
    let fl = &f.fleet;
    if let Vans::Count(n) = fl.vans {
        c.whole("fleet.vans", n as i64, 1, 1000);
    }
    c.whole("fleet.capacity_litres", fl.capacity_litres, 1, 100_000);
    let start = c.time("fleet.shift_start", &fl.shift_start, TimeOfDay::hm(7, 0));
    let end = c.time("fleet.shift_end", &fl.shift_end, TimeOfDay::hm(15, 0));
    if end <= start {
        let key = if origins.contains_key("fleet.shift_end") {
            "fleet.shift_end"
        } else {
            "fleet.shift_start"
        };
        c.bad(
            key,
            format!("{start}-{end}"),
            "the shift ends before it starts: set fleet.shift_end after fleet.shift_start",
        );
    }
    c.number("fleet.stop_minutes", fl.stop_minutes, 0.0, 600.0);
    c.number("fleet.order_minutes", fl.order_minutes, 0.0, 600.0);
    c.number("fleet.break_minutes", fl.break_minutes, 0.0, 240.0);
    c.number("fleet.break_after_hours", fl.break_after_hours, 0.5, 24.0);
    c.number("fleet.reload_minutes", fl.reload_minutes, 0.0, 240.0);
    if end > start && fl.break_minutes.is_finite() && fl.break_after_hours.is_finite() {
        let shift = (end.seconds() - start.seconds()) as f64;
        let pause = fl.break_minutes * 60.0;
        if fl.break_minutes > 0.0 && pause >= shift {
            c.bad(
                "fleet.break_minutes",
                fl.break_minutes.to_string(),
                format!("the break is as long as the shift {start}-{end} or longer: shorten fleet.break_minutes or lengthen the shift"),
            );
        } else if fl.break_minutes > 0.0 && shift > 2.0 * fl.break_after_hours * 3600.0 + pause {
            let key = ["fleet.shift_end", "fleet.shift_start"]
                .into_iter()
                .find(|k| origins.contains_key(*k))
                .unwrap_or("fleet.break_after_hours");
            c.bad(
                key,
                format!("{start}-{end}"),
                format!("a shift of {start}-{end} would need two breaks and tournee places one: raise fleet.break_after_hours to at least {:.1} or shorten the shift", (shift - pause) / 7200.0),
            );
        }
    }
    let posted_speeds = match fl.speeds.trim() {
        "rural" => false,
        "posted" => true,
        other => {
            c.bad(
                "fleet.speeds",
                other,
                "write \"rural\" (a share of the limit by class of road) or \"posted\" (the limits as they are)",
            );
            false
        }
    };
    let fresh_direct = match fl.fresh_products.trim() {
        "via_depot" => false,
        "direct" => true,
        other => {
            c.bad(
                "fleet.fresh_products",
                other,
                "write \"via_depot\" (kept at the depot overnight, delivered with the next morning's order) or \"direct\" (from the farm to the site the same day)",
            );
            false
        }
    };
    // Hours.
    let h = &f.hours;
    let dh = &defaults.hours;
    let mut t = |key: &str, text: &str, default: &str| {
        let fallback = default.parse().expect("default times parse");
        c.time(key, text, fallback)
    };
    let hours = Hours {
        sites_open: t("hours.sites_open", &h.sites_open, &dh.sites_open),
        sites_close: t("hours.sites_close", &h.sites_close, &dh.sites_close),
        bread_by: t("hours.bread_by", &h.bread_by, &dh.bread_by),
        producers_open: t(
            "hours.producers_open",
            &h.producers_open,
            &dh.producers_open,
        ),
        producers_close: t(
            "hours.producers_close",
            &h.producers_close,
            &dh.producers_close,
        ),
    };
    for (open, close, what) in [
        ("hours.sites_open", "hours.sites_close", "the conciergeries"),
        (
            "hours.producers_open",
            "hours.producers_close",
            "the producers",
        ),
    ] {
        let (a, b) = match open {
            "hours.sites_open" => (hours.sites_open, hours.sites_close),
            _ => (hours.producers_open, hours.producers_close),
        };
        if b <= a {
            c.bad(
                close,
                format!("{a}-{b}"),
                format!("{what} close before they open: set `{close}` after `{open}`"),
            );
        }
    }
    // Bread can never arrive before the vans leave, nor before the sites open.
    let first = start.max(hours.sites_open);
    let read = |x: &str| x.parse::<TimeOfDay>().is_ok();
    let given = [&h.bread_by, &h.sites_open, &fl.shift_start]
        .iter()
        .all(|x| read(x));
    if given && hours.bread_by <= first {
        c.bad(
            "hours.bread_by",
            hours.bread_by.to_string(),
            format!("bread would be due by {} but the vans leave at {start} and the conciergeries open at {}: no bread could ever arrive; set hours.bread_by later (bread with the rest: the sites' closing time)", hours.bread_by, hours.sites_open),
        );
    }
    if hours.sites_close <= start || hours.sites_open >= end {
        c.bad(
            "hours.sites_open",
            format!("{}-{}", hours.sites_open, hours.sites_close),
            format!("the conciergeries are open outside the vans' shift {start}-{end}: no delivery is possible; move the hours or the shift"),
        );
    }
    // Factors and mobility.
    let x = &f.factors;
    for (k, v) in [
        ("factors.car_kg_per_km", x.car_kg_per_km),
        ("factors.diesel_van_kg_per_km", x.diesel_van_kg_per_km),
        ("factors.electric_van_kg_per_km", x.electric_van_kg_per_km),
        ("factors.diesel_van_eur_per_km", x.diesel_van_eur_per_km),
        ("factors.electric_van_eur_per_km", x.electric_van_eur_per_km),
        ("factors.car_eur_per_km", x.car_eur_per_km),
    ] {
        c.number(k, v, 0.0, 100.0);
    }
    c.number(
        "factors.driver_eur_per_hour",
        x.driver_eur_per_hour,
        0.0,
        1000.0,
    );
    c.number("factors.van_eur_per_day", x.van_eur_per_day, 0.0, 100_000.0);
    c.number("factors.days_per_year", x.days_per_year, 1.0, 366.0);
    let m = &f.mobility;
    for (k, v) in [
        (
            "mobility.shop_trips_per_foyer_per_week",
            m.shop_trips_per_foyer_per_week,
        ),
        (
            "mobility.site_visits_per_foyer_per_week",
            m.site_visits_per_foyer_per_week,
        ),
    ] {
        c.number(k, v, 0.0, 100.0);
    }
    c.number(
        "mobility.car_share_beyond_walk_limit",
        m.car_share_beyond_walk_limit,
        0.0,
        1.0,
    );
    c.number("mobility.walk_limit_m", m.walk_limit_m, 0.0, 100_000.0);
    let fu = &f.funding;
    c.number(
        "funding.site_eur_per_month",
        fu.site_eur_per_month,
        0.0,
        100_000.0,
    );
    c.number(
        "funding.collectivity_share",
        fu.collectivity_share,
        0.0,
        1.0,
    );
    c.number(
        "funding.subscription_eur_per_foyer_per_month",
        fu.subscription_eur_per_foyer_per_month,
        0.0,
        1_000.0,
    );
    c.number("funding.participation", fu.participation, 0.01, 1.0);
    let po = &f.postman;
    c.number("postman.mail_share", po.mail_share, 0.0, 1.0);
    c.number(
        "postman.letterbox_seconds",
        po.letterbox_seconds,
        0.0,
        600.0,
    );
    c.number("postman.site_minutes", po.site_minutes, 0.0, 600.0);
    if po.mail_days_per_week.is_empty() || po.mail_days_per_week.len() > 6 {
        c.bad(
            "postman.mail_days_per_week",
            format!("{:?}", po.mail_days_per_week),
            "give 1 to 6 rhythms, e.g. [6, 3] (mail 6 days a week today, 3 days as La Poste tests)",
        );
    }
    for &d in &po.mail_days_per_week {
        c.whole("postman.mail_days_per_week", d as i64, 1, 6);
    }
    let w = &f.week;
    c.whole("week.days", w.days as i64, 1, 7);
    c.whole(
        "week.passages_per_week",
        w.passages_per_week as i64,
        1,
        (w.days as i64).clamp(1, 7),
    );
    c.whole("week.storage_litres", w.storage_litres, 1, 1_000_000);
    let lk = &f.lockers;
    for (k, v) in [
        ("lockers.small_litres", lk.small_litres),
        ("lockers.medium_litres", lk.medium_litres),
        ("lockers.large_litres", lk.large_litres),
    ] {
        c.number(k, v, 1.0, 10_000.0);
    }
    if !(lk.small_litres <= lk.medium_litres && lk.medium_litres <= lk.large_litres) {
        c.bad(
            "lockers.medium_litres",
            format!("{} / {} / {}", lk.small_litres, lk.medium_litres, lk.large_litres),
            "a locker's boxes go from small to large: small_litres <= medium_litres <= large_litres",
        );
    }
    c.number(
        "lockers.parcels_medium_share",
        lk.parcels_medium_share,
        0.0,
        1.0,
    );
    c.number(
        "lockers.parcels_large_share",
        lk.parcels_large_share,
        0.0,
        1.0,
    );
    if lk.parcels_medium_share + lk.parcels_large_share > 1.0 + 1e-9 {
        c.bad(
            "lockers.parcels_large_share",
            lk.parcels_large_share,
            "the medium and large shares of parcels add up to more than 1",
        );
    }
    c.whole("lockers.collect_days", i64::from(lk.collect_days), 1, 7);
    c.number("lockers.divert_km", lk.divert_km, 0.0, 1_000.0);
    Settings {
        seed: f.seed,
        lang,
        date,
        depot,
        households: None,
        sites_file: None,
        producers_file: None,
        deadline: None,
        sites: f.sites.clone(),
        demand: f.demand.clone(),
        fleet: Fleet {
            vans: fl.vans,
            van_type: fl.van_type,
            capacity_litres: fl.capacity_litres,
            shift_start: start,
            shift_end: end,
            stop_minutes: fl.stop_minutes,
            order_minutes: fl.order_minutes,
            break_minutes: fl.break_minutes,
            break_after_hours: fl.break_after_hours,
            posted_speeds,
            fresh_direct,
            reload_seconds: fl
                .reloads
                .then(|| (fl.reload_minutes * 60.0).round() as i64),
        },
        hours,
        factors: f.factors.clone(),
        mobility: f.mobility.clone(),
        funding: f.funding.clone(),
        postman: f.postman.clone(),
        week: f.week.clone(),
        lockers: f.lockers.clone(),
    }
}
