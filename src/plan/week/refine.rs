//! The days of the sites improved on the real rounds: once every day is solved, a site moves to
//! another of its allowed patterns when the vans pass near it on the new days (the cheapest
//! insertion between two consecutive stops of that day's routes, by road) and its removal
//! from its present days saves more (by road too). The moves are estimates on the solved
//! routes: the caller solves the days again and keeps the result only if it costs less.
//!
//! Moves are taken best first; a site next to a site that moved (on a route of a day either
//! touches) waits for a next round, since the estimate assumed its neighbours stayed; a move
//! that would make a day carry more litres than the heaviest day of the week is not taken
//! (the fleet is sized by the heaviest day). O(sites x patterns x days x route stops of a
//! region).

use super::patterns::{self, Pattern};
use super::WeekDay;
use crate::model::LocIdx;
use crate::plan::rounds::Region;
use crate::plan::Stops;

/// Where a site stands on one day: its region, the stops before and after its first visit
/// (by location), or `None` when no route visits it.
struct Visit {
    region: usize,
    loc: usize,
    around: Option<(usize, usize)>,
}

/// The removal gain and cheapest insertion of each site on one day, metres.
struct Day {
    /// Per site: (metres saved by removing its visit, or 0; metres of its cheapest insertion).
    per_site: Vec<(i64, i64)>,
    /// Per site: the sites next to it on that day's routes.
    neighbours: Vec<Vec<usize>>,
}

fn day_costs(day: &WeekDay, stops: &Stops) -> Day {
    let n = stops.sites();
    let mut visit: Vec<Option<Visit>> = (0..n).map(|_| None).collect();
    let regions: &[Region] = &day.rounds.regions;
    let mut neighbours = vec![Vec::new(); n];
    // Each route as its sequence of locations, consecutive repeats merged.
    let mut sequences: Vec<(usize, Vec<usize>)> = Vec::new();
    for (ri, r) in regions.iter().enumerate() {
        for &(site, loc) in &r.site_locs {
            visit[site] = Some(Visit {
                region: ri,
                loc,
                around: None,
            });
        }
        for route in &r.report.routes {
            let mut seq: Vec<usize> = Vec::new();
            for st in &route.steps {
                if let Some(l) = st.location {
                    if seq.last() != Some(&l.ix()) {
                        seq.push(l.ix());
                    }
                }
            }
            sequences.push((ri, seq));
        }
    }
    let dist = |ri: usize, a: usize, b: usize| -> i64 {
        let d = regions[ri]
            .problem
            .distances
            .get(LocIdx::from(a), LocIdx::from(b));
        if d == crate::model::Dist::MAX {
            i64::MAX / 4
        } else {
            d.0
        }
    };
    // The sites at a location of a region (several at a large building's place).
    let sites_at = |ri: usize, loc: usize| {
        regions[ri]
            .site_locs
            .iter()
            .filter(move |x| x.1 == loc)
            .map(|x| x.0)
    };
    for (ri, seq) in &sequences {
        for i in 1..seq.len().saturating_sub(1) {
            for s in sites_at(*ri, seq[i]) {
                if let Some(v) = visit[s].as_mut().filter(|v| v.region == *ri) {
                    if v.around.is_none() {
                        v.around = Some((seq[i - 1], seq[i + 1]));
                    }
                }
                for j in [seq[i - 1], seq[i + 1]] {
                    neighbours[s].extend(sites_at(*ri, j));
                }
            }
        }
    }
    let per_site = (0..n)
        .map(|s| {
            let Some(v) = &visit[s] else {
                return (0, i64::MAX / 4);
            };
            let removal = v.around.map_or(0, |(a, b)| {
                dist(v.region, a, v.loc) + dist(v.region, v.loc, b) - dist(v.region, a, b)
            });
            let mut insertion = i64::MAX / 4;
            for (ri, seq) in sequences.iter().filter(|x| x.0 == v.region) {
                for w in seq.windows(2) {
                    let c = dist(*ri, w[0], v.loc) + dist(*ri, v.loc, w[1]) - dist(*ri, w[0], w[1]);
                    insertion = insertion.min(c);
                }
            }
            if insertion == i64::MAX / 4 {
                // No route in its region that day: a trip from the region's first depot.
                insertion = dist(v.region, 0, v.loc) + dist(v.region, v.loc, 0);
            }
            (removal, insertion)
        })
        .collect();
    Day {
        per_site,
        neighbours,
    }
}

/// New picks (indices into each site's allowed patterns) from `pick`, the days solved with it
/// (`days`); `sites` as [`patterns::choose`] took them. Returns the picks and the number of
/// sites moved.
pub fn improve(
    days: &[WeekDay],
    stops: &Stops,
    sites: &[patterns::Site],
    pick: &[usize],
) -> (Vec<usize>, usize) {
    let h = days.len();
    let costs: Vec<Day> = days.iter().map(|d| day_costs(d, stops)).collect();
    let n = sites.len();
    let mut litres = vec![0.0; h];
    for (s, site) in sites.iter().enumerate() {
        for d in patterns::days(site.allowed[pick[s]]).filter(|&d| d < h) {
            litres[d] += site.litres[pick[s]][d];
        }
    }
    let heaviest = litres.iter().copied().fold(0.0, f64::max);
    // Each site's best other pattern and what it saves.
    let mut moves: Vec<(i64, usize, usize)> = Vec::new();
    for (s, site) in sites.iter().enumerate() {
        let cur: Pattern = site.allowed[pick[s]];
        let on = |p: Pattern, d: usize| p & (1 << d) != 0;
        let now: i64 = (0..h)
            .filter(|&d| on(cur, d))
            .map(|d| costs[d].per_site[s].0)
            .sum();
        let best = site
            .allowed
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != pick[s])
            .map(|(k, &p)| {
                let then: i64 = (0..h)
                    .filter(|&d| on(p, d))
                    .map(|d| {
                        if on(cur, d) {
                            costs[d].per_site[s].0
                        } else {
                            costs[d].per_site[s].1
                        }
                    })
                    .sum();
                (then - now, k)
            })
            .min();
        if let Some((delta, k)) = best {
            if delta < 0 {
                moves.push((delta, s, k));
            }
        }
    }
    moves.sort_unstable();
    let mut out = pick.to_vec();
    let mut touched = vec![false; n];
    let mut moved = 0;
    for (_, s, k) in moves {
        if touched[s] {
            continue;
        }
        let site = &sites[s];
        let (old, new) = (site.allowed[pick[s]], site.allowed[k]);
        let mut l = litres.clone();
        for d in patterns::days(old).filter(|&d| d < h) {
            l[d] -= site.litres[pick[s]][d];
        }
        for d in patterns::days(new).filter(|&d| d < h) {
            l[d] += site.litres[k][d];
        }
        if l.iter().any(|&x| x > heaviest + 1e-6) {
            continue;
        }
        litres = l;
        out[s] = k;
        moved += 1;
        touched[s] = true;
        for (d, day) in costs.iter().enumerate() {
            if (old | new) & (1 << d) != 0 {
                for &o in &day.neighbours[s] {
                    touched[o] = true;
                }
            }
        }
    }
    (out, moved)
}
