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
//! 5. **Producers' days** ([`producers`], `--producers FILE`): a farm hands over on its supply
//!    days, `lead_days` after the order at least.
//! 6. **Lockers** ([`lockers`]): a site with boxes has no staff; what a passage brings goes in
//!    boxes, what finds none waits for the next passage or goes to the nearest staffed site.
//! 7. **The year** ([`Week::year`]): the conciergeries' figures of the week's mean day, priced as
//!    the day's plan prices its typical day, times `factors.days_per_year`.
//!
//! Every week planned goes through [`check::check`], an independent checker of visit days,
//! passages, producers' days, boxes and the conservation of orders.
//!
//! Deterministic for a seed (the solvers' budgets are counts).

pub mod check;
pub mod lockers;
pub mod patterns;
pub mod producers;
pub mod refine;

use super::demand::{Demand, DemandInput, SiteDemand};
use super::progress::{step, Progress};
use super::scenario::Figures;
use super::settings::Settings;
use super::sites_file::{self, SitesFile};
use super::{plan, Plan, PlanError, Rounds, Territory};
use crate::model::{Date, Projection};
use lockers::{Fate, Item, LockerWeek};
use patterns::Pattern;
use producers::ProducersFile;
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
    /// Each day's orders, as ordered (before they accumulate to the passages).
    pub orders: Vec<Demand>,
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
    /// Each producer's supply days over the horizon and lead time.
    pub supply: Vec<producers::Days>,
    /// The lockers' weeks (of the days kept).
    pub lockers: Vec<LockerWeek>,
    /// Work that cannot be delivered, with the reason (of the days kept).
    pub unserved: Vec<Unserved>,
    /// The conciergeries' figures of the week's mean day (the year: times
    /// `factors.days_per_year`); the day's plan's typical day is `plan.scenarios.main`.
    pub year: Figures,
    /// The same with the other van type.
    pub year_other_van: Figures,
}

/// Work the week cannot deliver, listed with its reason (never dropped silently).
#[derive(Clone, Debug, PartialEq)]
pub struct Unserved {
    /// The day (index in the horizon).
    pub day: usize,
    /// The site it was for.
    pub site: usize,
    /// What ([`describe`] says it in words).
    pub what: SiteDemand,
    /// Why, and what to change.
    pub reason: String,
}

/// A sites file or producers file that the week cannot follow.
#[derive(Debug, thiserror::Error)]
pub enum WeekError {
    /// The producers file cannot be used.
    #[error(transparent)]
    Producers(#[from] producers::ProducersError),
    /// A frequency or days no pattern of the horizon satisfies, a producer with no supply day.
    #[error("{0}")]
    Horizon(String),
}

/// Rounds of moves on the solved rounds ([`refine`]), each followed by solving the days again.
const REFINE_ROUNDS: usize = 2;

/// The date a week starts on: the settings' date, else the next Monday.
pub fn start_date(settings: &Settings) -> Date {
    settings.date.unwrap_or_else(|| {
        let t = Date::tomorrow();
        t.plus(i64::from((7 - t.weekday()) % 7))
    })
}

/// Checks the sites file's week columns and the producers' days against the days the
/// `settings` plan, before the long steps: a site's passages more than the days planned, a
/// site whose given days all fall outside them, a producer with no supply day in them, a
/// locker whose largest box is smaller than a parcel (checked only where there are lockers: a
/// week without any plans whatever the boxes' sizes).
pub fn check_inputs(
    sites: Option<&SitesFile>,
    producers: Option<&ProducersFile>,
    producer_names: &[String],
    settings: &Settings,
) -> Result<(), WeekError> {
    let start = start_date(settings);
    let horizon = settings.week.days as usize;
    let (large, parcel) = (settings.lockers.large_litres, settings.demand.parcel_litres);
    let span = format!(
        "the {horizon} day(s) planned ({} to {})",
        weekday_name(start.weekday()),
        weekday_name(start.plus(horizon as i64 - 1).weekday())
    );
    if let Some(f) = sites {
        for r in &f.rows {
            if let Some(k) = r.passages {
                if k as usize > horizon {
                    return Err(WeekError::Horizon(format!(
                        "{}, line {}: site {} asks for {k} passages a week, more than {span}: lower its passages_per_week or plan more days (--days)",
                        f.path.display(), r.line, r.id
                    )));
                }
            }
            if r.boxes.is_some() && large < parcel {
                return Err(WeekError::Horizon(format!(
                    "{}, line {}: site {} is a locker, and its largest box (lockers.large_litres = {large} L) is smaller than a parcel (demand.parcel_litres = {parcel} L): no parcel would fit; give the boxes' real sizes in the settings, or make the site staffed (no boxes_s, boxes_m, boxes_l)",
                    f.path.display(), r.line, r.id
                )));
            }
            if let Some(days) = &r.days {
                if producers::to_pattern(days, start, horizon) == 0 {
                    return Err(WeekError::Horizon(format!(
                        "{}, line {}: site {} is served on {}, none of which is among {span}: give it days within them, or plan more days (--days)",
                        f.path.display(), r.line, r.id, days.iter().map(|&d| weekday_name(d)).collect::<Vec<_>>().join(",")
                    )));
                }
            }
        }
    }
    if let Some(f) = producers {
        for (p, s) in f.supply.iter().enumerate() {
            let Some(s) = s else { continue };
            if producers::to_pattern(&s.weekdays, start, horizon) == 0 {
                return Err(WeekError::Horizon(format!(
                    "{}, line {}: producer {} supplies on {}, none of which is among {span}: its orders could never be picked up; give it a day within them, or plan more days (--days)",
                    f.path.display(),
                    s.line,
                    producer_names.get(p).map_or("?", String::as_str),
                    s.weekdays.iter().map(|&d| weekday_name(d)).collect::<Vec<_>>().join(",")
                )));
            }
        }
    }
    Ok(())
}

/// `mon`..`sun` of a weekday (0 = Monday).
pub fn weekday_name(d: u8) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][usize::from(d % 7)]
}

/// Plans the week on `t` (see the module documentation), with the producers' days of
/// `producers` (read by [`ProducersFile::read`] for `t`'s producers; `None`: every day).
pub fn week(
    t: &Territory,
    settings: &Settings,
    demand: &DemandInput,
    producers: Option<&ProducersFile>,
    progress: &dyn Progress,
) -> Result<Week, PlanError> {
    let fr = settings.lang == crate::model::Lang::Fr;
    let start = start_date(settings);
    let horizon = settings.week.days as usize;
    let sites_file = settings
        .sites_file
        .as_deref()
        .map(sites_file::read)
        .transpose()?;
    let producer_ids = t.producer_ids();
    check_inputs(sites_file.as_ref(), producers, &producer_ids, settings)?;
    let base_settings = Settings {
        date: Some(start),
        ..settings.clone()
    };
    let mut base = plan(t, &base_settings, demand, progress)?;
    let rows: Rows = base
        .sites_file
        .as_ref()
        .map(SitesFile::by_id)
        .unwrap_or_default();
    open_lockers_all_day(&mut base.stops, &rows, settings.lang);
    let stops = &base.stops;
    let n = stops.sites();
    let supply: Vec<producers::Days> = (0..stops.producers())
        .map(|p| {
            producers
                .and_then(|f| f.supply.get(p).cloned().flatten())
                .map_or(producers::Days::every(horizon), |s| {
                    producers::Days::of(&s, start, horizon)
                })
        })
        .collect();
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
    let (passages, allowed) = passages(&base, &rows, &daily, settings, start, &mut notes);
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
                    let acc = accumulate(&daily, s, p, horizon, settings, &supply);
                    (0..horizon)
                        .map(|d| acc.at[d].as_ref().map_or(0.0, |x| litres(x) as f64))
                        .collect()
                })
                .collect(),
        })
        .collect();
    let mut pick = step(progress, "choosing each site's days", || {
        patterns::choose(&sites, horizon, &base_pick, settings.seed)
    });
    let mut chosen: Vec<Pattern> = (0..n).map(|s| allowed[s][pick[s]]).collect();
    let baseline_patterns: Vec<Pattern> = (0..n).map(|s| allowed[s][base_pick[s]]).collect();
    let day_settings = settings.clone();
    let boxes: Vec<Option<[u32; 3]>> = (0..n)
        .map(|s| {
            rows.get(stops.site_keys[s].0.as_str())
                .and_then(|r| r.boxes)
        })
        .collect();
    let divert = divert_targets(t, &base, &boxes, settings);
    let solve = |pats: &[Pattern], label: &str| {
        step(progress, label, || {
            let plan = deliveries(&base, &daily, pats, settings, &supply, &boxes, &divert);
            solve_days(&base, &daily, &plan, &day_settings, start, t).map(|d| (d, plan))
        })
    };
    let (mut week_days, mut week_plan) = solve(&chosen, "solving the rounds of every day")?;
    // The days improved on the real rounds: sites moved to the days the vans pass near them,
    // kept when the week's rounds, solved again, cost less.
    for round in 1..=REFINE_ROUNDS {
        let (better, moved) = step(
            progress,
            "moving sites to the days their rounds pass by",
            || refine::improve(&week_days, stops, &sites, &pick),
        );
        if moved == 0 {
            break;
        }
        let tried: Vec<Pattern> = (0..n).map(|s| allowed[s][better[s]]).collect();
        let (days2, plan2) = solve(&tried, "solving the days again")?;
        let cost = |d: &[WeekDay]| {
            Totals::sum(&d.iter().map(|x| totals(&x.rounds)).collect::<Vec<_>>()).eur
        };
        if cost(&days2) < cost(&week_days) {
            notes.push(if fr {
                format!("passe {round} sur les tournées calculées : {moved} site(s) déplacé(s) vers les jours où les camionnettes passent près d'eux")
            } else {
                format!("round {round} on the solved rounds: {moved} site(s) moved to the days their vans pass by")
            });
            week_days = days2;
            week_plan = plan2;
            chosen = tried;
            pick = better;
        } else {
            break;
        }
    }
    let (base_days, base_plan) = solve(&baseline_patterns, "solving the day-by-day baseline")?;
    let week_totals: Vec<Totals> = week_days.iter().map(|d| totals(&d.rounds)).collect();
    let baseline: Vec<Totals> = base_days.iter().map(|d| totals(&d.rounds)).collect();
    let kept_baseline = Totals::sum(&baseline).eur < Totals::sum(&week_totals).eur;
    let (days, totals, patterns, kept) = if kept_baseline {
        notes.push(if fr {
            "les jours choisis ensemble coûtent plus que ceux fixés jour par jour : ces derniers sont gardés".into()
        } else {
            "the days chosen together cost more than the day-by-day baseline's: the baseline's days are kept".into()
        });
        (
            base_days,
            baseline.clone(),
            baseline_patterns.clone(),
            base_plan,
        )
    } else {
        (week_days, week_totals, chosen, week_plan)
    };
    notes.extend(kept.notes);
    let f = &settings.factors;
    let mean_day = |of: &Figures| {
        let per_day: Vec<Figures> = days
            .iter()
            .map(|d| {
                let travel = super::scenario::with_rounds(
                    &of.travel,
                    &d.rounds,
                    settings.fleet.paid_day_hours(),
                );
                Figures::new(&of.name, of.van_type, travel, f)
            })
            .collect();
        Figures::mean(&of.name, &per_day).unwrap_or_else(|| of.clone())
    };
    let year = mean_day(&base.scenarios.main);
    let year_other_van = mean_day(&base.scenarios.other_van);
    Ok(Week {
        plan: base,
        orders: daily,
        passages,
        patterns,
        days,
        totals,
        baseline_patterns,
        baseline,
        kept_baseline,
        notes,
        supply,
        lockers: kept.lockers,
        unserved: kept.unserved,
        year,
        year_other_van,
    })
}

/// A locker has no staff: a van may fill it at any hour of its shift (its window is the whole
/// day; bread still comes by `hours.bread_by`), and the driver's sheet names it a locker.
fn open_lockers_all_day(stops: &mut super::Stops, rows: &Rows, lang: crate::model::Lang) {
    let mut hosts = stops.hosts.clone();
    let mut any = false;
    for (k, host) in hosts.iter_mut().enumerate() {
        if rows
            .get(stops.site_keys[k].0.as_str())
            .and_then(|r| r.boxes)
            .is_none()
        {
            continue;
        }
        any = true;
        let h = host.get_or_insert_with(Default::default);
        h.hours = Some((
            crate::model::TimeOfDay::from_seconds(0),
            crate::model::TimeOfDay::from_seconds(24 * 3600 - 60),
        ));
        if h.name.is_none() {
            h.name = Some(
                if lang == crate::model::Lang::Fr {
                    "consigne, 24 h/24"
                } else {
                    "locker, 24/7"
                }
                .into(),
            );
        }
    }
    if any {
        stops.set_hosts(hosts);
    }
}

/// The sites file's rows by site id ([`SitesFile::by_id`]; empty without a file).
type Rows<'a> = std::collections::HashMap<&'a str, &'a sites_file::SiteRow>;

/// Litres a site's order brings (bread excluded: it comes only on passage days whatever the
/// storage).
fn litres(d: &SiteDemand) -> i64 {
    d.parcel_litres + d.purchases_litres + d.fresh_via_depot.unwrap_or(0)
}

/// Each site's passages and allowed patterns; notes for the raised ones.
fn passages(
    base: &Plan,
    rows: &Rows,
    daily: &[Demand],
    settings: &Settings,
    start: Date,
    notes: &mut Vec<String>,
) -> (Vec<u32>, Vec<Vec<Pattern>>) {
    let fr = settings.lang == crate::model::Lang::Fr;
    let stops = &base.stops;
    let horizon = daily.len();
    let mut out_k = Vec::new();
    let mut out_p = Vec::new();
    for s in 0..stops.sites() {
        let (id, name) = &stops.site_keys[s];
        let row = rows.get(id.as_str());
        // Given days: those within the horizon.
        if let Some(days) = row.and_then(|r| r.days.as_ref()) {
            let p = producers::to_pattern(days, start, horizon);
            if p.count_ones() as usize != days.len() {
                let out = days.len() - p.count_ones() as usize;
                notes.push(if fr {
                    format!(
                        "{name} : {out} de ses jours tombent hors des {horizon} jours planifiés"
                    )
                } else {
                    format!("{name}: {out} of its days fall outside the {horizon} days planned")
                });
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
        // A locker's boxes are its storage (what does not fit waits or goes elsewhere).
        if row.and_then(|r| r.boxes).is_none() {
            let storage = row
                .and_then(|r| r.storage_litres)
                .unwrap_or(settings.week.storage_litres);
            let week_litres: i64 = daily
                .iter()
                .map(|d| litres_of(&d.per_site[s], settings))
                .sum();
            let needed = (week_litres + storage - 1) / storage;
            if i64::from(k) < needed {
                let raised = (needed as u32).min(horizon as u32);
                notes.push(if fr {
                    format!("{name} : {week_litres} L par semaine ne tiennent pas dans son stockage ({storage} L) en {k} passage(s) : {raised} passages")
                } else {
                    format!("{name}: {week_litres} L a week do not fit its storage ({storage} L) in {k} passage(s): {raised} passages")
                });
                k = raised;
            }
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

/// One site's week: what it receives on each day (`None` on the days it is not served), what
/// is picked up at the farms for it on each day (through the depot), and what cannot come.
#[derive(Clone, Debug, Default)]
struct SiteWeek {
    at: Vec<Option<SiteDemand>>,
    pickups: Vec<Vec<(usize, i64)>>,
    unserved: Vec<Unserved>,
}

/// What site `s` receives on each day of the horizon with pattern `p`: the parcels and
/// purchases ordered since its previous passage, round the week; bread of the day only; fresh
/// products picked up on the producer's supply day (see [`producers`]) and, through the depot,
/// brought at the site's first passage after that day.
fn accumulate(
    daily: &[Demand],
    s: usize,
    p: Pattern,
    horizon: usize,
    settings: &Settings,
    supply: &[producers::Days],
) -> SiteWeek {
    let fr = settings.lang == crate::model::Lang::Fr;
    let on: Vec<usize> = patterns::days(p).filter(|&d| d < horizon).collect();
    let mut w = SiteWeek {
        at: vec![None; horizon],
        pickups: vec![Vec::new(); horizon],
        unserved: Vec::new(),
    };
    let direct = settings.fleet.fresh_direct;
    for (i, &day) in on.iter().enumerate() {
        let prev = if i == 0 {
            on[on.len() - 1] as i64 - horizon as i64
        } else {
            on[i - 1] as i64
        };
        let mut acc = SiteDemand {
            bread_litres: daily[day].per_site[s].bread_litres,
            fresh_via_depot: (!direct).then_some(0),
            ..SiteDemand::default()
        };
        for d in prev + 1..=day as i64 {
            let o = &daily[d.rem_euclid(horizon as i64) as usize].per_site[s];
            acc.parcels += o.parcels;
            acc.parcel_litres += o.parcel_litres;
            acc.purchases_litres += o.purchases_litres;
        }
        w.at[day] = Some(acc);
    }
    // Fresh products, order by order.
    for (d, day) in daily.iter().enumerate() {
        for &(producer, l) in &day.per_site[s].fresh {
            let days = supply[producer];
            if direct {
                match days.pickup(d, horizon, p) {
                    Some(t) => {
                        let acc = w.at[t % horizon].as_mut().expect("a passage day");
                        match acc.fresh.iter_mut().find(|f| f.0 == producer) {
                            Some(f) => f.1 += l,
                            None => acc.fresh.push((producer, l)),
                        }
                    }
                    None => w.unserved.push(Unserved {
                        day: d,
                        site: s,
                        what: SiteDemand {
                            fresh: vec![(producer, l)],
                            ..SiteDemand::default()
                        },
                        reason: if fr {
                            "le producteur ne remet ses commandes aucun des jours du site, et fleet.fresh_products = \"direct\" les porte de la ferme au site : donnez au site un des jours du producteur (colonne days du fichier des sites), ou fleet.fresh_products = \"via_depot\"".into()
                        } else {
                            "the producer supplies on none of the site's days, and fleet.fresh_products = \"direct\" brings them straight from the farm: give the site one of the producer's days (sites file days), or set fleet.fresh_products = \"via_depot\"".into()
                        },
                    }),
                }
            } else {
                let t = days
                    .pickup(d, horizon, !0)
                    .expect("checked: a supply day in the horizon");
                let day = &mut w.pickups[t % horizon];
                match day.iter_mut().find(|f| f.0 == producer) {
                    Some(f) => f.1 += l,
                    None => day.push((producer, l)),
                }
                // Kept at the depot overnight: the first passage after the pickup day.
                let next = (t + 1..t + 1 + horizon)
                    .find(|&x| p & (1 << (x % horizon)) != 0)
                    .expect("a site has a passage");
                let acc = w.at[next % horizon].as_mut().expect("a passage day");
                *acc.fresh_via_depot.get_or_insert(0) += l;
            }
        }
    }
    w
}

/// The week's deliveries with the sites' days `pats`: every site's orders accumulated
/// ([`accumulate`]), then the lockers' boxes ([`lockers`]).
#[derive(Clone, Debug, Default)]
struct Deliveries {
    sites: Vec<SiteWeek>,
    lockers: Vec<LockerWeek>,
    unserved: Vec<Unserved>,
    notes: Vec<String>,
}

/// For each locker, the staffed site that takes what it cannot (nearest by road within
/// `lockers.divert_km`, among the 8 nearest in a straight line), or `None`.
fn divert_targets(
    t: &Territory,
    base: &Plan,
    boxes: &[Option<[u32; 3]>],
    settings: &Settings,
) -> Vec<Option<usize>> {
    let stops = &base.stops;
    let staffed: Vec<usize> = (0..boxes.len()).filter(|&s| boxes[s].is_none()).collect();
    (0..boxes.len())
        .map(|s| {
            boxes[s]?;
            if settings.lockers.divert_km <= 0.0 {
                return None;
            }
            let at = stops.site(s);
            let mut near: Vec<(f64, usize)> = staffed
                .iter()
                .map(|&k| {
                    let o = stops.site(k);
                    ((o.lon - at.lon).hypot((o.lat - at.lat) * 1.5), k)
                })
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            near.truncate(8);
            if near.is_empty() {
                return None;
            }
            let to: Vec<(f64, f64)> = near
                .iter()
                .map(|&(_, k)| (stops.site(k).lon, stops.site(k).lat))
                .collect();
            let rect = t.car().rectangle(&[(at.lon, at.lat)], &to);
            near.iter()
                .enumerate()
                .filter_map(|(j, &(_, k))| rect.distance(0, j).map(|m| (m.0, k)))
                .filter(|&(m, _)| m as f64 <= settings.lockers.divert_km * 1000.0)
                .min()
                .map(|(_, k)| k)
        })
        .collect()
}

/// Every site's week with the days `pats` (see [`Deliveries`]).
fn deliveries(
    base: &Plan,
    daily: &[Demand],
    pats: &[Pattern],
    settings: &Settings,
    supply: &[producers::Days],
    boxes: &[Option<[u32; 3]>],
    divert: &[Option<usize>],
) -> Deliveries {
    let fr = settings.lang == crate::model::Lang::Fr;
    let horizon = daily.len();
    let n = base.stops.sites();
    let mut sites: Vec<SiteWeek> = (0..n)
        .map(|s| accumulate(daily, s, pats[s], horizon, settings, supply))
        .collect();
    let mut out = Deliveries::default();
    for site in &mut sites {
        out.unserved.append(&mut site.unserved);
    }
    let via_depot = !settings.fleet.fresh_direct;
    let name = |s: usize| base.stops.site(s).name.clone();
    for s in 0..n {
        let Some(b) = boxes[s] else { continue };
        let items: Vec<Vec<Item>> = (0..horizon)
            .map(|d| {
                sites[s].at[d].as_ref().map_or(Vec::new(), |x| {
                    lockers::items(
                        x,
                        &settings.lockers,
                        settings.seed ^ ((s as u64) << 8) ^ d as u64,
                    )
                })
            })
            .collect();
        let (week, put, left) = lockers::simulate(
            s,
            pats[s],
            horizon,
            &items,
            b,
            settings.lockers.collect_days as usize,
            divert[s].is_some(),
        );
        for d in 0..horizon {
            if sites[s].at[d].is_none() {
                continue;
            }
            // Direct fresh products keep their farm pickup only when they are delivered.
            sites[s].at[d] = Some(lockers::delivery(&put[d], via_depot));
            let mut lost: Vec<Item> = Vec::new();
            for &(it, fate) in &left[d] {
                match fate {
                    Fate::Waits => {}
                    Fate::Diverted => {
                        let k = divert[s].expect("a staffed site within reach");
                        let next = (d..d + horizon)
                            .find(|&x| pats[k] & (1 << (x % horizon)) != 0)
                            .expect("a site has a passage");
                        if let Some(acc) = sites[k].at[next % horizon].as_mut() {
                            lockers::add(acc, &it);
                        }
                    }
                    Fate::Unserved => lost.push(it),
                }
            }
            if !lost.is_empty() {
                let what = lockers::delivery(&lost, via_depot);
                let km = settings.lockers.divert_km;
                let reason = match (
                    lost.iter().any(|i| i.kind == lockers::Kind::Bread),
                    lost.iter().any(|i| matches!(i.kind, lockers::Kind::FreshDirect(_))),
                    fr,
                ) {
                    (true, _, false) => "bread does not keep for the next passage and no box was free: more small boxes, or fewer days' collection (lockers.collect_days)".to_string(),
                    (true, _, true) => "le pain ne se garde pas jusqu'au passage suivant et aucun casier n'était libre : plus de petits casiers, ou un retrait plus rapide (lockers.collect_days)".to_string(),
                    (false, true, false) => "fresh products brought straight from a farm cannot wait for the next passage and no box was free: more boxes, or fleet.fresh_products = \"via_depot\"".to_string(),
                    (false, true, true) => "les produits frais portés directement de la ferme ne peuvent attendre le passage suivant et aucun casier n'était libre : plus de casiers, ou fleet.fresh_products = \"via_depot\"".to_string(),
                    (false, false, false) => format!("no box free for it even after waiting one passage, and no staffed site within {km} km by road (lockers.divert_km): more boxes, more passages, or a larger lockers.divert_km"),
                    (false, false, true) => format!("aucun casier libre même après un passage d'attente, et aucun site tenu à moins de {km} km par la route (lockers.divert_km) : plus de casiers, plus de passages, ou un lockers.divert_km plus grand"),
                };
                out.unserved.push(Unserved {
                    day: d,
                    site: s,
                    what,
                    reason,
                });
            }
        }
        if let Some(k) = divert[s] {
            let sent: u32 = week.diverted.iter().sum();
            if sent > 0 {
                out.notes.push(if fr {
                    format!("{} : {sent} colis ou sacs par semaine ne trouvent pas de casier même après un passage d'attente et vont à {}", name(s), name(k))
                } else {
                    format!("{} (locker): {sent} item(s) a week find no box even after waiting a passage and go to {}", name(s), name(k))
                });
            }
        }
        if !week.steady {
            out.notes.push(if fr {
                format!("{} : ses casiers ne retrouvent pas la même semaine après {} semaines ; la dernière est montrée", name(s), lockers::CYCLES)
            } else {
                format!("{} (locker): its boxes do not settle into the same week after {} weeks; the last is reported", name(s), lockers::CYCLES)
            });
        }
        out.lockers.push(week);
    }
    out.sites = sites;
    out
}

/// A delivery in words, in `lang`: "3 parcel(s) (40 L), 12 L of purchases" ("3 colis
/// (40 L), 12 L d'achats groupés").
pub fn describe(d: &SiteDemand, lang: crate::model::Lang) -> String {
    let fr = lang == crate::model::Lang::Fr;
    let mut parts = Vec::new();
    if d.parcels > 0 {
        let what = if fr { "colis" } else { "parcel(s)" };
        parts.push(format!("{} {what} ({} L)", d.parcels, d.parcel_litres));
    }
    let fresh = d.fresh_via_depot.unwrap_or(0) + d.fresh.iter().map(|f| f.1).sum::<i64>();
    for (litres, en, fr_) in [
        (d.purchases_litres, "of purchases", "d'achats groupés"),
        (fresh, "of fresh products", "de produits frais"),
        (d.bread_litres, "of bread", "de pain"),
    ] {
        if litres > 0 {
            parts.push(format!("{litres} L {}", if fr { fr_ } else { en }));
        }
    }
    parts.join(", ")
}

/// The orders of every day with the deliveries `plan`, and their rounds.
fn solve_days(
    base: &Plan,
    daily: &[Demand],
    plan: &Deliveries,
    settings: &Settings,
    start: Date,
    t: &Territory,
) -> Result<Vec<WeekDay>, PlanError> {
    let horizon = daily.len();
    let n = base.stops.sites();
    let direct = settings.fleet.fresh_direct;
    (0..horizon)
        .into_par_iter()
        .map(|d| {
            let date = start.plus(d as i64);
            let mut served = Vec::new();
            let orders: Vec<SiteDemand> = (0..n)
                .map(|s| {
                    let w = &plan.sites[s];
                    // Through the depot, the farms are visited for the pickups of the day.
                    let pickups = if direct {
                        Vec::new()
                    } else {
                        w.pickups[d].clone()
                    };
                    match &w.at[d] {
                        Some(acc) => {
                            served.push(s);
                            SiteDemand {
                                fresh: if direct { acc.fresh.clone() } else { pickups },
                                ..acc.clone()
                            }
                        }
                        None => SiteDemand {
                            fresh: pickups,
                            fresh_via_depot: Some(0),
                            ..SiteDemand::default()
                        },
                    }
                })
                .collect();
            let demand = Demand {
                per_site: orders,
                source: daily[d].source.clone(),
                from_model: daily[d].from_model,
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
    t.unserved = r.unserved();
    t
}
