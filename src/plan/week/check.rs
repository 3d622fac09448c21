//! An independent checker of a planned week: what the routing checker cannot see from one
//! day's routes. It recomputes from the week's output and the inputs, not from the planner's
//! intermediate results:
//!
//! - each site's days: as many as its passages, served on exactly those days, visited by a van
//!   on no other day; given days kept; otherwise spread (no two passages closer than
//!   `floor(days / passages)`, counted round the week);
//! - producers: a van stops at a farm only on the farm's supply days (weekday of the date
//!   against the producers file), and every fresh order of the week is picked up once or
//!   listed unserved (litres per site and producer);
//! - lockers: on every day, the goods present (put in within the last `collect_days` days)
//!   fit the boxes, one item per box of its size or larger; no locker receives more parcels
//!   than it put in boxes;
//! - conservation: over the week, the parcels and the purchases' litres ordered are delivered
//!   once (to their site or, from a full locker, to a staffed site) or listed unserved.
//!
//! Each day's routes themselves (capacity per trip, reloads, windows, shifts) are checked by
//! [`crate::routing::check`] when [`crate::plan::Rounds::solve`] makes them.

use super::lockers;
use super::producers::ProducersFile;
use super::Week;
use crate::plan::settings::Settings;
use std::collections::HashMap;

/// Every problem found in `w`, planned with `settings` and `producers`; empty when the week
/// holds.
pub fn check(w: &Week, settings: &Settings, producers: Option<&ProducersFile>) -> Vec<String> {
    let mut bad = Vec::new();
    let stops = &w.plan.stops;
    let n = stops.sites();
    let h = w.days.len();
    let name = |s: usize| stops.site(s).name.clone();
    let rows = w
        .plan
        .sites_file
        .as_ref()
        .map(crate::plan::sites_file::SitesFile::by_id)
        .unwrap_or_default();
    // Days of each site.
    for s in 0..n {
        let p = w.patterns[s];
        let on: Vec<usize> = (0..h).filter(|&d| p & (1 << d) != 0).collect();
        if p >> h != 0 {
            bad.push(format!("{}: a day beyond the {h} planned", name(s)));
        }
        if on.len() != w.passages[s] as usize {
            bad.push(format!(
                "{}: {} passages for {} asked",
                name(s),
                on.len(),
                w.passages[s]
            ));
        }
        for (d, day) in w.days.iter().enumerate() {
            if day.served.contains(&s) != on.contains(&d) {
                bad.push(format!("{}: served on day {d} against its days", name(s)));
            }
        }
        match rows
            .get(stops.site_keys[s].0.as_str())
            .and_then(|r| r.days.as_ref())
        {
            Some(given) => {
                for &d in &on {
                    if !given.contains(&w.days[d].date.weekday()) {
                        bad.push(format!("{}: served on a day it was not given", name(s)));
                    }
                }
            }
            None if on.len() > 1 => {
                let least = h / on.len();
                for i in 0..on.len() {
                    let gap = if i + 1 < on.len() {
                        on[i + 1] - on[i]
                    } else {
                        h - on[i] + on[0]
                    };
                    if gap < least {
                        bad.push(format!(
                            "{}: two passages {gap} day(s) apart, less than {least}",
                            name(s)
                        ));
                    }
                }
            }
            None => {}
        }
    }
    // What the vans do each day.
    let supplies = |p: usize, d: usize| -> bool {
        let wd = w.days[d].date.weekday();
        producers
            .and_then(|f| f.supply.get(p).cloned().flatten())
            .is_none_or(|s| s.weekdays.contains(&wd))
    };
    for (d, day) in w.days.iter().enumerate() {
        for (region, route) in day.rounds.routes() {
            for step in &route.steps {
                let (Some(visit), Some(loc)) = (&step.visit, step.location) else {
                    continue;
                };
                let spot = region.locs[loc.ix()];
                if spot < stops.depots {
                    continue;
                }
                // At a place of several sites, the site is the one whose order is handed over.
                let k = if spot - stops.depots < n {
                    region.orders[visit.job.ix()].site
                } else {
                    spot - stops.depots
                };
                if k < n {
                    if !day.served.contains(&k) {
                        bad.push(format!(
                            "day {d}: a van stops at {} on one of its off days",
                            name(k)
                        ));
                    }
                } else if !supplies(k - n, d) {
                    bad.push(format!(
                        "day {d}: a van picks up at {} on a day it does not supply",
                        stops.producer(k - n).name
                    ));
                }
            }
        }
        for (s, o) in day.demand.per_site.iter().enumerate() {
            for &(p, _) in &o.fresh {
                if !supplies(p, d) {
                    bad.push(format!(
                        "day {d}: fresh products of {} from {} planned on a day it does not supply",
                        name(s),
                        stops.producer(p).name
                    ));
                }
            }
        }
    }
    // Fresh products: every order picked up once, or unserved.
    let mut ordered: HashMap<(usize, usize), i64> = HashMap::new();
    let mut picked: HashMap<(usize, usize), i64> = HashMap::new();
    for (orders, day) in w.orders.iter().zip(&w.days) {
        for s in 0..n {
            for &(p, l) in &orders.per_site[s].fresh {
                *ordered.entry((s, p)).or_default() += l;
            }
            for &(p, l) in &day.demand.per_site[s].fresh {
                *picked.entry((s, p)).or_default() += l;
            }
        }
    }
    for u in &w.unserved {
        for &(p, l) in &u.what.fresh {
            *picked.entry((u.site, p)).or_default() += l;
        }
    }
    for (&(s, p), &l) in &ordered {
        let got = picked.get(&(s, p)).copied().unwrap_or(0);
        if got != l {
            bad.push(format!(
                "{}: {l} L of fresh products ordered from {} in the week, {got} L picked up or listed unserved",
                name(s),
                stops.producer(p).name
            ));
        }
    }
    // Lockers.
    let collect = settings.lockers.collect_days as usize;
    for lk in &w.lockers {
        for d in 0..h {
            // Put in within the last `collect` days: this week's, then the week before's.
            let mut present = [0u32; 3];
            for back in 0..collect {
                let day = d as i64 - back as i64;
                let from = if day >= 0 {
                    &lk.placed[day as usize]
                } else {
                    &lk.placed_before[day.rem_euclid(h as i64) as usize]
                };
                for (x, &y) in present.iter_mut().zip(from) {
                    *x += y;
                }
            }
            if !lockers::fits(present, lk.boxes) {
                bad.push(format!(
                    "{} (locker): day {d}, {present:?} items by size do not fit its boxes {:?}",
                    name(lk.site),
                    lk.boxes
                ));
            }
            if present.iter().sum::<u32>() != lk.taken[d].iter().sum::<u32>() {
                bad.push(format!(
                    "{} (locker): day {d}, {} boxes reported taken for {} items present",
                    name(lk.site),
                    lk.taken[d].iter().sum::<u32>(),
                    present.iter().sum::<u32>()
                ));
            }
            let parcels = w.days[d].demand.per_site[lk.site].parcels;
            if parcels > lk.placed[d].iter().sum::<u32>() {
                bad.push(format!(
                    "{} (locker): day {d}, {parcels} parcels delivered, more than it put in boxes",
                    name(lk.site)
                ));
            }
        }
    }
    // Conservation of parcels and purchases over the week.
    if w.lockers.iter().all(|l| l.steady) {
        let total = |f: &dyn Fn(&crate::plan::demand::SiteDemand) -> i64,
                     days: &mut dyn Iterator<Item = &crate::plan::Demand>| {
            days.flat_map(|d| d.per_site.iter()).map(f).sum::<i64>()
        };
        let lost_parcels: i64 = w.unserved.iter().map(|u| i64::from(u.what.parcels)).sum();
        let parcels = |x: &crate::plan::demand::SiteDemand| i64::from(x.parcels);
        let ordered = total(&parcels, &mut w.orders.iter());
        let delivered = total(&parcels, &mut w.days.iter().map(|d| &d.demand));
        if ordered != delivered + lost_parcels {
            bad.push(format!(
                "{ordered} parcels ordered in the week, {delivered} delivered and {lost_parcels} listed unserved"
            ));
        }
        let lost_purchases: i64 = w.unserved.iter().map(|u| u.what.purchases_litres).sum();
        let purchases = |x: &crate::plan::demand::SiteDemand| x.purchases_litres;
        let ordered = total(&purchases, &mut w.orders.iter());
        let delivered = total(&purchases, &mut w.days.iter().map(|d| &d.demand));
        if ordered != delivered + lost_purchases {
            bad.push(format!(
                "{ordered} L of purchases ordered in the week, {delivered} L delivered and {lost_purchases} L listed unserved"
            ));
        }
    }
    bad
}
