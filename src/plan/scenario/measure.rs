//! The scenarios measured on the roads: today (a postman's van at every door receiving a
//! parcel, households driving to a shop) against the conciergerie network (the day's van
//! rounds, households walking or driving to their site), with a sensitivity to site size and
//! van type.
//!
//! Decisions (also in the README): today's parcel round is solved with the same van solver on
//! the households receiving a parcel that day (2 minutes per stop); a household's shop is the
//! nearest `shop=*` place by road (6 km when the extract has none: half of rural residents live
//! farther than that from a supermarket, INSEE); trips to the conciergerie use walking
//! distances.

use super::travel::{postman_round, travel_of};
use super::{shop_trips, site_trips, Figures, Travel};
use crate::graph::{self, dijkstra, Network, Weight};
use crate::model::Projection;
use crate::plan::demand::{Demand, DemandInput};
use crate::plan::depot::Spot;
use crate::plan::fleet::ROUND_ITERATIONS;
use crate::plan::progress::{Progress, Quiet};
use crate::plan::rounds::{nearest_depot, Rounds, REGION_SITES};
use crate::plan::settings::{Settings, VanType};
use crate::plan::siting::zones::partition_weighted;
use crate::plan::siting::{site_among, Grouping, SitingOptions};
use crate::plan::stops::Stops;
use crate::plan::territory::{Household, Territory};
use crate::plan::PlanError;
use crate::routing::check;
use rayon::prelude::*;
use std::time::Instant;

/// Minutes a postman spends at a household's door (today's parcel round).
pub const POSTMAN_STOP_MIN: f64 = 2.0;
/// Above this many households, the sensitivities to site size are measured on this many
/// households nearest the territory's centre and scaled to the territory (each figure in
/// proportion to the plan's on that sample): a département's sensitivities then cost what a
/// communauté de communes' do, and every report says so.
pub const SENSITIVITY_SAMPLE: usize = 25_000;
/// Road distance to a shop when the extract has none (INSEE: half of rural residents live
/// more than 6 km from a supermarket).
pub const NO_SHOP_M: f64 = 6_000.0;

/// The scenarios compared.
#[derive(Clone, Debug)]
pub struct Scenarios {
    /// Today.
    pub baseline: Figures,
    /// With conciergeries.
    pub main: Figures,
    /// With conciergeries and the other van type.
    pub other_van: Figures,
    /// With conciergeries of other sizes: (foyers per site, figures).
    pub sizes: Vec<(i64, Figures)>,
    /// How the shop trips were measured.
    pub shop_note: String,
    /// Warnings from the sensitivity runs (work left unserved there).
    pub notes: Vec<String>,
    /// How the figures were measured, when it is not the plain way (a sample, scaled).
    pub remarks: Vec<String>,
    /// The postman's rounds, letters included.
    pub postal: super::postal::Postal,
    /// Today, each household's road distance to its shop (metres, in the grouping's order).
    pub shop_m: Vec<f64>,
}

impl Scenarios {
    /// Every scenario, in the report's order.
    pub fn all(&self) -> Vec<&Figures> {
        [&self.baseline, &self.main, &self.other_van]
            .into_iter()
            .chain(self.sizes.iter().map(|x| &x.1))
            .collect()
    }
}

/// Today and with conciergeries, plus sensitivities, for the plan made of `g`, `depot`,
/// `demand` and `rounds`. Today's rounds and each sensitivity are independent: they run in
/// parallel (each is deterministic, so the figures do not depend on the threads).
pub fn compare(
    t: &Territory,
    settings: &Settings,
    g: &Grouping,
    depots: &[Spot],
    demand: &Demand,
    rounds: &Rounds,
    progress: &dyn Progress,
) -> Result<Scenarios, PlanError> {
    let f = &settings.factors;
    let van_type = settings.fleet.van_type;
    let target = settings.sites.target;
    let mut sizes: Vec<i64> = settings
        .sites
        .sensitivity_sizes
        .iter()
        .copied()
        .filter(|&z| z != target)
        .collect();
    // A large territory: every size, the plan's too, on a central sample, then scaled.
    let sample = (t.households.len() > SENSITIVITY_SAMPLE && !sizes.is_empty())
        .then(|| central_sample(&t.households, SENSITIVITY_SAMPLE));
    if sample.is_some() {
        sizes.push(target);
    }
    let timed = |f: &dyn Fn() -> Result<Sensitivity, PlanError>| {
        let t0 = Instant::now();
        f().map(|s| (s, t0.elapsed().as_secs_f64()))
    };
    let (today, others) = rayon::join(
        || {
            // Today's parcel round and the postman's rounds only share the parcel doors: both
            // at once.
            let parcels = parcel_homes(g, demand, settings);
            let (today, postal) = rayon::join(
                || {
                    let t0 = Instant::now();
                    today(t, settings, g, depots, &parcels).map(|x| (x, t0.elapsed()))
                },
                || {
                    let t0 = Instant::now();
                    super::postal::measure(t.car(), settings, g, depots, &parcels)
                        .map(|x| (x, t0.elapsed()))
                },
            );
            let ((baseline, note, shop_m), secs) = today?;
            let ((rhythms, remarks), postal_secs) = postal?;
            let postal = super::postal::Postal {
                parcels_only: Travel {
                    car_km: 0.0,
                    car_trips: 0.0,
                    ..baseline.travel.clone()
                },
                rhythms,
                remarks,
            };
            Ok::<_, PlanError>((
                (baseline, note, shop_m),
                secs.as_secs_f64(),
                postal,
                postal_secs.as_secs_f64(),
            ))
        },
        || {
            sizes
                .par_iter()
                .map(|&z| timed(&|| sensitivity(t, sample.as_deref(), settings, depots, z)))
                .collect::<Result<Vec<_>, PlanError>>()
        },
    );
    let ((baseline, shop_note, shop_m), secs, postal, postal_secs) = today?;
    progress.info(&format!(
        "today: {} parcel doors by {} postman van(s), {:.1} van km; shop trips measured: {secs:.1} s",
        baseline.travel.van_stops, baseline.travel.vans, baseline.travel.van_km
    ));
    for r in &postal.rhythms {
        progress.info(&format!(
            "the postman, mail {} days a week: today {} stops, {:.1} km a mail day; with conciergeries {} stops, {:.1} km",
            r.mail_days, r.today.van_stops, r.today.van_km, r.sites.van_stops, r.sites.van_km
        ));
    }
    progress.info(&format!(
        "the postman's rounds measured: {postal_secs:.1} s"
    ));
    let others = others?;
    // With conciergeries.
    let main_travel = network_travel(settings, g, rounds);
    let main = Figures::new("conciergeries", van_type, main_travel.clone(), f);
    let other = match van_type {
        VanType::Diesel => VanType::Electric,
        VanType::Electric => VanType::Diesel,
    };
    let other_van = Figures::new("conciergeries, other van type", other, main_travel, f);
    let mut notes = Vec::new();
    let mut remarks = Vec::new();
    let mut by_size = Vec::new();
    let measured = |z: i64| {
        others
            .iter()
            .find(|o| o.0.size == z)
            .expect("every size measured")
    };
    if let Some(hh) = &sample {
        let (base, _) = measured(target);
        let share = 100.0 * hh.len() as f64 / t.households.len() as f64;
        remarks.push(if settings.lang == crate::model::Lang::Fr {
            format!(
                "tailles autres que {target} foyers : mesurées sur les {} logements les plus proches du centre du territoire ({share:.0} %), puis étendues au territoire par le rapport de chaque chiffre à celui du plan ({target} foyers, {} sites) sur cet échantillon",
                hh.len(),
                base.sites
            )
        } else {
            format!(
                "sizes other than {target} foyers: measured on the {} households nearest the territory's centre ({share:.0} % of them), then scaled to the territory by the ratio of each figure to the plan's ({target} foyers, {} sites) on that sample",
                hh.len(),
                base.sites
            )
        });
    }
    for &z in &settings.sites.sensitivity_sizes {
        if z == target {
            by_size.push((z, main.clone()));
            continue;
        }
        let (o, secs) = measured(z);
        let (figures, sites) = match &sample {
            None => (o.figures.clone(), o.sites as f64),
            Some(hh) => {
                let (base, _) = measured(target);
                let per_household = t.households.len() as f64 / hh.len() as f64;
                let travel = scaled(
                    &main.travel,
                    &base.figures.travel,
                    &o.figures.travel,
                    per_household,
                );
                let sites = g.pb.p as f64 * o.sites as f64 / base.sites.max(1) as f64;
                (Figures::new(&o.figures.name, van_type, travel, f), sites)
            }
        };
        progress.info(&format!(
            "{z} foyers per site: {sites:.0} sites, {:.1} van km{}: {secs:.1} s",
            figures.travel.van_km,
            if sample.is_some() {
                " (scaled from the sample)"
            } else {
                ""
            }
        ));
        if let Some(w) = &o.warning {
            notes.push(format!("{z} foyers per site: {w}"));
        }
        by_size.push((z, figures));
    }
    remarks.extend(postal.remarks.iter().cloned());
    Ok(Scenarios {
        baseline,
        main,
        other_van,
        sizes: by_size,
        shop_note,
        notes,
        remarks,
        postal,
        shop_m,
    })
}

/// Today: the day's parcels delivered to the households' doors by a postman's van from the
/// plan's depots (each door from its nearest), with as many vans as it takes (by regions of
/// [`REGION_SITES`] doors at most, solved in parallel), and the households driving to the
/// nearest shop.
fn today(
    t: &Territory,
    settings: &Settings,
    g: &Grouping,
    depots: &[Spot],
    homes: &[Spot],
) -> Result<(Figures, String, Vec<f64>), PlanError> {
    let car = t.car();
    let nearest = nearest_depot(car, depots, homes);
    let mut per_depot = vec![0i64; depots.len()];
    for &d in &nearest {
        per_depot[d] += 1;
    }
    let groups: Vec<Vec<usize>> = if homes.len() <= REGION_SITES || depots.len() == 1 {
        vec![(0..depots.len()).collect()]
    } else {
        let proj = Projection::around(depots.iter().map(|d| d.at()));
        let xy: Vec<[f64; 2]> = depots.iter().map(|d| proj.to_xy(d.at())).collect();
        partition_weighted(&xy, &per_depot, REGION_SITES as i64)
    };
    let stop = (POSTMAN_STOP_MIN * 60.0) as i64;
    let parcel = settings.demand.parcel_litres.ceil() as i64;
    let solved: Vec<(check::Report, usize)> = groups
        .par_iter()
        .map(|ds| {
            let mine: Vec<(&Spot, i64, i64)> = (0..homes.len())
                .filter(|&h| ds.contains(&nearest[h]))
                .map(|h| (&homes[h], stop, parcel))
                .collect();
            let from: Vec<&Spot> = ds.iter().map(|&d| &depots[d]).collect();
            postman_round(
                car,
                settings,
                &from,
                &mine,
                "today's parcel round",
                ROUND_ITERATIONS,
            )
        })
        .collect::<Result<_, _>>()?;
    let van = travel_of(
        solved.iter().map(|x| &x.0),
        solved.iter().map(|x| x.1).sum(),
        settings.fleet.paid_day_hours(),
    );
    // Shop trips: road distance from each household to the nearest shop.
    let shops: Vec<(f64, f64)> = t
        .extract
        .features
        .candidates
        .iter()
        .filter(|c| c.kind.starts_with("shop="))
        .map(|c| (c.lon, c.lat))
        .collect();
    let homes: Vec<(f64, f64)> = g
        .households
        .iter()
        .map(|h| (h.place.lon, h.place.lat))
        .collect();
    let (shop_m, shop_note) = if shops.is_empty() {
        (
            vec![NO_SHOP_M; homes.len()],
            if settings.lang == crate::model::Lang::Fr {
                format!(
                    "aucun commerce dans l'extrait : chaque logement est compté à {:.0} km d'un commerce",
                    NO_SHOP_M / 1000.0
                )
            } else {
                format!(
                    "no shop in the extract: every household is taken {:.0} km from a shop",
                    NO_SHOP_M / 1000.0
                )
            },
        )
    } else {
        (
            nearest_by_road(car, &shops, &homes),
            if settings.lang == crate::model::Lang::Fr {
                format!(
                    "{} commerces dans l'extrait ; chaque logement va en voiture au plus proche par la route",
                    shops.len()
                )
            } else {
                format!(
                    "{} shops in the extract; each household drives to the nearest by road",
                    shops.len()
                )
            },
        )
    };
    let fd: Vec<(i64, f64)> = g
        .households
        .iter()
        .zip(&shop_m)
        .map(|(h, &d)| (h.foyers, d))
        .collect();
    let (car_km, car_trips) = shop_trips(&fd, settings.mobility.shop_trips_per_foyer_per_week);
    let baseline = Figures::new(
        "today",
        settings.fleet.van_type,
        Travel {
            car_km,
            car_trips,
            ..van
        },
        &settings.factors,
    );
    Ok((baseline, shop_note, shop_m))
}

/// The `n` households nearest the centre of `households` (the one nearest their mean), in
/// their order; ties go to the lower index, so the sample is the same on every run.
fn central_sample(households: &[Household], n: usize) -> Vec<Household> {
    let proj = Projection::around(households.iter().map(|h| h.place.at()));
    let xy: Vec<[f64; 2]> = households
        .iter()
        .map(|h| proj.to_xy(h.place.at()))
        .collect();
    let k = xy.len().max(1) as f64;
    let mean = xy
        .iter()
        .fold([0.0, 0.0], |a, p| [a[0] + p[0] / k, a[1] + p[1] / k]);
    let d2 = |p: &[f64; 2], q: [f64; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
    let by = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    let Some(centre) = xy
        .iter()
        .enumerate()
        .map(|(i, p)| (d2(p, mean), i))
        .min_by(by)
        .map(|x| xy[x.1])
    else {
        return Vec::new();
    };
    let mut order: Vec<(f64, usize)> = xy
        .iter()
        .enumerate()
        .map(|(i, p)| (d2(p, centre), i))
        .collect();
    let n = n.min(order.len());
    if n < order.len() {
        order.select_nth_unstable_by(n, by);
        order.truncate(n);
    }
    let mut keep: Vec<usize> = order.into_iter().map(|x| x.1).collect();
    keep.sort_unstable();
    keep.into_iter().map(|i| households[i].clone()).collect()
}

/// A figure of the territory at another site size, from the sample: the plan's figure `main`
/// times the sample's ratio between that size (`other`) and the plan's size (`base`); a figure
/// that is zero on the sample at the plan's size scales by `per_household` instead.
fn scaled(main: &Travel, base: &Travel, other: &Travel, per_household: f64) -> Travel {
    let f = |m: f64, b: f64, o: f64| {
        if b > 0.0 {
            m * o / b
        } else {
            o * per_household
        }
    };
    let u = |m: usize, b: usize, o: usize| f(m as f64, b as f64, o as f64).round() as usize;
    Travel {
        vans: u(main.vans, base.vans, other.vans),
        van_km: f(main.van_km, base.van_km, other.van_km),
        driver_hours: f(main.driver_hours, base.driver_hours, other.driver_hours),
        paid_hours: f(main.paid_hours, base.paid_hours, other.paid_hours),
        van_stops: u(main.van_stops, base.van_stops, other.van_stops),
        car_km: f(main.car_km, base.car_km, other.car_km),
        car_trips: f(main.car_trips, base.car_trips, other.car_trips),
        unserved: u(main.unserved, base.unserved, other.unserved),
        walk_m: f(main.walk_m, base.walk_m, other.walk_m),
    }
}

/// A sensitivity run: the site size, its figures, its number of sites and its rounds' warning.
struct Sensitivity {
    size: i64,
    figures: Figures,
    sites: usize,
    warning: Option<String>,
}

/// Conciergeries of `z` foyers: a quicker grouping (a third of the kicks, no bound), the
/// model's demand (a demand file names this plan's sites) and the rounds. Returns the size with
/// its figures, the number of sites and the warning of its rounds.
fn sensitivity(
    t: &Territory,
    among: Option<&[Household]>,
    settings: &Settings,
    depots: &[Spot],
    z: i64,
) -> Result<Sensitivity, PlanError> {
    // A what-if size gets a tenth of the plan's kicks (and one pass over its zones' borders).
    // Measured on Liechtenstein against a third of the kicks and three passes: the what-ifs in
    // about half the time (the whole plan 30 s -> 25 s), their EUR a day within 1.1 % (the
    // rounds' own search moves them as much from one siting to the next), the car km of the
    // households beyond walking distance up to 11 % higher.
    let opts = SitingOptions::for_plan(settings, z, settings.sites.kicks / 10, false);
    let gz = site_among(t, among.unwrap_or(&t.households), &opts, &Quiet)?;
    let stops = Stops::new(depots, &gz, &t.extract, t.car());
    let dz = Demand::of_day(&stops, settings, &DemandInput::Model)?;
    let rz = Rounds::solve(&stops, &dz, settings, t.car())?;
    let tr = network_travel(settings, &gz, &rz);
    let figures = Figures::new(
        &format!("{z} foyers per site"),
        settings.fleet.van_type,
        tr,
        &settings.factors,
    );
    Ok(Sensitivity {
        size: z,
        figures,
        sites: gz.pb.p,
        warning: rz.warning(),
    })
}

/// The households receiving today's parcels, as stops: from the demand model, each household
/// receives what its own draw gives ([`crate::plan::demand::household_parcels`]), the same
/// parcels the conciergeries carry, whatever the sites; from a demand file, each site's
/// parcels go to as many of its foyers, the first in an order drawn per foyer from its
/// household's id (so that a site's households draw the same whatever the grouping).
fn parcel_homes(g: &Grouping, demand: &Demand, settings: &Settings) -> Vec<Spot> {
    use crate::plan::demand::{household_key, household_parcels};
    let seed = settings.seed;
    let keys: Vec<u64> = g
        .households
        .iter()
        .map(|h| household_key(&h.place.id))
        .collect();
    let got: Vec<bool> = if demand.from_model {
        g.households
            .iter()
            .zip(&keys)
            .map(|(h, &k)| {
                household_parcels(k, h.foyers, settings.demand.parcels_per_foyer, seed) > 0
            })
            .collect()
    } else {
        // Foyer slots per site: (household's draw, household), one per foyer.
        let mut slots: Vec<Vec<(u64, usize)>> = vec![Vec::new(); g.result.sites.open.len()];
        for (i, k) in g.site_of().into_iter().enumerate() {
            if let Some(k) = k {
                for f in 0..g.households[i].foyers.max(0) as u64 {
                    let draw = (keys[i] ^ seed.rotate_left(17) ^ f.wrapping_mul(0x9e37_79b9))
                        .wrapping_mul(0xff51_afd7_ed55_8ccd);
                    slots[k].push((draw, i));
                }
            }
        }
        let mut got = vec![false; g.households.len()];
        for (k, d) in demand.per_site.iter().enumerate() {
            let s = &mut slots[k];
            s.sort_unstable();
            for &(_, i) in s.iter().take(d.parcels as usize) {
                got[i] = true;
            }
        }
        got
    };
    g.households
        .iter()
        .zip(got)
        .filter(|x| x.1)
        .map(|(h, _)| Spot {
            name: h.place.id.clone(),
            address: None,
            lon: h.place.lon,
            lat: h.place.lat,
        })
        .collect()
}

/// Travel with conciergeries: the day's van rounds, and households' trips to their site.
/// The conciergeries' travel with another day's `rounds` (a day of the week): those rounds'
/// vans (each driver paid `paid_day_hours` at least), `main`'s households' trips.
pub fn with_rounds(main: &Travel, rounds: &Rounds, paid_day_hours: f64) -> Travel {
    Travel {
        car_km: main.car_km,
        car_trips: main.car_trips,
        walk_m: main.walk_m,
        ..travel_of(
            rounds.regions.iter().map(|r| &r.report),
            rounds.unserved(),
            paid_day_hours,
        )
    }
}

fn network_travel(settings: &Settings, g: &Grouping, rounds: &Rounds) -> Travel {
    let mob = &settings.mobility;
    let fd = g.foyer_distances();
    let walk_m = fd.iter().map(|x| x.0 as f64 * x.1).sum::<f64>()
        / fd.iter().map(|x| x.0).sum::<i64>().max(1) as f64;
    let (car_km, car_trips) = site_trips(
        &fd,
        mob.site_visits_per_foyer_per_week,
        mob.walk_limit_m,
        mob.car_share_beyond_walk_limit,
    );
    Travel {
        car_km,
        car_trips,
        walk_m,
        ..travel_of(
            rounds.regions.iter().map(|r| &r.report),
            rounds.unserved(),
            settings.fleet.paid_day_hours(),
        )
    }
}

/// Road distance (metres) from each home to the nearest of `shops`: one search from all the
/// shops at once (the van graph reversed is not needed: streets in villages are two-way, and a
/// one-way makes a detour of a few hundred metres at most).
fn nearest_by_road(car: &Network, shops: &[(f64, f64)], homes: &[(f64, f64)]) -> Vec<f64> {
    let g = car.graph();
    let seeds: Vec<(graph::NodeIdx, Weight)> = car
        .snap_all(shops)
        .iter()
        .filter_map(|s| s.as_ref().ok())
        .flat_map(|s| s.source_seeds(g))
        .collect();
    let dist = dijkstra::one_to_all(g, &seeds);
    car.snap_all(homes)
        .iter()
        .map(|s| match s {
            Ok(s) => {
                let w = dijkstra::to_seeds(&dist, &s.target_seeds(g));
                if w == Weight::INFINITY {
                    NO_SHOP_M
                } else {
                    w.length().get() as f64 / 100.0 + s.distance_m
                }
            }
            Err(_) => NO_SHOP_M,
        })
        .collect()
}
