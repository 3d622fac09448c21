//! A working solution: one route per vehicle (most of them empty), the jobs left out, and
//! where each task is.

use super::instance::{Instance, NONE};
use super::route::RouteState;
use super::search::local::eval::route_cost;
use crate::model::{
    JobIdx, LocIdx, Reason, Reload, Route, Solution, Time, Unassigned, VehicleIdx, Visit,
};

/// A working solution.
#[derive(Clone, Debug)]
pub struct State {
    /// One route per vehicle, in vehicle order.
    pub routes: Vec<RouteState>,
    /// Jobs in no route.
    pub unassigned: Vec<u32>,
    /// For each task, its route and index in that route's tasks (`(NONE, NONE)` if unassigned).
    pub pos: Vec<(u32, u32)>,
}

/// The objective, compared lexicographically: mandatory jobs left out first, then cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Objective {
    /// Mandatory jobs left out.
    pub missing: usize,
    /// Route costs plus the costs of optional jobs left out.
    pub cost: i64,
}

impl State {
    /// Every vehicle idle, every job left out.
    pub fn empty(inst: &Instance) -> Self {
        State {
            routes: (0..inst.problem.vehicles.len() as u32)
                .map(|v| RouteState::new(inst, v))
                .collect(),
            unassigned: (0..inst.problem.jobs.len() as u32).collect(),
            pos: vec![(NONE, NONE); inst.tasks.len()],
        }
    }

    /// Records the positions of the tasks of route `ri`.
    pub fn relocate(&mut self, ri: usize) {
        for (k, &t) in self.routes[ri].tasks.iter().enumerate() {
            self.pos[t as usize] = (ri as u32, k as u32);
        }
    }

    /// The objective.
    pub fn objective(&self, inst: &Instance) -> Objective {
        let mut o = Objective {
            missing: 0,
            cost: self.routes.iter().map(|r| r.cost(inst)).sum(),
        };
        for &j in &self.unassigned {
            let job = &inst.problem.jobs[j as usize];
            match job.unassigned_cost {
                Some(c) => o.cost += c.0 * (i64::from(job.priority) + 1),
                None => o.missing += 1,
            }
        }
        o
    }

    /// Removes every task of the jobs in `jobs` from their routes (caches updated) and adds the
    /// jobs to `unassigned`. Pushes the routes touched to `touched`.
    pub fn remove_jobs(&mut self, inst: &Instance, jobs: &[u32], touched: &mut Vec<usize>) {
        let start = touched.len();
        let mut tasks = Vec::with_capacity(2 * jobs.len());
        for &j in jobs {
            let first = inst.job_first_task[j as usize];
            tasks.push(first);
            if inst.tasks[first as usize].sibling != NONE {
                tasks.push(inst.tasks[first as usize].sibling);
            }
        }
        for &t in &tasks {
            let r = self.pos[t as usize].0;
            if r != NONE && !touched[start..].contains(&(r as usize)) {
                touched.push(r as usize);
            }
            self.pos[t as usize] = (NONE, NONE);
        }
        for &ri in &touched[start..] {
            let r = &mut self.routes[ri];
            r.tasks.retain(|t| !tasks.contains(t));
            self.drop_reloads(inst, ri, false);
            let r = &mut self.routes[ri];
            r.update(inst);
            self.relocate(ri);
        }
        self.unassigned.extend_from_slice(jobs);
    }

    /// An unused reload task that `vehicle` may use, if any.
    pub fn free_reload(&self, inst: &Instance, vehicle: u32) -> Option<u32> {
        (inst.first_reload..inst.tasks.len())
            .map(|t| t as u32)
            .find(|&t| self.pos[t as usize].0 == NONE && inst.may_reload(vehicle, t))
    }

    /// Removes the reloads of route `ri` that serve no purpose: every one of a route without
    /// jobs, one before the first job or after the last, one right after another; with `all`,
    /// also every one whose removal keeps the route feasible (it then costs less or the same).
    /// The route's caches are updated when something changed.
    pub fn drop_reloads(&mut self, inst: &Instance, ri: usize, all: bool) {
        let r = &mut self.routes[ri];
        if !r.tasks.iter().any(|&t| inst.tasks[t as usize].reload) {
            return;
        }
        let before = r.tasks.len();
        let is_reload = |t: u32| inst.tasks[t as usize].reload;
        let mut kept: Vec<u32> = Vec::with_capacity(r.tasks.len());
        for &t in &r.tasks {
            if is_reload(t) && kept.last().is_none_or(|&p| is_reload(p)) {
                continue;
            }
            kept.push(t);
        }
        while kept.last().is_some_and(|&t| is_reload(t)) {
            kept.pop();
        }
        // Dropping these cannot lengthen a trip's loads, but a start elsewhere than the reload
        // place could make a dropped first reload matter for time: checked.
        if kept.len() != before && route_cost(inst, r.vehicle, &kept).is_none() {
            kept = r.tasks.clone();
        }
        if all {
            let mut k = 0;
            while k < kept.len() {
                if is_reload(kept[k]) {
                    let mut without = kept.clone();
                    without.remove(k);
                    if route_cost(inst, r.vehicle, &without).is_some() {
                        kept = without;
                        continue;
                    }
                }
                k += 1;
            }
        }
        if kept.len() != before {
            for &t in &r.tasks {
                if is_reload(t) && !kept.contains(&t) {
                    self.pos[t as usize] = (NONE, NONE);
                }
            }
            let r = &mut self.routes[ri];
            r.tasks = kept;
            r.update(inst);
            self.relocate(ri);
        }
    }

    /// The solution in the model's terms; every job left out gets a reason from `reasons`
    /// (those that no vehicle can serve alone) or [`Reason::NoRoom`] / [`Reason::NotWorthIt`].
    pub fn to_solution(&self, inst: &Instance, reasons: &[Option<Reason>]) -> Solution {
        let mut routes = Vec::new();
        for r in self.routes.iter().filter(|r| !r.is_empty()) {
            let mut visits = Vec::with_capacity(r.tasks.len());
            let mut reloads = Vec::new();
            for &t in &r.tasks {
                let task = &inst.tasks[t as usize];
                if task.reload {
                    reloads.push(Reload {
                        before: visits.len(),
                        at: LocIdx(task.loc),
                    });
                    continue;
                }
                let first = inst.job_first_task[task.job as usize];
                visits.push(Visit {
                    job: JobIdx(task.job),
                    stop: (t - first) as u8,
                });
            }
            routes.push(Route {
                vehicle: VehicleIdx(r.vehicle),
                departure: Time(r.departure(inst)),
                visits,
                reloads,
            });
        }
        let mut unassigned: Vec<Unassigned> = self
            .unassigned
            .iter()
            .map(|&j| Unassigned {
                job: JobIdx(j),
                reason: reasons[j as usize].unwrap_or(
                    if inst.problem.jobs[j as usize].unassigned_cost.is_some() {
                        Reason::NotWorthIt
                    } else {
                        Reason::NoRoom
                    },
                ),
            })
            .collect();
        unassigned.sort_by_key(|u| u.job);
        Solution { routes, unassigned }
    }
}
