//! A working solution: one route per vehicle (most of them empty), the jobs left out, and
//! where each task is.

use super::instance::{Instance, NONE};
use super::route::RouteState;
use crate::model::{JobIdx, Reason, Route, Solution, Time, Unassigned, VehicleIdx, Visit};

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
            r.update(inst);
            self.relocate(ri);
        }
        self.unassigned.extend_from_slice(jobs);
    }

    /// The solution in the model's terms; every job left out gets a reason from `reasons`
    /// (those that no vehicle can serve alone) or [`Reason::NoRoom`] / [`Reason::NotWorthIt`].
    pub fn to_solution(&self, inst: &Instance, reasons: &[Option<Reason>]) -> Solution {
        let mut routes = Vec::new();
        for r in self.routes.iter().filter(|r| !r.is_empty()) {
            routes.push(Route {
                vehicle: VehicleIdx(r.vehicle),
                departure: Time(r.departure(inst)),
                visits: r
                    .tasks
                    .iter()
                    .map(|&t| {
                        let task = &inst.tasks[t as usize];
                        let first = inst.job_first_task[task.job as usize];
                        Visit {
                            job: JobIdx(task.job),
                            stop: (t - first) as u8,
                        }
                    })
                    .collect(),
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
