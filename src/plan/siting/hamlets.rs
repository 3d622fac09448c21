//! Households too far from any conciergerie a walk allows: a *hamlet* site, or a home delivery.
//!
//! A conciergerie serves `min` to `max` foyers. Where a few households live apart (a hamlet up
//! a valley, a farm at the end of a track), no site within walking distance of them can gather
//! its minimum, and a grouping that keeps every site within its bounds sends them to a site
//! kilometres away. Instead, before the search:
//!
//! - a household is *isolated* when no candidate place within `max_walk_m` of it (as the
//!   grouping measures distances) has `min` foyers within `max_walk_m` of it: no regular site
//!   could serve it within a walk;
//! - the isolated households are covered greedily: the candidate within a walk of the most
//!   isolated foyers not yet covered, then the next. A cover of at least
//!   [`WalkRule::hamlet_households`] households is a **hamlet** site: it must open (fixed),
//!   with a minimum of one foyer and the usual maximum (a regular household nearer it than to
//!   any other site may join it);
//! - the other isolated households each get a **home** delivery: a site at their own door
//!   (fixed, holding their foyers only), a stop on the van's round.
//!
//! The threshold comes from what each costs a day (the caller's [`WalkRule`]): a hamlet
//! site costs its host's allowance and one stop, home deliveries one stop per household.
//! The regular sites are then as many as the other foyers make at the target size.
//!
//! O(households x candidates) per zone, on the zone's distance table.

/// How far a household may be sent, and when a few isolated households get their own site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WalkRule {
    /// The longest walk to a conciergerie, metres (`sites.max_walk_m`).
    pub max_m: f64,
    /// Isolated households that make a hamlet site together (fewer: home deliveries).
    pub hamlet_households: usize,
}

/// What kind of site a candidate opens as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SiteKind {
    /// A conciergerie within the size bounds.
    #[default]
    Regular,
    /// A small site for isolated households, below the minimum size.
    Hamlet,
    /// A household's own door: the van delivers there.
    Home,
}

impl SiteKind {
    /// How a household of such a site is served, as `assignment.csv` says it.
    pub fn served_by(self) -> &'static str {
        match self {
            SiteKind::Regular => "site",
            SiteKind::Hamlet => "hamlet",
            SiteKind::Home => "home",
        }
    }
}

/// A site that isolated households need, in a zone's local indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Special {
    /// The candidate (its position in the zone's candidate list).
    pub cand: usize,
    /// Hamlet or home.
    pub kind: SiteKind,
    /// The isolated households it is for.
    pub households: Vec<usize>,
}

/// The hamlet and home sites of a zone. `distance(i, k)` is the grouping's distance from
/// household `i` to candidate `k` (infinite when unreachable); `demand` the households'
/// foyers; `own[k]` the household candidate `k` is, if it is one; `drivable[k]` whether a van
/// can stop at candidate `k` (a hamlet or home site must be on the van's roads: a house off
/// them stays with its regular site, counted as still beyond a walk); `min` a regular site's
/// minimum.
pub(super) fn specials(
    distance: impl Fn(usize, usize) -> f64,
    demand: &[i64],
    (own, drivable): (&[Option<usize>], &[bool]),
    min: i64,
    rule: WalkRule,
) -> Vec<Special> {
    let (n, m) = (demand.len(), own.len());
    let near = |d: f64| d.is_finite() && d <= rule.max_m;
    // Foyers within a walk of each candidate.
    let mut reach = vec![0i64; m];
    for (i, &q) in demand.iter().enumerate() {
        for (k, r) in reach.iter_mut().enumerate() {
            if near(distance(i, k)) {
                *r += q;
            }
        }
    }
    let isolated: Vec<bool> = (0..n)
        .map(|i| !(0..m).any(|k| reach[k] >= min.max(1) && near(distance(i, k))))
        .collect();
    let mut left: Vec<usize> = (0..n).filter(|&i| isolated[i]).collect();
    let mut out = Vec::new();
    let mut taken = vec![false; m];
    // Hamlets: the candidate covering the most isolated foyers, while covers are large enough.
    while !left.is_empty() {
        let best = (0..m)
            .filter(|&k| !taken[k] && drivable[k])
            .map(|k| {
                let cover: Vec<usize> = left
                    .iter()
                    .copied()
                    .filter(|&i| near(distance(i, k)))
                    .collect();
                let foyers: i64 = cover.iter().map(|&i| demand[i]).sum();
                // Among equal covers, the one its foyers walk least to.
                let walk: i64 = cover
                    .iter()
                    .map(|&i| (demand[i] as f64 * distance(i, k)).round() as i64)
                    .sum();
                let key = (
                    foyers,
                    cover.len(),
                    std::cmp::Reverse(walk),
                    std::cmp::Reverse(k),
                );
                (key, cover)
            })
            .max();
        let Some(((_, count, _, std::cmp::Reverse(k)), cover)) = best else {
            break;
        };
        if count < rule.hamlet_households.max(1) {
            break;
        }
        taken[k] = true;
        left.retain(|i| !cover.contains(i));
        out.push(Special {
            cand: k,
            kind: SiteKind::Hamlet,
            households: cover,
        });
    }
    // Home deliveries: each household left at its own door (when it is a candidate).
    for i in left {
        if let Some(k) = (0..m).find(|&k| own[k] == Some(i) && !taken[k] && drivable[k]) {
            taken[k] = true;
            out.push(Special {
                cand: k,
                kind: SiteKind::Home,
                households: vec![i],
            });
        }
    }
    out
}

/// What [`settle`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Households moved to a nearer site.
    pub moved: usize,
    /// Sites left below their minimum by households moving nearer: now hamlet sites.
    pub shrunk: usize,
    /// Hamlet sites opened for households still beyond a walk.
    pub hamlets: usize,
    /// Home deliveries opened for them.
    pub homes: usize,
    /// Households still beyond a walk, with no place to serve them nearer.
    pub still_far: usize,
    /// Households with a nearer open site that has room for them while their own keeps its
    /// minimum (0 after the moves; counted again at the end, independently of them).
    pub past_nearer: usize,
}

/// Most passes of moves to a nearer site with room (each ends a walk sooner; few are needed).
const MOVE_PASSES: usize = 200;

/// After the search, every household goes to the nearest open site that has room for it
/// within a walk when its own site is beyond it, and to a nearer open site with room whenever
/// its own site keeps its minimum (the search may leave such households where they are to keep
/// a site above its minimum; sites left below it by a far household moving become hamlet
/// sites). Households still beyond a walk are covered by new hamlet sites, else served at
/// home ([`specials`]' rule; `drivable(j)`: a van can stop at candidate `j`). `kinds` is per candidate; the problem's bounds, `p` and the
/// sites are updated so that the siting checker holds. O(households x open sites near each).
pub fn settle(
    pb: &mut crate::sites::Siting,
    sites: &mut crate::sites::Sites,
    (kinds, drivable): (&mut [SiteKind], &dyn Fn(usize) -> bool),
    rule: WalkRule,
) -> Settled {
    let mut out = Settled::default();
    let n = pb.n();
    let mut load = vec![0i64; pb.m()];
    for (i, a) in sites.assign.iter().enumerate() {
        if let Some(j) = a {
            load[*j] += pb.demand[i];
        }
    }
    let mut is_open = vec![false; pb.m()];
    for &j in &sites.open {
        is_open[j] = true;
    }
    // The open sites household i may go to, with their distances.
    let options = |pb: &crate::sites::Siting, is_open: &[bool], open: &[usize], i: usize| {
        let mut v: Vec<(f64, usize)> = match &pb.distances {
            crate::sites::Distances::Sparse(rows) => rows[i]
                .iter()
                .filter(|e| is_open[e.0 as usize])
                .map(|e| (e.1 as f64, e.0 as usize))
                .collect(),
            // (Every open candidate, the new hamlets' too: `open` may not list them yet.)
            _ => open
                .iter()
                .copied()
                .chain((0..pb.m()).filter(|&j| is_open[j] && open.binary_search(&j).is_err()))
                .map(|j| (pb.distance(i, j), j))
                .collect(),
        };
        v.retain(|x| x.0.is_finite());
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v
    };
    // Moves each household to the nearest open site with room whose own site keeps its
    // minimum (or empties), far households first; returns how many moved.
    let settle_moves = |pb: &crate::sites::Siting,
                        sites: &mut crate::sites::Sites,
                        is_open: &[bool],
                        load: &mut [i64],
                        far_only: bool| {
        let mut moved = 0;
        for i in 0..n {
            let Some(from) = sites.assign[i] else {
                continue;
            };
            let here = pb.distance(i, from);
            let far = here > rule.max_m;
            if far_only && !far {
                continue;
            }
            let q = pb.demand[i];
            // A planner's fixed site is never emptied.
            let empties = load[from] == q;
            if empties && pb.candidates[from].fixed {
                continue;
            }
            let keeps_min = load[from] - q >= pb.candidates[from].min || empties;
            for (d, j) in options(pb, is_open, &sites.open, i) {
                if d >= here || j == from {
                    break;
                }
                // A household beyond a walk may shrink its site below its minimum to come
                // within one; any nearer site with room is taken when the site keeps it.
                let within = far && d <= rule.max_m;
                if load[j] + q > pb.candidates[j].max || (!within && !keeps_min) {
                    continue;
                }
                sites.assign[i] = Some(j);
                load[from] -= q;
                load[j] += q;
                moved += 1;
                break;
            }
        }
        moved
    };
    // First the households beyond a walk (their site may shrink), then the others until
    // none can move (each move shortens a walk: it ends).
    out.moved += settle_moves(pb, sites, &is_open, &mut load, true);
    for _ in 0..MOVE_PASSES {
        let m = settle_moves(pb, sites, &is_open, &mut load, false);
        out.moved += m;
        if m == 0 {
            break;
        }
    }
    // Sites left below their minimum (or empty) by the moves.
    for &j in &sites.open.clone() {
        if load[j] == 0 {
            continue;
        }
        if load[j] < pb.candidates[j].min {
            pb.candidates[j].min = 1;
            if kinds[j] == SiteKind::Regular {
                kinds[j] = SiteKind::Hamlet;
                out.shrunk += 1;
            }
        }
    }
    // Households still beyond a walk: new hamlets or home deliveries among the candidates they
    // can reach.
    let far: Vec<usize> = (0..n)
        .filter(|&i| sites.assign[i].is_some_and(|j| pb.distance(i, j) > rule.max_m))
        .collect();
    if !far.is_empty() {
        let mut cands: Vec<usize> = Vec::new();
        for &i in &far {
            match &pb.distances {
                crate::sites::Distances::Sparse(rows) => {
                    cands.extend(rows[i].iter().map(|e| e.0 as usize))
                }
                _ => cands.extend(0..pb.m()),
            }
        }
        cands.sort_unstable();
        cands.dedup();
        cands.retain(|&j| !is_open[j]);
        let demand: Vec<i64> = far.iter().map(|&i| pb.demand[i]).collect();
        let own: Vec<Option<usize>> = cands
            .iter()
            .map(|&j| {
                pb.candidates[j]
                    .point
                    .and_then(|p| far.iter().position(|&i| i == p))
            })
            .collect();
        // Every one of them is isolated from the open sites with room: cover them all.
        // Only the candidates near the households still beyond a walk are looked at.
        let can_drive: Vec<bool> = cands.iter().map(|&j| drivable(j)).collect();
        let found = specials(
            |a, k| pb.distance(far[a], cands[k]),
            &demand,
            (&own, &can_drive),
            i64::MAX,
            rule,
        );
        for s in found {
            let j = cands[s.cand];
            let members: Vec<usize> = s.households.iter().map(|&a| far[a]).collect();
            let foyers: i64 = members.iter().map(|&i| pb.demand[i]).sum();
            let c = &mut pb.candidates[j];
            c.min = 1;
            c.fixed = true;
            if s.kind == SiteKind::Home {
                c.max = foyers;
                out.homes += 1;
            } else {
                c.max = c.max.max(foyers);
                out.hamlets += 1;
            }
            kinds[j] = s.kind;
            is_open[j] = true;
            for &i in &members {
                if let Some(from) = sites.assign[i] {
                    load[from] -= pb.demand[i];
                }
                sites.assign[i] = Some(j);
            }
            load[j] = foyers;
        }
    }
    // The new hamlets may have room for households that walk farther, and the sites they took
    // households from may now be below their minimum (hamlets, then): move households again
    // (their old site keeps its minimum or empties).
    for _ in 0..MOVE_PASSES {
        for j in 0..pb.m() {
            if is_open[j] && load[j] > 0 && load[j] < pb.candidates[j].min {
                pb.candidates[j].min = 1;
                if kinds[j] == SiteKind::Regular {
                    kinds[j] = SiteKind::Hamlet;
                    out.shrunk += 1;
                }
            }
        }
        let m = settle_moves(pb, sites, &is_open, &mut load, false);
        out.moved += m;
        if m == 0 {
            break;
        }
    }
    // Sites the moves emptied close (a hamlet or home site kept open for the search, whose
    // households all found a nearer site, too: the planner's fixed sites are never emptied);
    // those left below their minimum are hamlets.
    for j in 0..pb.m() {
        if is_open[j] && load[j] == 0 {
            pb.candidates[j].fixed = false;
        }
    }
    let mut open: Vec<usize> = (0..pb.m()).filter(|&j| is_open[j] && load[j] > 0).collect();
    for &j in &open {
        if load[j] < pb.candidates[j].min {
            pb.candidates[j].min = 1;
            if kinds[j] == SiteKind::Regular {
                kinds[j] = SiteKind::Hamlet;
                out.shrunk += 1;
            }
        }
    }
    open.sort_unstable();
    pb.p = open.len();
    sites.open = open;
    sites.cost = (0..n)
        .filter_map(|i| sites.assign[i].map(|j| pb.cost(i, j)))
        .sum();
    out.still_far = (0..n)
        .filter(|&i| sites.assign[i].is_some_and(|j| pb.distance(i, j) > rule.max_m))
        .count();
    let mut load = vec![0i64; pb.m()];
    for (i, a) in sites.assign.iter().enumerate() {
        if let Some(j) = a {
            load[*j] += pb.demand[i];
        }
    }
    let is_open: Vec<bool> = (0..pb.m())
        .map(|j| sites.open.binary_search(&j).is_ok())
        .collect();
    out.past_nearer = (0..n)
        .filter(|&i| {
            let Some(from) = sites.assign[i] else {
                return false;
            };
            let (here, q) = (pb.distance(i, from), pb.demand[i]);
            let empties = load[from] == q;
            let keeps = (load[from] - q >= pb.candidates[from].min && !empties)
                || (empties && !pb.candidates[from].fixed);
            keeps
                && options(pb, &is_open, &sites.open, i)
                    .iter()
                    .any(|&(d, j)| d < here && j != from && load[j] + q <= pb.candidates[j].max)
        })
        .count();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Households on a line, candidates at each household: a village of 50 foyers at 0 m and
    /// hamlets far away.
    fn line(at: &[(f64, i64)]) -> (Vec<f64>, Vec<i64>, Vec<Option<usize>>) {
        let x: Vec<f64> = at.iter().map(|a| a.0).collect();
        let q: Vec<i64> = at.iter().map(|a| a.1).collect();
        let own = (0..at.len()).map(Some).collect();
        (x, q, own)
    }

    const RULE: WalkRule = WalkRule {
        max_m: 2_000.0,
        hamlet_households: 3,
    };

    #[test]
    fn three_isolated_households_get_a_hamlet_and_one_a_home_delivery() {
        let (x, q, own) = line(&[
            (0.0, 25),
            (100.0, 25),
            (12_000.0, 2),
            (12_300.0, 1),
            (12_500.0, 3),
            (30_000.0, 1),
        ]);
        let s = specials(
            |i, k| (x[i] - x[k]).abs(),
            &q,
            (&own, &vec![true; own.len()]),
            40,
            RULE,
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].kind, SiteKind::Hamlet);
        assert_eq!(s[0].households, vec![2, 3, 4]);
        assert_eq!(s[0].cand, 3, "the middle one: least walking");
        // Within a walk of every member.
        assert!(s[0]
            .households
            .iter()
            .all(|&i| (x[i] - x[s[0].cand]).abs() <= 2_000.0));
        assert_eq!(
            s[1],
            Special {
                cand: 5,
                kind: SiteKind::Home,
                households: vec![5]
            }
        );
    }

    #[test]
    fn a_household_a_regular_site_can_reach_is_not_isolated() {
        // 45 foyers within a walk of the candidate at 1,000 m: a regular site can open there.
        let (x, q, own) = line(&[(0.0, 40), (1_000.0, 2), (2_900.0, 3)]);
        let s = specials(
            |i, k| (x[i] - x[k]).abs(),
            &q,
            (&own, &vec![true; own.len()]),
            40,
            RULE,
        );
        assert!(s.is_empty(), "{s:?}");
        // Unreachable candidates reach nobody.
        let s = specials(
            |_, _| f64::INFINITY,
            &q,
            (&own, &vec![true; own.len()]),
            40,
            RULE,
        );
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|x| x.kind == SiteKind::Home));
    }
}
