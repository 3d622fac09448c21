//! The week (`tournee week`): each site's passages (its subscription), the days chosen for
//! every site together, and every day's rounds with vans that may reload at their depot.
//!
//! 1. The day's plan ([`crate::plan::plan`]) gives the sites, depots and places.
//! 2. Each day has its own orders (the demand model drawn with the seed plus the day's index,
//!    or the demand file for every day). What a site orders accumulates until its next passage
//!    (round the week: the first passage brings what came since the last one of the week
//!    before); bread comes only on passage days (it does not keep); the farms are visited
//!    every day for the day's fresh orders, which wait at the depot for the site's next
//!    passage (with `fleet.fresh_products = "direct"`, on the site's passage days, straight to
//!    it).
//! 3. A site's passages: the sites file's `passages_per_week` or `days`, else
//!    `week.passages_per_week`, raised while a passage would bring more than
//!    `week.storage_litres`. Its allowed days: see [`patterns`].
//! 4. **The day-by-day baseline** keeps the same passages but sets each site's days without
//!    looking at the others (the allowed patterns dealt in turn over the sites, in a shuffled
//!    order): what planning each day in isolation gives. **The week** chooses the days of all
//!    sites together ([`patterns::choose`]): neighbours on the same days, days balanced.
//!    Both are solved day by day with the same solver and fleet rules; the week keeps the
//!    cheaper of the two (so it is never worse than the baseline) and says by how much.
//!
//! Deterministic for a seed (the solvers' budgets are counts).

pub mod patterns;

use super::demand::{Demand, DemandInput, SiteDemand};
use super::progress::{step, Progress};
use super::settings::Settings;
use super::{plan, Plan, PlanError, Rounds, Territory};
use crate::model::{Date, Projection};
use patterns::Pattern;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;

/// One day of the week.
#[derive(Clone, Debug)]
pub struct WeekDay {
    /// Its date.
    pub date: Date,
    /// The sites served that day.
    pub served: Vec<usize>,
    /// Its orders (a site not served has none but its fresh products picked up at the farm).
    pub demand: Demand,
    /// Its rounds.
    pub rounds: Rounds,
}

/// What a day's rounds take.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Vans used.
    pub vans: usize,
    /// Returns to the depot to reload.
    pub reloads: usize,
    /// Kilometres driven.
    pub km: f64,
    /// Hours from leaving the depot to coming back, all vans.
    pub hours: f64,
    /// Cost of the rounds (vans by the day, kilometres, drivers' hours), euros.
    pub eur: f64,
    /// Jobs not served.
    pub unserved: usize,
}

impl Totals {
    /// The sum of `days`.
    pub fn sum(days: &[Totals]) -> Totals {
        days.iter().fold(Totals::default(), |a, d| Totals {
            vans: a.vans + d.vans,
            reloads: a.reloads + d.reloads,
            km: a.km + d.km,
            hours: a.hours + d.hours,
            eur: a.eur + d.eur,
            unserved: a.unserved + d.unserved,
        })
    }
}

/// A planned week.
#[derive(Clone, Debug)]
pub struct Week {
    /// The day's plan it starts from: sites, depots, places, the scenario of a typical day.
    pub plan: Plan,
    /// Passages a week per site.
    pub passages: Vec<u32>,
    /// The days of each site.
    pub patterns: Vec<Pattern>,
    /// The days, in order.
    pub days: Vec<WeekDay>,
    /// Each day's totals.
    pub totals: Vec<Totals>,
    /// The day-by-day baseline's days per site and totals per day.
    pub baseline_patterns: Vec<Pattern>,
    /// The baseline's totals per day.
    pub baseline: Vec<Totals>,
    /// Whether the baseline was kept (the chosen days did no better).
    pub kept_baseline: bool,
    /// Remarks: passages raised for storage, sites' days not in the horizon.
    pub notes: Vec<String>,
}

/// The date a week starts on: the settings' date, else the next Monday.
pub fn start_date(settings: &Settings) -> Date {
    settings.date.unwrap_or_else(|| {
        let t = Date::tomorrow();
        t.plus(i64::from((7 - t.weekday()) % 7))
    })
}

/// Plans the week on `t` (see the module documentation).
pub fn week(
    t: &Territory,
    settings: &Settings,
    demand: &DemandInput,
    progress: &dyn Progress,
) -> Result<Week, PlanError> {
    let start = start_date(settings);
    let base_settings = Settings {
        date: Some(start),
        ..settings.clone()
    };
    let base = plan(t, &base_settings, demand, progress)?;
    let stops = &base.stops;
    let n = stops.sites();
    let horizon = settings.week.days as usize;
    // Each day's orders.
    let daily: Vec<Demand> = (0..horizon)
        .map(|d| {
            let s = Settings {
                seed: settings.seed.wrapping_add(d as u64),
                ..settings.clone()
            };
            Demand::of_day(stops, &s, demand)
        })
        .collect::<Result<_, _>>()?;
    let mut notes = Vec::new();
    let (passages, allowed) = passages(&base, &daily, settings, start, &mut notes);
    // The baseline: the allowed patterns dealt in turn over the sites in a shuffled order.
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Pcg64Mcg::seed_from_u64(settings.seed ^ 0xba5e));
    let mut base_pick = vec![0usize; n];
    for (k, &s) in order.iter().enumerate() {
        base_pick[s] = k % allowed[s].len();
    }
    let proj = Projection::around(stops.spots.iter().map(|s| s.at()));
    let sites: Vec<patterns::Site> = (0..n)
        .map(|s| patterns::Site {
            xy: proj.to_xy(stops.site(s).at()),
            allowed: allowed[s].clone(),
            litres: allowed[s]
                .iter()
                .map(|&p| {
                    let acc = accumulate(&daily, s, p, horizon, settings);
                    (0..horizon)
                        .map(|d| acc[d].as_ref().map_or(0.0, |x| litres(x) as f64))
                        .collect()
                })
                .collect(),
        })
        .collect();
    let pick = step(progress, "choosing each site's days", || {
        patterns::choose(&sites, horizon, &base_pick, settings.seed)
    });
    let chosen: Vec<Pattern> = (0..n).map(|s| allowed[s][pick[s]]).collect();
    let baseline_patterns: Vec<Pattern> = (0..n).map(|s| allowed[s][base_pick[s]]).collect();
    let day_settings = Settings {
        fleet: super::settings::Fleet {
            reload_seconds: settings
                .week
                .reloads
                .then(|| (settings.week.reload_minutes * 60.0).round() as i64),
            ..settings.fleet.clone()
        },
        ..settings.clone()
    };
    let solve = |pats: &[Pattern], label: &str| {
        step(progress, label, || {
            solve_days(&base, &daily, pats, &day_settings, start, t)
        })
    };
    let week_days = solve(&chosen, "solving the rounds of every day")?;
    let base_days = solve(&baseline_patterns, "solving the day-by-day baseline")?;
    let week_totals: Vec<Totals> = week_days.iter().map(|d| totals(&d.rounds)).collect();
    let baseline: Vec<Totals> = base_days.iter().map(|d| totals(&d.rounds)).collect();
    let kept_baseline = Totals::sum(&baseline).eur < Totals::sum(&week_totals).eur;
    let (days, totals, patterns) = if kept_baseline {
        notes.push(
            "the days chosen together cost more than the day-by-day baseline's: the baseline's days are kept"
                .into(),
        );
        (base_days, baseline.clone(), baseline_patterns.clone())
    } else {
        (week_days, week_totals, chosen)
    };
    Ok(Week {
        plan: base,
        passages,
        patterns,
        days,
        totals,
        baseline_patterns,
        baseline,
        kept_baseline,
        notes,
    })
}

/// Litres a site's order brings (bread excluded: it comes only on passage days whatever the
/// storage).
fn litres(d: &SiteDemand) -> i64 {
    d.parcel_litres + d.purchases_litres + d.fresh_via_depot.unwrap_or(0)
}

/// Each site's passages and allowed patterns; notes for the raised ones.
fn passages(
    base: &Plan,
    daily: &[Demand],
    settings: &Settings,
    start: Date,
    notes: &mut Vec<String>,
) -> (Vec<u32>, Vec<Vec<Pattern>>) {
    let stops = &base.stops;
    let horizon = daily.len();
    let rows: std::collections::HashMap<&str, &super::sites_file::SiteRow> = base
        .sites_file
        .iter()
        .flat_map(|f| f.rows.iter())
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut out_k = Vec::new();
    let mut out_p = Vec::new();
    for s in 0..stops.sites() {
        let (id, name) = &stops.site_keys[s];
        let row = rows.get(id.as_str());
        // Given days: those within the horizon.
        if let Some(days) = row.and_then(|r| r.days.as_ref()) {
            let p: Pattern = days
                .iter()
                .filter_map(|&wd| {
                    let d = (i64::from(wd) - i64::from(start.weekday())).rem_euclid(7) as usize;
                    (d < horizon).then_some(1u8 << d)
                })
                .fold(0, |a, b| a | b);
            if p.count_ones() as usize != days.len() {
                notes.push(format!(
                    "{name}: {} of its days fall outside the {horizon} days planned",
                    days.len() - p.count_ones() as usize
                ));
            }
            if p != 0 {
                out_k.push(p.count_ones());
                out_p.push(vec![p]);
                continue;
            }
        }
        let mut k = row
            .and_then(|r| r.passages)
            .unwrap_or(settings.week.passages_per_week)
            .clamp(1, horizon as u32);
        let week_litres: i64 = daily
            .iter()
            .map(|d| litres_of(&d.per_site[s], settings))
            .sum();
        let needed =
            (week_litres + settings.week.storage_litres - 1) / settings.week.storage_litres;
        if i64::from(k) < needed {
            let raised = (needed as u32).min(horizon as u32);
            notes.push(format!(
                "{name}: {week_litres} L a week do not fit its storage ({} L) in {k} passage(s): {raised} passages",
                settings.week.storage_litres
            ));
            k = raised;
        }
        out_k.push(k);
        out_p.push(patterns::even(k as usize, horizon));
    }
    (out_k, out_p)
}

/// Litres a day's orders of one site bring to it (the day's fresh products included).
fn litres_of(d: &SiteDemand, settings: &Settings) -> i64 {
    let fresh: i64 = if settings.fleet.fresh_direct {
        d.fresh.iter().map(|f| f.1).sum()
    } else {
        d.fresh_via_depot
            .unwrap_or_else(|| d.fresh.iter().map(|f| f.1).sum())
    };
    d.parcel_litres + d.purchases_litres + fresh
}

/// What site `s` receives on each day of the horizon with pattern `p` (`None` on the days it is
/// not served): the orders of the days since its previous passage, round the week; bread of the
/// day only; fresh products from the depot (or, direct, from the farms on that day).
fn accumulate(
    daily: &[Demand],
    s: usize,
    p: Pattern,
    horizon: usize,
    settings: &Settings,
) -> Vec<Option<SiteDemand>> {
    let on: Vec<usize> = patterns::days(p).filter(|&d| d < horizon).collect();
    let mut out = vec![None; horizon];
    for (i, &day) in on.iter().enumerate() {
        let prev = if i == 0 {
            on[on.len() - 1] as i64 - horizon as i64
        } else {
            on[i - 1] as i64
        };
        let mut acc = SiteDemand {
            bread_litres: daily[day].per_site[s].bread_litres,
            ..SiteDemand::default()
        };
        let mut fresh = 0;
        for d in prev + 1..=day as i64 {
            let o = &daily[d.rem_euclid(horizon as i64) as usize].per_site[s];
            acc.parcels += o.parcels;
            acc.parcel_litres += o.parcel_litres;
            acc.purchases_litres += o.purchases_litres;
            fresh += o.fresh.iter().map(|f| f.1).sum::<i64>();
            if settings.fleet.fresh_direct {
                for &(producer, l) in &o.fresh {
                    match acc.fresh.iter_mut().find(|f| f.0 == producer) {
                        Some(f) => f.1 += l,
                        None => acc.fresh.push((producer, l)),
                    }
                }
            }
        }
        if !settings.fleet.fresh_direct {
            acc.fresh_via_depot = Some(fresh);
        }
        out[day] = Some(acc);
    }
    out
}

/// The orders of every day with `pats` and their rounds.
fn solve_days(
    base: &Plan,
    daily: &[Demand],
    pats: &[Pattern],
    settings: &Settings,
    start: Date,
    t: &Territory,
) -> Result<Vec<WeekDay>, PlanError> {
    let horizon = daily.len();
    let n = base.stops.sites();
    let per_site: Vec<Vec<Option<SiteDemand>>> = (0..n)
        .map(|s| accumulate(daily, s, pats[s], horizon, settings))
        .collect();
    (0..horizon)
        .into_par_iter()
        .map(|d| {
            let date = start.plus(d as i64);
            let mut served = Vec::new();
            let orders: Vec<SiteDemand> = (0..n)
                .map(|s| match &per_site[s][d] {
                    Some(acc) => {
                        served.push(s);
                        SiteDemand {
                            // Via the depot, the farms are visited for the day's own orders.
                            fresh: if settings.fleet.fresh_direct {
                                acc.fresh.clone()
                            } else {
                                daily[d].per_site[s].fresh.clone()
                            },
                            ..acc.clone()
                        }
                    }
                    None => SiteDemand {
                        fresh: if settings.fleet.fresh_direct {
                            Vec::new()
                        } else {
                            daily[d].per_site[s].fresh.clone()
                        },
                        fresh_via_depot: Some(0),
                        ..SiteDemand::default()
                    },
                })
                .collect();
            let demand = Demand {
                per_site: orders,
                source: daily[d].source.clone(),
                notes: Vec::new(),
            };
            let day_settings = Settings {
                date: Some(date),
                ..settings.clone()
            };
            let rounds = Rounds::solve(&base.stops, &demand, &day_settings, t.car())?;
            Ok(WeekDay {
                date,
                served,
                demand,
                rounds,
            })
        })
        .collect()
}

/// A day's totals from its checked rounds.
pub fn totals(r: &Rounds) -> Totals {
    let mut t = Totals::default();
    for (_, route) in r.routes() {
        t.vans += 1;
        t.reloads += route.steps.iter().filter(|s| s.reload).count();
        t.km += route.distance.0 as f64 / 1000.0;
        t.hours += route.duration.0 as f64 / 3600.0;
        t.eur += route.cost.0 as f64 / super::fleet::COST_UNITS_PER_EUR;
    }
    t.unserved = r.unassigned().count();
    t
}
