//! Lockers: conciergeries without staff, whose goods wait in boxes until the households
//! collect them (settings `[lockers]`, sites file `boxes_s`, `boxes_m`, `boxes_l`).
//!
//! What a passage brings is cut into items: each parcel (its size drawn with the seed:
//! `lockers.parcels_large_share` need a large box, `parcels_medium_share` a medium one, the
//! rest a small one), pooled purchases and fresh products in medium-box bags, bread in
//! small-box bags. An item goes in the smallest free box of its size or larger (for boxes
//! nested by size, this fits as many items as any assignment can) and keeps it
//! `lockers.collect_days` days. On a passage, bread and fresh products straight from a farm
//! are put in first, then what waited since the last passage, then the rest, large items
//! first. What finds no box:
//! - waits at the depot for the site's next passage, once;
//! - after waiting once, goes to the nearest staffed site within `lockers.divert_km` by road,
//!   at that site's next passage;
//! - bread (it does not keep), fresh products brought straight from a farm, and what has no
//!   staffed site within reach are listed unserved with the reason, never dropped.
//!
//! The week repeats: the simulation runs round the week until the lockers' state at the end
//! of a week is the one it started from (at most [`CYCLES`] weeks), and reports that week.

use super::patterns::{self, Pattern};
use crate::plan::demand::SiteDemand;
use crate::plan::settings::Lockers;
use rand::RngExt;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// Box sizes, small to large.
pub const SIZES: [&str; 3] = ["S", "M", "L"];
/// Most weeks simulated before the state repeats.
pub const CYCLES: usize = 8;

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Bread of the day.
    Bread,
    /// Fresh products straight from a farm (direct), from this producer.
    FreshDirect(usize),
    /// A parcel.
    Parcel,
    /// Pooled purchases.
    Purchases,
    /// Fresh products through the depot.
    Fresh,
}

/// One thing that takes one box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// The smallest box it fits (0 small, 1 medium, 2 large).
    pub size: usize,
    /// Its litres.
    pub litres: i64,
}

/// `litres` cut into bags of at most `bag` litres each, of `kind` and `size`.
fn bags(kind: Kind, size: usize, litres: i64, bag: f64, out: &mut Vec<Item>) {
    if litres <= 0 {
        return;
    }
    let n = ((litres as f64 / bag).ceil() as i64).max(1);
    for k in 0..n {
        out.push(Item {
            kind,
            size,
            litres: litres / n + i64::from(k < litres % n),
        });
    }
}

/// The items of a passage's delivery `d`; the parcels' sizes drawn with `seed`.
pub fn items(d: &SiteDemand, cfg: &Lockers, seed: u64) -> Vec<Item> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut out = Vec::new();
    let n = i64::from(d.parcels);
    for k in 0..n {
        let u: f64 = rng.random();
        let size = if u < cfg.parcels_large_share {
            2
        } else if u < cfg.parcels_large_share + cfg.parcels_medium_share {
            1
        } else {
            0
        };
        out.push(Item {
            kind: Kind::Parcel,
            size,
            litres: d.parcel_litres / n + i64::from(k < d.parcel_litres % n),
        });
    }
    bags(
        Kind::Purchases,
        1,
        d.purchases_litres,
        cfg.medium_litres,
        &mut out,
    );
    bags(
        Kind::Fresh,
        1,
        d.fresh_via_depot.unwrap_or(0),
        cfg.medium_litres,
        &mut out,
    );
    if d.fresh_via_depot.is_none() {
        for &(p, l) in &d.fresh {
            bags(Kind::FreshDirect(p), 1, l, cfg.medium_litres, &mut out);
        }
    }
    bags(Kind::Bread, 0, d.bread_litres, cfg.small_litres, &mut out);
    out
}

/// A delivery made of `items` (the inverse of [`items`]: litres and parcels added up by kind);
/// `via_depot` says how fresh products come.
pub fn delivery(items: &[Item], via_depot: bool) -> SiteDemand {
    let mut d = SiteDemand {
        fresh_via_depot: via_depot.then_some(0),
        ..SiteDemand::default()
    };
    for it in items {
        add(&mut d, it);
    }
    d
}

/// Adds `it` to the delivery `d`.
pub fn add(d: &mut SiteDemand, it: &Item) {
    match it.kind {
        Kind::Parcel => {
            d.parcels += 1;
            d.parcel_litres += it.litres;
        }
        Kind::Purchases => d.purchases_litres += it.litres,
        Kind::Fresh => *d.fresh_via_depot.get_or_insert(0) += it.litres,
        Kind::FreshDirect(p) => match d.fresh.iter_mut().find(|f| f.0 == p) {
            Some(f) => f.1 += it.litres,
            None => d.fresh.push((p, it.litres)),
        },
        Kind::Bread => d.bread_litres += it.litres,
    }
}

/// What became of one item that found no box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It waits at the depot for the next passage.
    Waits,
    /// It goes to a staffed site.
    Diverted,
    /// It cannot be delivered.
    Unserved,
}

/// One locker's week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LockerWeek {
    /// The site.
    pub site: usize,
    /// Its boxes by size.
    pub boxes: [u32; 3],
    /// Per day, the items put in the boxes that day, by the item's size.
    pub placed: Vec<[u32; 3]>,
    /// The same for the week before (what it left in the boxes is still there early in this
    /// one); equal to `placed` when the week repeats.
    pub placed_before: Vec<[u32; 3]>,
    /// Per day, the boxes taken at the end of the day's passage, by the box's size.
    pub taken: Vec<[u32; 3]>,
    /// Per day, the items that found no box and wait for the next passage.
    pub waiting: Vec<u32>,
    /// Per day, the items sent to a staffed site.
    pub diverted: Vec<u32>,
    /// Per day, the items that could not be delivered.
    pub unserved: Vec<u32>,
    /// Whether the week repeats (the state after the week is the one before it); otherwise
    /// the last of [`CYCLES`] weeks is reported.
    pub steady: bool,
}

/// The week of one locker: its passages `pattern` over `horizon` days, its deliveries
/// `items[day]` (empty on other days), `boxes` by size, boxes kept `collect_days`, and whether
/// a staffed site can take what does not fit. Returns the locker's week and, per day, the
/// items put in it and the items that found no box with their fate (in the reported week).
pub type Outcome = (LockerWeek, Vec<Vec<Item>>, Vec<Vec<(Item, Fate)>>);

/// A locker's state between two weeks: the boxes taken (size, day freed counted from the
/// week's end) and what waits.
type State = (Vec<(usize, usize)>, Vec<Item>);

/// Simulates a locker's weeks until they repeat (see the module documentation).
pub fn simulate(
    site: usize,
    pattern: Pattern,
    horizon: usize,
    items: &[Vec<Item>],
    boxes: [u32; 3],
    collect_days: usize,
    can_divert: bool,
) -> Outcome {
    let on: Vec<usize> = patterns::days(pattern).filter(|&d| d < horizon).collect();
    // State: boxes taken (size, day freed, absolute), items waiting.
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut waiting: Vec<Item> = Vec::new();
    let mut last: Option<State> = None;
    let mut week = LockerWeek::default();
    let mut put = Vec::new();
    let mut left = Vec::new();
    for cycle in 0..CYCLES {
        let base = cycle * horizon;
        let before = std::mem::take(&mut week.placed);
        week = LockerWeek {
            site,
            boxes,
            placed_before: if before.is_empty() {
                vec![[0; 3]; horizon]
            } else {
                before
            },
            placed: vec![[0; 3]; horizon],
            taken: vec![[0; 3]; horizon],
            waiting: vec![0; horizon],
            diverted: vec![0; horizon],
            unserved: vec![0; horizon],
            steady: false,
        };
        put = vec![Vec::new(); horizon];
        left = vec![Vec::new(); horizon];
        for day in 0..horizon {
            let now = base + day;
            taken.retain(|&(_, free)| free > now);
            if on.contains(&day) {
                let mut free = boxes;
                for &(size, _) in &taken {
                    free[size] -= 1;
                }
                // Priority: bread and direct fresh, then what waited, then the rest; large first.
                let mut queue: Vec<(u8, Item)> = waiting
                    .drain(..)
                    .map(|it| (1, it))
                    .chain(items[day].iter().map(|&it| {
                        let first = matches!(it.kind, Kind::Bread | Kind::FreshDirect(_));
                        (if first { 0 } else { 2 }, it)
                    }))
                    .collect();
                queue.sort_by_key(|&(rank, it)| (rank, std::cmp::Reverse(it.size)));
                for (rank, it) in queue {
                    match (it.size..3).find(|&b| free[b] > 0) {
                        Some(b) => {
                            free[b] -= 1;
                            taken.push((b, now + collect_days));
                            week.placed[day][it.size] += 1;
                            put[day].push(it);
                        }
                        None => {
                            let fate = match (rank, it.kind) {
                                (0, _) => Fate::Unserved,
                                (1, _) if can_divert => Fate::Diverted,
                                (1, _) => Fate::Unserved,
                                _ => Fate::Waits,
                            };
                            match fate {
                                Fate::Waits => {
                                    week.waiting[day] += 1;
                                    waiting.push(it);
                                }
                                Fate::Diverted => week.diverted[day] += 1,
                                Fate::Unserved => week.unserved[day] += 1,
                            }
                            left[day].push((it, fate));
                        }
                    }
                }
            }
            for &(size, _) in &taken {
                week.taken[day][size] += 1;
            }
        }
        // The state relative to the week's end.
        let end = base + horizon;
        let mut state: Vec<(usize, usize)> = taken.iter().map(|&(s, f)| (s, f - end)).collect();
        state.sort_unstable();
        let mut w = waiting.clone();
        w.sort_by_key(|it| (it.kind, it.size, it.litres));
        let now = (state, w);
        if last.as_ref() == Some(&now) {
            week.steady = true;
            break;
        }
        last = Some(now);
    }
    (week, put, left)
}

/// For the checker: whether items of sizes `present` (count per size) fit `boxes`, one item
/// per box of its size or larger (Hall's condition for nested sizes: for each size, the items
/// of that size or larger are no more than the boxes of that size or larger).
pub fn fits(present: [u32; 3], boxes: [u32; 3]) -> bool {
    (0..3).all(|s| present[s..].iter().sum::<u32>() <= boxes[s..].iter().sum::<u32>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parcel(size: usize) -> Item {
        Item {
            kind: Kind::Parcel,
            size,
            litres: 10,
        }
    }

    #[test]
    fn a_full_locker_keeps_what_waits_for_the_next_passage_then_diverts_it() {
        // Monday and Thursday of 6 days; 2 small boxes kept 2 days; 3 parcels each passage.
        let items = vec![
            vec![parcel(0); 3],
            vec![],
            vec![],
            vec![parcel(0); 3],
            vec![],
            vec![],
        ];
        let (w, put, left) = simulate(0, 0b001001, 6, &items, [2, 0, 0], 2, true);
        assert!(w.steady);
        // Overloaded: each passage puts in two of what waited since the last one, the third
        // goes to a staffed site, and the three new ones wait.
        assert_eq!(put[0].len(), 2);
        assert_eq!((w.waiting[0], w.diverted[0]), (3, 1), "{w:?}");
        assert_eq!(w.taken[0], [2, 0, 0]);
        assert_eq!(w.taken[1], [2, 0, 0]);
        assert_eq!(w.taken[2], [0, 0, 0], "collected within 2 days");
        assert!(left[3].iter().any(|x| x.1 == Fate::Diverted));
        for d in 0..6 {
            assert!(fits(w.placed[d], w.boxes));
        }
    }

    #[test]
    fn a_parcel_takes_a_larger_box_when_its_own_size_is_full() {
        let items = vec![vec![parcel(0), parcel(0), parcel(1)]];
        let (w, _, left) = simulate(0, 1, 1, &items, [1, 1, 1], 1, false);
        assert_eq!(w.taken[0], [1, 1, 1]);
        assert!(left[0].is_empty());
        let items = vec![vec![parcel(2), parcel(2)]];
        let (w, _, left) = simulate(0, 1, 1, &items, [5, 5, 1], 1, false);
        assert_eq!(w.taken[0], [0, 0, 1]);
        // Every day: the one that waited takes the large box and the two new ones wait; with
        // no staffed site within reach, what waited once and still finds no box is unserved.
        assert_eq!((w.waiting[0], w.unserved[0]), (2, 1), "{left:?}");
        assert!(!fits([0, 0, 2], [5, 5, 1]));
        assert!(fits([1, 1, 1], [0, 0, 3]));
    }

    #[test]
    fn items_add_back_to_the_delivery() {
        let d = SiteDemand {
            parcels: 3,
            parcel_litres: 37,
            purchases_litres: 80,
            fresh: vec![(4, 10)],
            bread_litres: 25,
            fresh_via_depot: Some(50),
        };
        let it = items(&d, &Lockers::default(), 1);
        let back = delivery(&it, true);
        assert_eq!(
            (back.parcels, back.parcel_litres, back.purchases_litres),
            (3, 37, 80)
        );
        assert_eq!((back.bread_litres, back.fresh_via_depot), (25, Some(50)));
        assert!(it.iter().all(|i| i.litres > 0));
    }
}
