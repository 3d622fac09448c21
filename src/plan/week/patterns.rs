//! The days of a week a site may be served on, and the choice of one set of days per site.
//!
//! A site served `k` times over a horizon of `d` days may use the patterns whose gaps between
//! passages (counted round the horizon, the last passage to the next week's first) are all
//! `floor(d / k)` or `ceil(d / k)` days: the passages are as evenly spread as the horizon
//! allows, so that what accumulates between two passages is about the same each time (6 days
//! and 3 passages: Monday-Wednesday-Friday or Tuesday-Thursday-Saturday; 5 days and 2
//! passages: five patterns such as Monday-Wednesday or Tuesday-Friday). A site whose days are
//! given has that one pattern.
//!
//! [`choose`] picks a pattern per site so that neighbours are served on the same days (one van
//! sweeps an area on a day instead of every van crossing the territory every day) while the
//! days stay balanced (litres and stops per day): a local search on a proxy, since the real
//! rounds are too dear to solve for every change. The proxy: an attraction between sites
//! `exp(-distance / r)` for each day they share (their 12 nearest, `r` twice the median distance
//! to the nearest), and the squared relative excess of each day's litres and stops over the
//! mean. Complexity O(passes x sites x patterns x (12 + days)).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// A set of days, as a bit set over the horizon (bit `i`: day `i`).
pub type Pattern = u8;

/// The days of `p`, in order.
pub fn days(p: Pattern) -> impl Iterator<Item = usize> {
    (0..8).filter(move |&i| p & (1 << i) != 0)
}

/// The evenly spread patterns of `k` passages over `d` days (1 <= k <= d <= 7), in ascending
/// order of their bit sets (the first starts on day 0).
pub fn even(k: usize, d: usize) -> Vec<Pattern> {
    let (lo, hi) = (d / k, d.div_ceil(k));
    (0u16..(1 << d))
        .map(|p| p as Pattern)
        .filter(|&p| p.count_ones() as usize == k)
        .filter(|&p| {
            let on: Vec<usize> = days(p).collect();
            (0..k).all(|i| {
                let gap = if i + 1 < k {
                    on[i + 1] - on[i]
                } else {
                    d - on[k - 1] + on[0]
                };
                (lo..=hi).contains(&gap)
            })
        })
        .collect()
}

/// A site for [`choose`]: where it is (planar metres), its patterns, and what a passage brings
/// (litres) per day of its pattern.
#[derive(Clone, Debug)]
pub struct Site {
    /// Planar coordinates, metres.
    pub xy: [f64; 2],
    /// Its allowed patterns (at least one).
    pub allowed: Vec<Pattern>,
    /// Litres delivered at its passage on each day of a pattern, for every allowed pattern
    /// (`litres[p][day]`, 0 on the pattern's other days).
    pub litres: Vec<Vec<f64>>,
}

/// Neighbours per site in the attraction term.
const NEIGHBOURS: usize = 12;
/// Weight of the balance term against the attraction.
const BALANCE: f64 = 1.0;
/// Most passes over the sites.
const PASSES: usize = 30;

/// One allowed pattern per site (an index into its `allowed`), starting from `start` and
/// improving the proxy; deterministic for a seed.
pub fn choose(sites: &[Site], days_n: usize, start: &[usize], seed: u64) -> Vec<usize> {
    let n = sites.len();
    let mut pick = start.to_vec();
    if n < 2 {
        return pick;
    }
    let nearest = neighbours(sites);
    let mut nn: Vec<f64> = nearest
        .iter()
        .map(|v| v.first().map_or(0.0, |x| x.1))
        .collect();
    nn.sort_by(|a, b| a.total_cmp(b));
    let r = (2.0 * nn[n / 2]).max(1.0);
    let attraction: Vec<Vec<(usize, f64)>> = nearest
        .iter()
        .map(|v| v.iter().map(|&(j, d)| (j, (-d / r).exp())).collect())
        .collect();
    // Each day's litres and stops.
    let mut litres = vec![0.0; days_n];
    let mut stops = vec![0.0; days_n];
    for (s, site) in sites.iter().enumerate() {
        let p = site.allowed[pick[s]];
        for day in days(p) {
            litres[day] += site.litres[pick[s]][day];
            stops[day] += 1.0;
        }
    }
    let mean_l = (litres.iter().sum::<f64>() / days_n as f64).max(1.0);
    let mean_s = (stops.iter().sum::<f64>() / days_n as f64).max(1.0);
    // The balance term in units of one neighbour's attraction per site.
    let scale = BALANCE * n as f64;
    let balance = |l: &[f64], st: &[f64]| -> f64 {
        (0..days_n)
            .map(|d| {
                let (a, b) = ((l[d] - mean_l) / mean_l, (st[d] - mean_s) / mean_s);
                a * a + b * b
            })
            .sum::<f64>()
            * scale
    };
    let shared = |p: Pattern, q: Pattern| (p & q).count_ones() as f64;
    let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0x7eec_dead);
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..PASSES {
        order.shuffle(&mut rng);
        let mut improved = false;
        for &s in &order {
            let site = &sites[s];
            if site.allowed.len() < 2 {
                continue;
            }
            let cur = site.allowed[pick[s]];
            let pull = |p: Pattern| -> f64 {
                attraction[s]
                    .iter()
                    .map(|&(j, a)| a * shared(p, sites[j].allowed[pick[j]]))
                    .sum()
            };
            let before = balance(&litres, &stops) - pull(cur);
            let mut best: Option<(f64, usize)> = None;
            for (k, &p) in site.allowed.iter().enumerate() {
                if k == pick[s] {
                    continue;
                }
                let (mut l, mut st) = (litres.clone(), stops.clone());
                shift(&mut l, &mut st, site, pick[s], k);
                let after = balance(&l, &st) - pull(p);
                if after < before - 1e-9 && best.is_none_or(|(b, _)| after < b) {
                    best = Some((after, k));
                }
            }
            if let Some((_, k)) = best {
                shift(&mut litres, &mut stops, site, pick[s], k);
                pick[s] = k;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    pick
}

/// Moves `site` from its allowed pattern `from` to `to` in the days' `litres` and `stops`.
fn shift(litres: &mut [f64], stops: &mut [f64], site: &Site, from: usize, to: usize) {
    for day in days(site.allowed[from]) {
        litres[day] -= site.litres[from][day];
        stops[day] -= 1.0;
    }
    for day in days(site.allowed[to]) {
        litres[day] += site.litres[to][day];
        stops[day] += 1.0;
    }
}

/// Each site's nearest others with their distances, nearest first (an R-tree: never all pairs).
fn neighbours(sites: &[Site]) -> Vec<Vec<(usize, f64)>> {
    use rstar::{primitives::GeomWithData, RTree};
    let tree = RTree::bulk_load(
        sites
            .iter()
            .enumerate()
            .map(|(k, s)| GeomWithData::new(s.xy, k))
            .collect(),
    );
    sites
        .iter()
        .enumerate()
        .map(|(k, s)| {
            tree.nearest_neighbor_iter(s.xy)
                .filter(|g| g.data != k)
                .take(NEIGHBOURS)
                .map(|g| {
                    let [x, y] = *g.geom();
                    (g.data, (x - s.xy[0]).hypot(y - s.xy[1]))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ps: &[Pattern]) -> Vec<Vec<usize>> {
        ps.iter().map(|&p| days(p).collect()).collect()
    }

    #[test]
    fn even_patterns_spread_the_passages() {
        assert_eq!(names(&even(3, 6)), [vec![0, 2, 4], vec![1, 3, 5]]);
        assert_eq!(names(&even(2, 6)), [vec![0, 3], vec![1, 4], vec![2, 5]]);
        assert_eq!(even(2, 5).len(), 5);
        assert!(names(&even(2, 5))
            .iter()
            .all(|p| p[1] - p[0] >= 2 && 5 - p[1] + p[0] >= 2));
        assert_eq!(even(3, 5).len(), 5);
        assert_eq!(even(1, 5).len(), 5);
        assert_eq!(names(&even(5, 5)), [vec![0, 1, 2, 3, 4]]);
        assert_eq!(names(&even(7, 7)), [vec![0, 1, 2, 3, 4, 5, 6]]);
    }

    #[test]
    fn neighbours_share_their_days_and_the_days_stay_balanced() {
        // Two villages far apart, 30 sites each on a street, 3 passages over 6 days: each
        // village (nearly) on one pattern, one village per pattern.
        let mut sites = Vec::new();
        for x0 in [0.0, 50_000.0] {
            for k in 0..30 {
                let allowed = even(3, 6);
                let litres = allowed
                    .iter()
                    .map(|&p| {
                        (0..6)
                            .map(|d| if p & (1 << d) != 0 { 100.0 } else { 0.0 })
                            .collect()
                    })
                    .collect();
                sites.push(Site {
                    xy: [x0 + 300.0 * k as f64, 0.0],
                    allowed,
                    litres,
                });
            }
        }
        // Start: alternating, so each village is served every day.
        let start: Vec<usize> = (0..60).map(|k| k % 2).collect();
        let pick = choose(&sites, 6, &start, 1);
        let on = |v: &[usize], p: usize| v.iter().filter(|&&x| x == p).count();
        let (a, b) = (&pick[..30], &pick[30..]);
        let major = |v: &[usize]| usize::from(on(v, 1) > on(v, 0));
        assert!(on(a, major(a)) >= 24 && on(b, major(b)) >= 24, "{pick:?}");
        assert_ne!(major(a), major(b), "one village per pattern: {pick:?}");
        assert_eq!(pick, choose(&sites, 6, &start, 1), "deterministic");
    }
}
