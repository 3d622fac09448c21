//! Adjacent string removal (the "ruin" of SISR, Christiaens & Vanden Berghe 2020).
//!
//! Starting from a random task, walk its nearest neighbours; in each route met (up to a drawn
//! number of routes), remove a string of consecutive tasks containing that neighbour, or a
//! string with a preserved substring in its middle ("split string"). Removing spatially close
//! strings from several routes gives the recreate step room to rebuild a better local layout.

use super::super::instance::Instance;
use super::super::state::State;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// Parameters of the removal.
#[derive(Clone, Copy, Debug)]
pub struct RuinParams {
    /// Average number of tasks removed.
    pub avg_removed: f64,
    /// Longest string.
    pub max_string: f64,
    /// Probability of removing a preserved-substring string rather than a plain one.
    pub split_rate: f64,
    /// Probability of extending the preserved substring.
    pub split_depth: f64,
}

impl Default for RuinParams {
    fn default() -> Self {
        RuinParams {
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
        }
    }
}

/// Chooses jobs to remove from `state`; returns them (each once). With `focus` (a task left
/// out), the strings are taken around its nearest placed neighbour, to make room where a job
/// is missing; else around a random placed task.
pub fn select(
    inst: &Instance,
    state: &State,
    p: &RuinParams,
    rng: &mut Pcg64Mcg,
    focus: Option<u32>,
) -> Vec<u32> {
    let where_ = &state.pos;
    let used: Vec<usize> = (0..state.routes.len())
        .filter(|&r| !state.routes[r].is_empty())
        .collect();
    if used.is_empty() || inst.tasks.is_empty() {
        return Vec::new();
    }
    let assigned_tasks: usize = used.iter().map(|&r| state.routes[r].len()).sum();
    let avg_len = assigned_tasks as f64 / used.len() as f64;
    let ls_max = p.max_string.min(avg_len);
    let ks_max = (4.0 * p.avg_removed / (1.0 + ls_max) - 1.0).max(1.0);
    let k_strings = (rng.random_range(1.0..ks_max + 1.0) as usize).max(1);
    let near = focus.and_then(|f| {
        inst.neighbours[f as usize]
            .iter()
            .copied()
            .find(|&t| where_[t as usize].0 != u32::MAX && !inst.tasks[t as usize].reload)
    });
    // A random assigned task as seed.
    let seed = near.unwrap_or_else(|| loop {
        let t = rng.random_range(0..inst.tasks.len());
        if where_[t].0 != u32::MAX {
            break t as u32;
        }
    });
    let mut removed_jobs = Vec::new();
    let mut job_removed = vec![false; inst.problem.jobs.len()];
    let mut route_ruined = vec![false; state.routes.len()];
    let mut ruined = 0;
    for &c in std::iter::once(&seed).chain(inst.neighbours[seed as usize].iter()) {
        if ruined >= k_strings {
            break;
        }
        let (r, pos) = where_[c as usize];
        if r == u32::MAX
            || route_ruined[r as usize]
            || inst.tasks[c as usize].reload
            || job_removed[inst.tasks[c as usize].job as usize]
        {
            continue;
        }
        let route = &state.routes[r as usize];
        let len = route.len();
        let l_max = ls_max.min(len as f64);
        let l = (rng.random_range(1.0..l_max + 1.0) as usize).clamp(1, len);
        let pos = pos as usize;
        let mut take = |t: u32, removed: &mut Vec<u32>| {
            if inst.tasks[t as usize].reload {
                return;
            }
            let j = inst.tasks[t as usize].job as usize;
            if !job_removed[j] {
                job_removed[j] = true;
                removed.push(j as u32);
            }
        };
        if l >= 2 && l < len && rng.random_bool(p.split_rate) {
            // A string of l + m tasks, keeping m consecutive ones in its middle.
            let mut m = 1;
            while l + m < len && rng.random_bool(1.0 - p.split_depth) && m < len - l {
                m += 1;
                if rng.random_bool(0.5) {
                    break;
                }
            }
            let total = l + m;
            let start = string_start(pos, total, len, rng);
            let keep_from = start + rng.random_range(0..=l - 1).min(l - 1);
            for (k, &t) in route.tasks[start..start + total].iter().enumerate() {
                let idx = start + k;
                if idx < keep_from + 1 || idx >= keep_from + 1 + m {
                    take(t, &mut removed_jobs);
                }
            }
        } else {
            let start = string_start(pos, l, len, rng);
            for &t in &route.tasks[start..start + l] {
                take(t, &mut removed_jobs);
            }
        }
        route_ruined[r as usize] = true;
        ruined += 1;
    }
    removed_jobs
}

/// Share of iterations that remove a whole route instead of strings, when vehicles have a
/// fixed cost (route minimisation: a route emptied and its jobs placed elsewhere saves the
/// vehicle; without fixed costs, fewer routes is not an aim of the objective).
pub const ROUTE_REMOVAL_RATE: f64 = 0.05;

/// The jobs of one used route, drawn with a probability inversely proportional to its number
/// of tasks (small routes are the ones worth emptying); empty when fewer than two routes are
/// used.
pub fn select_route(state: &State, inst: &Instance, rng: &mut Pcg64Mcg) -> Vec<u32> {
    let used: Vec<usize> = (0..state.routes.len())
        .filter(|&r| !state.routes[r].is_empty())
        .collect();
    if used.len() < 2 {
        return Vec::new();
    }
    let weights: Vec<f64> = used
        .iter()
        .map(|&r| 1.0 / state.routes[r].len() as f64)
        .collect();
    let mut x = rng.random::<f64>() * weights.iter().sum::<f64>();
    let mut chosen = used[used.len() - 1];
    for (&r, &w) in used.iter().zip(&weights) {
        if x < w {
            chosen = r;
            break;
        }
        x -= w;
    }
    let mut jobs: Vec<u32> = state.routes[chosen]
        .tasks
        .iter()
        .filter(|&&t| !inst.tasks[t as usize].reload)
        .map(|&t| inst.tasks[t as usize].job)
        .collect();
    jobs.sort_unstable();
    jobs.dedup();
    jobs
}

/// A start so that `[start, start + l)` contains `pos` and fits in `0..len`.
fn string_start(pos: usize, l: usize, len: usize, rng: &mut Pcg64Mcg) -> usize {
    let lo = pos.saturating_sub(l - 1);
    let hi = pos.min(len - l);
    if hi <= lo {
        lo.min(len - l)
    } else {
        rng.random_range(lo..=hi)
    }
}
