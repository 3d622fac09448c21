//! The postman's round, letters included: today, a round stopping at every letterbox that
//! receives mail that day and at every door receiving a parcel; with conciergeries, the mail
//! dropped at each site (one stop per site), the parcels travelling with the conciergerie vans.
//! Both are solved on the roads with the van solver (its fleet sizing), for each mail rhythm of
//! `postman.mail_days_per_week` (6 days a week today, 3 as La Poste tests).
//!
//! Decisions (also in the README):
//! - A letterbox receives mail on a delivery day with `postman.mail_share` (6 mail days a week);
//!   with `d` mail days, a delivery day carries `6 / d` days of mail: `1 - (1 - share)^(6 / d)`.
//!   Each foyer has a box; a building is one stop, `postman.letterbox_seconds` per box with mail,
//!   2 minutes at a door with a parcel (the letters of that building included).
//! - On the days without mail, today's postman still delivers the day's parcels (the plan's
//!   parcel round); with conciergeries the postman has nothing to deliver to the doors.
//! - Rounds are solved by sectors of [`SECTOR_STOPS`] stops at most (La Poste's rounds are
//!   sectors of about 400 delivery points), each from the depots nearest its stops, in
//!   parallel; above [`MAX_SECTORS`] sectors, evenly spread sectors are solved and the figures
//!   scaled by stops (said in the remarks). Today's sectors get [`POSTMAN_ITERATIONS`], half
//!   the plan's budget (measured: the same km within the seeds' spread).

use super::travel::postman_round;
use super::Travel;
use crate::graph::Network;
use crate::model::Projection;
use crate::plan::depot::Spot;
use crate::plan::fleet::ROUND_ITERATIONS;
use crate::plan::rounds::nearest_depot;
use crate::plan::settings::{Factors, Settings, VanType};
use crate::plan::siting::zones::partition_weighted;
use crate::plan::siting::Grouping;
use crate::plan::PlanError;
use crate::routing::check;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

/// Stops of a postman's sector at most: one or two days' rounds of a postman (about 400
/// delivery points a day). Measured on Liechtenstein (6,800 and 9,400 stops): the postman's
/// rounds in 22 s with sectors of 1,500, 15 s with 600, 10 to 13 s with 600 and 8 sectors.
pub const SECTOR_STOPS: usize = 600;
/// Sectors solved at most per round; beyond, evenly spread ones, the figures scaled by stops.
pub const MAX_SECTORS: usize = 8;
/// The solver's budget for a sector of today's postman, half the plan's rounds'. Measured on
/// Liechtenstein, seeds 1 to 3: today's km a mail day within -0.8 to +1.6 % (mean +0.4 %) of
/// those with the plan's budget, the seeds' own spread, for two thirds of the time (the
/// postman's rounds 13 s -> 9 s). The round of the sites keeps the plan's budget: there, half
/// made the km 2 % longer on every seed, against the conciergeries.
pub const POSTMAN_ITERATIONS: u64 = 2_000;
/// Seconds at a door with a parcel.
const PARCEL_DOOR_S: i64 = 120;

/// One mail rhythm: the postman's mail day today and with conciergeries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rhythm {
    /// Mail days a week.
    pub mail_days: u32,
    /// Share of letterboxes receiving mail on a mail day.
    pub share: f64,
    /// Today, on a mail day: letterboxes and parcel doors.
    pub today: Travel,
    /// With conciergeries, on a mail day: one stop per site.
    pub sites: Travel,
}

/// The postman's rounds, letters included.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Postal {
    /// Today, on a day without mail: the parcel doors only (the plan's parcel round).
    pub parcels_only: Travel,
    /// Per mail rhythm.
    pub rhythms: Vec<Rhythm>,
    /// How the figures were measured, when not the plain way.
    pub remarks: Vec<String>,
}

/// A postman's year on one rhythm: kilometres, driver hours, kgCO2e and euros (drivers and
/// vans, priced as every scenario is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Year {
    /// Stops a year.
    pub stops: f64,
    /// Van kilometres a year.
    pub km: f64,
    /// Driver hours a year.
    pub hours: f64,
    /// kgCO2e a year.
    pub co2_kg: f64,
    /// Euros a year.
    pub eur: f64,
}

impl Postal {
    /// Rhythm `r`'s year, today (`sites` false: mail days at the letterboxes, the other days
    /// at the parcel doors) or with conciergeries (mail days at the sites only).
    pub fn year(&self, r: &Rhythm, sites: bool, f: &Factors, van: VanType) -> Year {
        let day = |t: &Travel| {
            let fig = super::Figures::new("postman", van, t.clone(), f);
            [
                t.van_stops as f64,
                t.van_km,
                t.driver_hours,
                fig.van_co2_kg_day,
                fig.driver_eur_day + fig.van_eur_day,
            ]
        };
        let (mail, other) = if sites {
            (day(&r.sites), [0.0; 5])
        } else {
            (day(&r.today), day(&self.parcels_only))
        };
        let weeks = f.days_per_year / 6.0;
        let y = |k: usize| weeks * per_week(r.mail_days, mail[k], other[k]);
        Year {
            stops: y(0),
            km: y(1),
            hours: y(2),
            co2_kg: y(3),
            eur: y(4),
        }
    }
}

/// A week's total of a per-day quantity: `mail_days` mail days of `mail`, the other delivery
/// days (of 6) of `other`.
pub fn per_week(mail_days: u32, mail: f64, other: f64) -> f64 {
    mail_days as f64 * mail + (6 - mail_days.min(6)) as f64 * other
}

/// The share of letterboxes with mail on a mail day, `d` mail days a week, `share` when daily.
pub fn share_for(share: f64, d: u32) -> f64 {
    1.0 - (1.0 - share.clamp(0.0, 1.0)).powf(6.0 / d.max(1) as f64)
}

/// The postman's rounds for the plan made of `g` and `depots`; `parcels` are today's parcel
/// doors (household ids). Returns each rhythm and the remarks on how they were measured: the
/// caller makes the [`Postal`] with the parcel round, solved at the same time.
pub fn measure(
    car: &Network,
    settings: &Settings,
    g: &Grouping,
    depots: &[Spot],
    parcels: &[Spot],
) -> Result<(Vec<Rhythm>, Vec<String>), PlanError> {
    let po = &settings.postman;
    let parcel_ids: std::collections::HashSet<&str> =
        parcels.iter().map(|s| s.name.as_str()).collect();
    let mut remarks = Vec::new();
    // The remarks are printed on the scenario page: in its language.
    let fr = settings.lang == crate::model::Lang::Fr;
    let sites: Vec<(Spot, i64)> = g
        .open_places()
        .map(|s| {
            let spot = Spot {
                name: s.id.clone(),
                address: None,
                lon: s.lon,
                lat: s.lat,
            };
            (spot, (po.site_minutes * 60.0).round() as i64)
        })
        .collect();
    // The round of the sites and each rhythm's round of today, all at once.
    let today_round = |d: u32| {
        let share = share_for(po.mail_share, d);
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(settings.seed ^ 0x6d61_696c ^ d as u64);
        let mut stops: Vec<(Spot, i64)> = Vec::new();
        for h in &g.households {
            let boxes = (0..h.foyers.max(1))
                .filter(|_| rng.random::<f64>() < share)
                .count() as i64;
            let parcel = parcel_ids.contains(h.place.id.as_str());
            if boxes == 0 && !parcel {
                continue;
            }
            let seconds = if parcel {
                PARCEL_DOOR_S
            } else {
                (boxes as f64 * po.letterbox_seconds).round() as i64
            };
            let spot = Spot {
                name: h.place.id.clone(),
                address: None,
                lon: h.place.lon,
                lat: h.place.lat,
            };
            stops.push((spot, seconds));
        }
        let label = if fr {
            format!("le facteur aujourd'hui, courrier {d} jours sur 7")
        } else {
            format!("today's postman, mail {d} days a week")
        };
        round(car, settings, depots, &stops, &label, POSTMAN_ITERATIONS)
            .map(|(today, r)| (d, share, stops.len(), today, r))
    };
    let (sited, todays) = rayon::join(
        || {
            round(
                car,
                settings,
                depots,
                &sites,
                if fr {
                    "la tournée du facteur aux conciergeries"
                } else {
                    "the postman's round of the sites"
                },
                ROUND_ITERATIONS,
            )
        },
        || {
            po.mail_days_per_week
                .par_iter()
                .map(|&d| today_round(d))
                .collect::<Result<Vec<_>, _>>()
        },
    );
    let (site_round, r) = sited?;
    remarks.extend(r);
    if site_round.unserved > 0 {
        remarks.push(if fr {
            format!(
                "la tournée du facteur aux conciergeries : {} sites sur {} n'ont pas pu être servis dans la journée et ne sont pas comptés",
                site_round.unserved,
                sites.len()
            )
        } else {
            format!(
                "the postman's round of the sites: {} of {} sites could not be served within the shift and are not counted",
                site_round.unserved,
                sites.len()
            )
        });
    }
    let mut rhythms = Vec::new();
    for (d, share, stops, today, r) in todays? {
        remarks.extend(r);
        if today.unserved > 0 {
            remarks.push(if fr {
                format!(
                    "le facteur aujourd'hui, courrier {d} jours sur 7 : {} arrêts sur {stops} n'ont pas pu être servis dans la journée et ne sont pas comptés",
                    today.unserved,
                )
            } else {
                format!(
                    "today's postman, mail {d} days a week: {} of {stops} stops could not be served within the shift and are not counted",
                    today.unserved,
                )
            });
        }
        rhythms.push(Rhythm {
            mail_days: d,
            share,
            today,
            sites: site_round.clone(),
        });
    }
    Ok((rhythms, remarks))
}

/// A postman's round of `stops` (place, seconds there) from `depots`, by sectors, each solved
/// with `iterations`.
fn round(
    car: &Network,
    settings: &Settings,
    depots: &[Spot],
    stops: &[(Spot, i64)],
    label: &str,
    iterations: u64,
) -> Result<(Travel, Option<String>), PlanError> {
    if stops.is_empty() || depots.is_empty() {
        return Ok((Travel::default(), None));
    }
    let spots: Vec<Spot> = stops.iter().map(|s| s.0.clone()).collect();
    let sectors: Vec<Vec<usize>> = if stops.len() <= SECTOR_STOPS {
        vec![(0..stops.len()).collect()]
    } else {
        let proj = Projection::around(spots.iter().map(|s| s.at()));
        let xy: Vec<[f64; 2]> = spots.iter().map(|s| proj.to_xy(s.at())).collect();
        partition_weighted(&xy, &vec![1; xy.len()], SECTOR_STOPS as i64)
    };
    let chosen: Vec<usize> = if sectors.len() <= MAX_SECTORS {
        (0..sectors.len()).collect()
    } else {
        (0..MAX_SECTORS)
            .map(|k| k * sectors.len() / MAX_SECTORS)
            .collect()
    };
    let nearest = nearest_depot(car, depots, &spots);
    let solved: Vec<(check::Report, usize)> = chosen
        .par_iter()
        .map(|&k| {
            let sector = &sectors[k];
            let mut ds: Vec<usize> = sector.iter().map(|&i| nearest[i]).collect();
            ds.sort_unstable();
            ds.dedup();
            let from: Vec<&Spot> = ds.iter().map(|&d| &depots[d]).collect();
            let mine: Vec<(&Spot, i64, i64)> =
                sector.iter().map(|&i| (&spots[i], stops[i].1, 1)).collect();
            postman_round(car, settings, &from, &mine, label, iterations)
        })
        .collect::<Result<_, _>>()?;
    let mut t = super::travel::travel_of(
        solved.iter().map(|x| &x.0),
        solved.iter().map(|x| x.1).sum(),
        settings.fleet.paid_day_hours(),
    );
    if chosen.len() == sectors.len() {
        return Ok((t, None));
    }
    let done: usize = chosen.iter().map(|&k| sectors[k].len()).sum();
    let scale = stops.len() as f64 / done.max(1) as f64;
    t.van_km *= scale;
    t.driver_hours *= scale;
    t.paid_hours *= scale;
    t.vans = (t.vans as f64 * scale).round() as usize;
    t.van_stops = (t.van_stops as f64 * scale).round() as usize;
    t.unserved = (t.unserved as f64 * scale).round() as usize;
    Ok((
        t,
        Some(if settings.lang == crate::model::Lang::Fr {
            format!(
                "{label} : {} arrêts en {} secteurs ; {} secteurs répartis ({done} arrêts) résolus, les chiffres étendus au prorata des arrêts",
                stops.len(),
                sectors.len(),
                chosen.len()
            )
        } else {
            format!(
                "{label}: {} stops in {} sectors; {} evenly spread sectors ({done} stops) solved, the figures scaled by stops",
                stops.len(),
                sectors.len(),
                chosen.len()
            )
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_mail_days_carry_more_mail_each() {
        assert!((share_for(0.44, 6) - 0.44).abs() < 1e-12);
        // Two days of mail: a box is empty only if both days are.
        assert!((share_for(0.44, 3) - (1.0 - 0.56 * 0.56)).abs() < 1e-12);
        assert!(share_for(0.44, 1) > share_for(0.44, 3));
        assert_eq!(per_week(6, 10.0, 1.0), 60.0);
        assert_eq!(per_week(3, 10.0, 1.0), 33.0);
    }
}
