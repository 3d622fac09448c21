//! Greedy insertion with blinks (the "recreate" of SISR, Christiaens & Vanden Berghe 2020):
//! jobs are inserted one by one, each at its cheapest feasible position over all routes, where
//! every position is skipped with a small probability so that repeated runs explore.

use super::super::insert::{
    apply, best_pair, best_single, best_with_reload, best_with_reload_in, eval_single, fixed_cost,
    Insertion,
};
use super::super::instance::{Instance, NONE};
use super::super::state::State;
use rand::seq::SliceRandom;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// Probability of skipping a position.
pub const BLINK: f64 = 0.01;

/// The order in which removed jobs are reinserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Shuffled.
    Random,
    /// Largest amount first.
    Demand,
    /// Farthest from the depot first.
    Far,
    /// Closest to the depot first.
    Close,
    /// Narrowest time window first (then farthest from the depot): jobs with few places to
    /// go are placed before those that fit anywhere (a site's early bread before its day's
    /// parcels, which could come later).
    Window,
}

impl Order {
    /// Draws an order with SISR's weights 4 : 4 : 2 : 1, and when the jobs' windows differ
    /// (`windows_differ`) narrowest window first with weight 3.
    pub fn draw(rng: &mut Pcg64Mcg, windows_differ: bool) -> Order {
        match rng.random_range(0..if windows_differ { 14 } else { 11 }) {
            0..=3 => Order::Random,
            4..=7 => Order::Demand,
            8..=9 => Order::Far,
            10 => Order::Close,
            _ => Order::Window,
        }
    }
}

/// Sorts `jobs` by `order` (ties broken by job index, after a shuffle for `Random`).
pub fn sort_jobs(inst: &Instance, jobs: &mut [u32], order: Order, rng: &mut Pcg64Mcg) {
    jobs.shuffle(rng);
    let depot = inst
        .problem
        .vehicles
        .first()
        .and_then(|v| v.start)
        .map(|l| l.0);
    let key_far = |j: u32| -> i64 {
        let t = &inst.tasks[inst.job_first_task[j as usize] as usize];
        depot.map_or(0, |d| inst.cost(0, d, t.loc))
    };
    match order {
        Order::Random => {}
        Order::Demand => jobs.sort_by_key(|&j| {
            std::cmp::Reverse(inst.problem.jobs[j as usize].amount.0.iter().sum::<i64>())
        }),
        Order::Far => jobs.sort_by_key(|&j| std::cmp::Reverse(key_far(j))),
        Order::Close => jobs.sort_by_key(|&j| key_far(j)),
        Order::Window => {
            let width = |j: u32| -> i64 {
                let first = inst.job_first_task[j as usize] as usize;
                let t = &inst.tasks[first];
                let mut w = inst.windows[t.windows.0 as usize..t.windows.1 as usize]
                    .iter()
                    .map(|&(a, b)| b.saturating_sub(a))
                    .fold(0i64, i64::saturating_add);
                if t.sibling != NONE {
                    let d = &inst.tasks[t.sibling as usize];
                    w = w.min(
                        inst.windows[d.windows.0 as usize..d.windows.1 as usize]
                            .iter()
                            .map(|&(a, b)| b.saturating_sub(a))
                            .fold(0i64, i64::saturating_add),
                    );
                }
                w
            };
            jobs.sort_by_key(|&j| (width(j), std::cmp::Reverse(key_far(j))))
        }
    }
}

/// Inserts the unassigned jobs of `state` (in their current order) at their cheapest positions.
/// Jobs that fit nowhere stay unassigned; optional jobs are inserted only when that costs less
/// than leaving them out. `touched` collects the routes changed.
pub fn recreate(
    inst: &Instance,
    state: &mut State,
    rng: &mut Pcg64Mcg,
    blink: f64,
    touched: &mut Vec<usize>,
) {
    recreate_with(inst, state, rng, blink, touched, usize::MAX);
}

/// [`recreate`], starting at most `new_routes` idle vehicles (the fleet minimisation's rule).
pub fn recreate_with(
    inst: &Instance,
    state: &mut State,
    rng: &mut Pcg64Mcg,
    blink: f64,
    touched: &mut Vec<usize>,
    mut new_routes: usize,
) {
    let open_routes = new_routes > 0;
    let jobs = std::mem::take(&mut state.unassigned);
    // The routes worth trying: every used route, and one empty route per vehicle class
    // (identical empty vehicles give identical insertions).
    let mut candidates: Vec<usize> = Vec::new();
    let mut class_seen = vec![false; state.routes.len()];
    for (ri, r) in state.routes.iter().enumerate() {
        let class = inst.vehicle_class[r.vehicle as usize];
        if !r.is_empty() {
            candidates.push(ri);
        } else if new_routes > 0 && !class_seen[class] {
            class_seen[class] = true;
            candidates.push(ri);
        }
    }
    let mut gaps = Vec::new();
    for j in jobs {
        let first = inst.job_first_task[j as usize];
        let second = inst.tasks[first as usize].sibling;
        let mut best: Option<(Insertion, usize)> = None;
        let granular = second == NONE && granular_gaps(inst, state, first, &mut gaps);
        for &ri in &candidates {
            let r = &state.routes[ri];
            if granular && !r.is_empty() {
                continue;
            }
            let bound = best.map_or(i64::MAX, |(b, _)| b.delta);
            let mut skip = || blink > 0.0 && rng.random_bool(blink);
            let ins = if second == NONE {
                best_single(inst, r, first, bound, &mut skip)
            } else {
                best_pair(inst, r, first, second, bound, &mut skip)
            };
            if let Some(ins) = ins {
                if best.is_none_or(|(b, _)| ins.delta < b.delta) {
                    best = Some((ins, ri));
                }
            }
        }
        if granular {
            for &(ri, gap) in &gaps {
                let r = &state.routes[ri as usize];
                let fix = fixed_cost(inst, r);
                let limit = best.map_or(i64::MAX, |(b, _)| b.delta).saturating_sub(fix);
                let mut skip = || blink > 0.0 && rng.random_bool(blink);
                if let Some(delta) = eval_single(inst, r, first, gap as usize, limit, &mut skip) {
                    let i = gap as usize;
                    best = Some((
                        Insertion {
                            delta: delta + fix,
                            i,
                            j: i,
                        },
                        ri as usize,
                    ));
                }
            }
        }
        // A new trip (a reload) in a route whose vehicle may reload, when cheaper: on a large
        // problem in the gaps next to the job's nearest neighbours, else in every gap of every
        // such route when no trip has room and of its nearest neighbours' routes when one has.
        let mut reload_pair: Option<(u32, u32)> = None;
        if second == NONE && inst.first_reload < inst.tasks.len() {
            let mut routes: Vec<usize> = Vec::new();
            if granular {
                for &(ri, _) in &gaps {
                    if routes.last() != Some(&(ri as usize)) {
                        routes.push(ri as usize);
                    }
                }
            } else if best.is_none() {
                routes.extend(candidates.iter().copied());
            } else {
                for &nb in inst.neighbours[first as usize]
                    .iter()
                    .take(RELOAD_NEIGHBOURS)
                {
                    let r = state.pos[nb as usize].0;
                    if r != NONE && !routes.contains(&(r as usize)) {
                        routes.push(r as usize);
                    }
                }
            }
            for ri in routes {
                let r = &state.routes[ri];
                if r.is_empty() || !inst.reloading[r.vehicle as usize] {
                    continue;
                }
                let Some(reload) = state.free_reload(inst, r.vehicle) else {
                    continue;
                };
                let bound = best.map_or(i64::MAX, |(b, _)| b.delta);
                let found = if granular {
                    // `gaps` is sorted by route.
                    let mine = gaps
                        .iter()
                        .filter(|g| g.0 as usize == ri)
                        .map(|g| g.1 as usize);
                    best_with_reload_in(inst, r, first, reload, bound, mine)
                } else {
                    best_with_reload(inst, r, first, reload, bound)
                };
                if let Some((ins, a, b)) = found {
                    best = Some((ins, ri));
                    reload_pair = Some((a, b));
                }
            }
        }
        let job = &inst.problem.jobs[j as usize];
        let worth = |delta: i64| {
            job.unassigned_cost
                .is_none_or(|c| delta < c.0 * (i64::from(job.priority) + 1))
        };
        match best {
            Some((ins, ri)) if worth(ins.delta) => {
                let was_empty = state.routes[ri].is_empty();
                if was_empty {
                    new_routes = new_routes.saturating_sub(1);
                    if new_routes == 0 {
                        // No more idle vehicle may start: drop the idle ones offered.
                        candidates.retain(|&k| k == ri || !state.routes[k].is_empty());
                    }
                }
                let (a, b) = reload_pair.unwrap_or((first, second));
                apply(inst, &mut state.routes[ri], ins, a, b);
                state.relocate(ri);
                touched.push(ri);
                if was_empty && open_routes && new_routes > 0 {
                    // Offer the next idle vehicle of that class instead.
                    let class = inst.vehicle_class[state.routes[ri].vehicle as usize];
                    let next = (0..state.routes.len()).find(|&k| {
                        state.routes[k].is_empty()
                            && inst.vehicle_class[state.routes[k].vehicle as usize] == class
                            && !candidates.contains(&k)
                    });
                    if let Some(k) = next {
                        candidates.push(k);
                    }
                }
            }
            _ => state.unassigned.push(j),
        }
    }
    // Trips that the insertions made useless (two now fit in one) are merged.
    if inst.first_reload < inst.tasks.len() {
        let mut routes: Vec<usize> = touched.clone();
        routes.sort_unstable();
        routes.dedup();
        for ri in routes {
            state.drop_reloads(inst, ri, true);
        }
    }
}

/// How many nearest neighbours' routes are tried with a new trip when the job fits elsewhere.
const RELOAD_NEIGHBOURS: usize = 4;

/// Problems with more tasks than this insert single-stop jobs only next to their neighbours.
pub const GRANULAR_FROM: usize = 150;

/// How many neighbours give candidate gaps.
const GRANULAR_NEIGHBOURS: usize = 24;

/// Fills `gaps` with the `(route, gap)` pairs next to the nearest assigned neighbours of `task`:
/// the gap before and the gap after each. Returns `false` (use every gap) for small problems or
/// when too few neighbours are placed yet.
fn granular_gaps(inst: &Instance, state: &State, task: u32, gaps: &mut Vec<(u32, u32)>) -> bool {
    gaps.clear();
    if inst.tasks.len() < GRANULAR_FROM {
        return false;
    }
    for &nb in inst.neighbours[task as usize]
        .iter()
        .take(GRANULAR_NEIGHBOURS)
    {
        let (r, k) = state.pos[nb as usize];
        if r != NONE {
            gaps.push((r, k));
            gaps.push((r, k + 1));
        }
    }
    gaps.sort_unstable();
    gaps.dedup();
    gaps.len() >= 4
}
