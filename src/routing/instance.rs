//! The solver's view of a validated problem: flat arrays of tasks (job stops) and matrices.
//!
//! Inside the solver, times, distances and costs are plain `i64` in the problem's units (the
//! newtypes of [`crate::model`] are used at its boundary): the hot loops index arrays and add
//! numbers, and this module is the one place where the conversion happens.

use crate::model::{JobKind, Load, Problem, TimeWindow};

/// Marks "no task" in `u32` fields.
pub const NONE: u32 = u32::MAX;

/// One stop of a job.
#[derive(Clone, Debug)]
pub struct Task {
    /// Matrix row/column.
    pub loc: u32,
    /// Service duration.
    pub service: i64,
    /// Range of this task's windows in [`Instance::windows`].
    pub windows: (u32, u32),
    /// The job it belongs to.
    pub job: u32,
    /// For a shipment, the other stop's task; else [`NONE`].
    pub sibling: u32,
    /// `true` for a shipment's pickup.
    pub is_pickup: bool,
    /// Load added to the vehicle's initial load when the task is in its route (deliveries).
    pub init: Load,
    /// Change of the load on board at this stop.
    pub delta: Load,
    /// For a delivery, when its goods are at the depot: its trip leaves no earlier (0 if always).
    pub release: i64,
    /// `true` for a job's pickup whose goods are unloaded at the next reload (a [`JobKind::Pickup`]
    /// job; a shipment's goods stay on board until their delivery).
    pub unload_at_reload: bool,
    /// `true` for a reload (multi-trip): not a job's stop but a return to a reload place, where
    /// the vehicle unloads its pickups and loads its next trip. `job` is then [`NONE`].
    pub reload: bool,
}

/// A problem prepared for solving.
pub struct Instance<'p> {
    /// The problem.
    pub problem: &'p Problem,
    /// Every stop of every job.
    pub tasks: Vec<Task>,
    /// All time windows, as `(start, end)`, task by task.
    pub windows: Vec<(i64, i64)>,
    /// For each job, its first task (a shipment's second task follows it).
    pub job_first_task: Vec<u32>,
    /// Number of locations.
    pub n_loc: usize,
    /// Travel times, row-major.
    pub dur: Vec<i64>,
    /// Distances, row-major.
    pub dist: Vec<i64>,
    /// Arc costs per cost profile, row-major.
    pub cost: Vec<Vec<i64>>,
    /// Cost profile of each vehicle.
    pub vehicle_profile: Vec<usize>,
    /// Vehicles with equal attributes (but the id) share a class: trying one empty route per
    /// class is enough.
    pub vehicle_class: Vec<usize>,
    /// Tasks nearest to each task (by the first profile's cost, both ways), nearest first.
    pub neighbours: Vec<Vec<u32>>,
    /// The first reload task: `tasks[first_reload..]` are reloads (a pool per reload place,
    /// used by the routes of the vehicles that may reload there).
    pub first_reload: usize,
    /// Per vehicle: may its routes hold reloads?
    pub reloading: Vec<bool>,
    /// Whether some delivery has a release time.
    pub has_release: bool,
    /// Whether the jobs' first stops have windows of different widths.
    pub windows_differ: bool,
}

/// Reload tasks per vehicle that may reload at a place (the pool's size, at most the number
/// of jobs): more trips than this per vehicle are not searched.
pub const RELOADS_PER_VEHICLE: usize = 6;

/// How many neighbours each task keeps.
pub const NEIGHBOURS: usize = 40;

impl<'p> Instance<'p> {
    /// Prepares a problem that passed validation.
    pub fn new(problem: &'p Problem) -> Self {
        let mut tasks = Vec::new();
        let mut windows = Vec::new();
        let mut job_first_task = Vec::with_capacity(problem.jobs.len());
        for (j, job) in problem.jobs.iter().enumerate() {
            let first = tasks.len() as u32;
            job_first_task.push(first);
            for (s, stop) in job.stops.iter().enumerate() {
                let w0 = windows.len() as u32;
                let tws: Vec<TimeWindow> = if stop.time_windows.is_empty() {
                    vec![TimeWindow::ALWAYS]
                } else {
                    stop.time_windows.clone()
                };
                windows.extend(tws.iter().map(|w| (w.start.0, w.end.0)));
                let (init, delta, sibling, is_pickup) = match (job.kind, s) {
                    (JobKind::Delivery, _) => (job.amount, Load::ZERO - job.amount, NONE, false),
                    (JobKind::Pickup, _) => (Load::ZERO, job.amount, NONE, false),
                    (JobKind::Shipment, 0) => (Load::ZERO, job.amount, first + 1, true),
                    (JobKind::Shipment, _) => (Load::ZERO, Load::ZERO - job.amount, first, false),
                };
                tasks.push(Task {
                    loc: stop.location.0,
                    service: stop.service.0,
                    windows: (w0, windows.len() as u32),
                    job: j as u32,
                    sibling,
                    is_pickup,
                    init,
                    delta,
                    release: if job.kind == JobKind::Delivery {
                        job.release.0
                    } else {
                        0
                    },
                    unload_at_reload: job.kind == JobKind::Pickup,
                    reload: false,
                });
            }
        }
        // The reload pools: per reload place, tasks any vehicle that may reload there can use.
        let first_reload = tasks.len();
        let mut places: Vec<(u32, usize, i64)> = Vec::new();
        for v in &problem.vehicles {
            for l in &v.reloads {
                match places.iter_mut().find(|p| p.0 == l.0) {
                    Some(p) => {
                        p.1 += 1;
                        p.2 = p.2.max(v.reload_time.0);
                    }
                    None => places.push((l.0, 1, v.reload_time.0)),
                }
            }
        }
        let always = windows.len() as u32;
        if !places.is_empty() {
            windows.push((0, crate::model::Time::MAX.0));
        }
        for &(loc, vehicles, service) in &places {
            let pool = (RELOADS_PER_VEHICLE * vehicles).min(problem.jobs.len());
            for _ in 0..pool {
                tasks.push(Task {
                    loc,
                    service,
                    windows: (always, always + 1),
                    job: NONE,
                    sibling: NONE,
                    is_pickup: false,
                    init: Load::ZERO,
                    delta: Load::ZERO,
                    release: 0,
                    unload_at_reload: false,
                    reload: true,
                });
            }
        }
        let n_loc = problem.num_locations();
        let dur: Vec<i64> = problem.durations.values().iter().map(|t| t.0).collect();
        let dist: Vec<i64> = problem.distances.values().iter().map(|d| d.0).collect();
        let mut profiles: Vec<crate::model::Costs> = Vec::new();
        let mut vehicle_profile = Vec::new();
        for v in &problem.vehicles {
            let key = crate::model::Costs {
                fixed: crate::model::Cost(0),
                ..v.costs
            };
            let p = match profiles.iter().position(|c| *c == key) {
                Some(p) => p,
                None => {
                    profiles.push(key);
                    profiles.len() - 1
                }
            };
            vehicle_profile.push(p);
        }
        let mut vehicle_class = Vec::with_capacity(problem.vehicles.len());
        for (i, v) in problem.vehicles.iter().enumerate() {
            let same = |w: &crate::model::Vehicle| {
                (
                    w.start,
                    w.end,
                    w.capacity,
                    w.shift,
                    w.max_duration,
                    w.max_distance,
                    w.costs,
                ) == (
                    v.start,
                    v.end,
                    v.capacity,
                    v.shift,
                    v.max_duration,
                    v.max_distance,
                    v.costs,
                )
            };
            let class = problem.vehicles[..i]
                .iter()
                .position(same)
                .map_or(i, |k| vehicle_class[k]);
            vehicle_class.push(class);
        }
        let unreachable = crate::model::Time::MAX.0;
        let cost = profiles
            .iter()
            .map(|c| {
                dur.iter()
                    .zip(&dist)
                    .map(|(&t, &d)| {
                        if t >= unreachable || d >= unreachable {
                            unreachable
                        } else {
                            c.per_distance * d + c.per_travel_time * t
                        }
                    })
                    .collect()
            })
            .collect();
        let reloading = problem
            .vehicles
            .iter()
            .map(|v| !v.reloads.is_empty())
            .collect();
        let has_release = tasks.iter().any(|t| t.release > 0);
        let width = |t: &Task| -> i64 {
            windows[t.windows.0 as usize..t.windows.1 as usize]
                .iter()
                .map(|&(a, b)| b.saturating_sub(a))
                .fold(0i64, i64::saturating_add)
        };
        let first_width = job_first_task.first().map(|&t| width(&tasks[t as usize]));
        let windows_differ = job_first_task
            .iter()
            .any(|&t| Some(width(&tasks[t as usize])) != first_width);
        let mut inst = Instance {
            problem,
            tasks,
            windows,
            job_first_task,
            n_loc,
            dur,
            dist,
            cost,
            vehicle_profile,
            vehicle_class,
            neighbours: Vec::new(),
            first_reload,
            reloading,
            has_release,
            windows_differ,
        };
        inst.neighbours = inst.nearest(NEIGHBOURS);
        inst
    }

    fn nearest(&self, k: usize) -> Vec<Vec<u32>> {
        use rayon::prelude::*;
        let n = self.tasks.len();
        let c = self.cost.first();
        (0..n)
            .into_par_iter()
            .map(|a| {
                let Some(c) = c else { return Vec::new() };
                let la = self.tasks[a].loc as usize;
                let mut v: Vec<(i64, u32)> = (0..n)
                    .filter(|&b| b != a)
                    .map(|b| {
                        let lb = self.tasks[b].loc as usize;
                        let d = c[la * self.n_loc + lb].min(c[lb * self.n_loc + la]);
                        (d, b as u32)
                    })
                    .collect();
                let k = k.min(v.len());
                if k > 0 && k < v.len() {
                    v.select_nth_unstable(k - 1);
                    v.truncate(k);
                }
                v.sort_unstable();
                v.into_iter().map(|(_, b)| b).collect()
            })
            .collect()
    }

    /// Whether `vehicle` may reload at the place of reload task `task`.
    pub fn may_reload(&self, vehicle: u32, task: u32) -> bool {
        let loc = self.tasks[task as usize].loc;
        self.problem.vehicles[vehicle as usize]
            .reloads
            .iter()
            .any(|l| l.0 == loc)
    }

    /// The trip that starts with `tasks` (up to the next reload): the load it leaves with (its
    /// deliveries and what its shipments keep on board) and the latest release time of its
    /// deliveries (it leaves no earlier).
    pub fn trip(&self, tasks: &[u32]) -> (Load, i64) {
        let mut load = Load::ZERO;
        let mut release = 0;
        for &t in tasks {
            let task = &self.tasks[t as usize];
            if task.reload {
                break;
            }
            load += task.init;
            release = release.max(task.release);
        }
        (load, release)
    }

    /// Whether inserting `task` into a route of `vehicle` must be checked by a full pass
    /// rather than from the caches: some delivery has a release time (a trip's departure
    /// depends on what it carries), or `task` is a reload (it splits a trip, changing the
    /// loads on both sides). A job's task in a route with reloads is checked from the caches:
    /// its loads are kept trip by trip ([`super::route::RouteState::pre_max`]) and its times
    /// pass through a reload as through any stop.
    #[inline]
    pub fn slow(&self, vehicle: u32, task: u32) -> bool {
        self.has_release || (self.reloading[vehicle as usize] && self.tasks[task as usize].reload)
    }

    /// Travel time between locations.
    #[inline]
    pub fn dur(&self, a: u32, b: u32) -> i64 {
        self.dur[a as usize * self.n_loc + b as usize]
    }

    /// Distance between locations.
    #[inline]
    pub fn dist(&self, a: u32, b: u32) -> i64 {
        self.dist[a as usize * self.n_loc + b as usize]
    }

    /// Arc cost between locations for a cost profile.
    #[inline]
    pub fn cost(&self, profile: usize, a: u32, b: u32) -> i64 {
        self.cost[profile][a as usize * self.n_loc + b as usize]
    }

    /// Earliest service start of a task at or after `arrival`.
    #[inline]
    pub fn earliest_start(&self, task: u32, arrival: i64) -> Option<i64> {
        let t = &self.tasks[task as usize];
        let ws = &self.windows[t.windows.0 as usize..t.windows.1 as usize];
        if ws.len() == 1 {
            let (s, e) = ws[0];
            return (arrival <= e).then(|| arrival.max(s));
        }
        ws.iter().find(|w| w.1 >= arrival).map(|w| w.0.max(arrival))
    }

    /// Latest service start of a task at or before `deadline`.
    #[inline]
    pub fn latest_start(&self, task: u32, deadline: i64) -> Option<i64> {
        let t = &self.tasks[task as usize];
        let ws = &self.windows[t.windows.0 as usize..t.windows.1 as usize];
        if ws.len() == 1 {
            let (s, e) = ws[0];
            return (deadline >= s).then(|| deadline.min(e));
        }
        ws.iter()
            .rev()
            .find(|w| w.0 <= deadline)
            .map(|w| w.1.min(deadline))
    }
}
