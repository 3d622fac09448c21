//! A route with the caches that make insertion checks O(1): earliest and latest service starts,
//! loads and their prefix and suffix maxima, cumulative distance.
//!
//! Positions: 0 is the vehicle's start, `1..=m` the tasks, `m + 1` its end. A start or end
//! without location has `loc == NONE`, and arcs to or from it are free and instantaneous.

use super::instance::{Instance, NONE};
use crate::model::Load;

/// A vehicle's route and its caches.
#[derive(Clone, Debug)]
pub struct RouteState {
    /// The vehicle.
    pub vehicle: u32,
    /// Its cost profile.
    pub profile: usize,
    /// Its tasks, in order.
    pub tasks: Vec<u32>,
    /// Location per position.
    pub loc: Vec<u32>,
    /// Earliest service start per position (position 0: departure).
    pub earliest: Vec<i64>,
    /// Latest service start per position for the rest of the route to stay feasible.
    pub latest: Vec<i64>,
    /// Load on board after each position.
    pub load: Vec<Load>,
    /// `max(load[s..=i])`, `s` the start of `i`'s trip (the route's start, or its last reload).
    pub pre_max: Vec<Load>,
    /// `max(load[i..=e])`, `e` the end of `i`'s trip (before the next reload, or the route's end).
    pub suf_max: Vec<Load>,
    /// The largest load on board anywhere in the route.
    pub max_load: Load,
    /// What the rest of `p`'s trip delivers: the `init` of its tasks after `p`, up to the
    /// next reload (the load a new trip opened right after `p` would leave with).
    pub init_after: Vec<Load>,
    /// What `p`'s trip has picked up by `p` to unload at its reload (pickup jobs up to `p`).
    pub unload_upto: Vec<Load>,
    /// Distance from the start to each position.
    pub dist_to: Vec<i64>,
    /// Sum of arc costs (no fixed cost).
    pub arc_cost: i64,
}

impl RouteState {
    /// An empty route for `vehicle`.
    pub fn new(inst: &Instance, vehicle: u32) -> Self {
        let mut r = RouteState {
            vehicle,
            profile: inst.vehicle_profile[vehicle as usize],
            tasks: Vec::new(),
            loc: Vec::new(),
            earliest: Vec::new(),
            latest: Vec::new(),
            load: Vec::new(),
            pre_max: Vec::new(),
            suf_max: Vec::new(),
            max_load: Load::ZERO,
            init_after: Vec::new(),
            unload_upto: Vec::new(),
            dist_to: Vec::new(),
            arc_cost: 0,
        };
        r.update(inst);
        r
    }

    /// Number of tasks.
    #[inline]
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// `true` if the route serves nothing.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Cost of the route including the vehicle's fixed cost (0 when empty).
    pub fn cost(&self, inst: &Instance) -> i64 {
        if self.is_empty() {
            0
        } else {
            self.arc_cost + inst.problem.vehicles[self.vehicle as usize].costs.fixed.0
        }
    }

    /// Task at position `p` (1-based), or `NONE` for the start and end.
    #[inline]
    fn task_at(&self, p: usize) -> u32 {
        if p == 0 || p > self.tasks.len() {
            NONE
        } else {
            self.tasks[p - 1]
        }
    }

    /// Service time at position `p`.
    #[inline]
    pub fn service_at(&self, inst: &Instance, p: usize) -> i64 {
        match self.task_at(p) {
            NONE => 0,
            t => inst.tasks[t as usize].service,
        }
    }

    /// Recomputes every cache. O(m).
    pub fn update(&mut self, inst: &Instance) {
        let v = &inst.problem.vehicles[self.vehicle as usize];
        let m = self.tasks.len();
        let n = m + 2;
        self.loc.clear();
        self.loc.push(v.start.map_or(NONE, |l| l.0));
        self.loc
            .extend(self.tasks.iter().map(|&t| inst.tasks[t as usize].loc));
        self.loc.push(v.end.map_or(NONE, |l| l.0));
        // Loads, trip by trip: a trip starts loaded with its deliveries (and what shipments
        // keep on board); a reload unloads the pickups of the trip that ends.
        // `release[p]`: at the start (p = 0) and at each reload, when the trip that begins
        // there may leave (its deliveries' latest release time).
        let is_reload =
            |p: usize| p >= 1 && p <= m && inst.tasks[self.tasks[p - 1] as usize].reload;
        let mut release = vec![0i64; n];
        let (mut l, first_release) = inst.trip(&self.tasks);
        release[0] = first_release;
        let mut unload = Load::ZERO;
        self.load.clear();
        self.load.push(l);
        for (k, &t) in self.tasks.iter().enumerate() {
            let task = &inst.tasks[t as usize];
            if task.reload {
                let (next, r) = inst.trip(&self.tasks[k + 1..]);
                l = l - unload + next;
                release[k + 1] = r;
                unload = Load::ZERO;
            } else {
                l += task.delta;
                if task.unload_at_reload {
                    unload += task.delta;
                }
            }
            self.load.push(l);
        }
        self.load.push(l);
        self.pre_max.clear();
        let mut mx = self.load[0];
        for (p, x) in self.load.iter().enumerate() {
            mx = if is_reload(p) { *x } else { mx.max(x) };
            self.pre_max.push(mx);
        }
        self.max_load = self.load.iter().fold(Load::ZERO, |a, x| a.max(x));
        // Trip sums for opening a new trip inside one (a reload inserted after `p`).
        self.unload_upto.clear();
        let mut u = Load::ZERO;
        for p in 0..n {
            match self.task_at(p) {
                NONE => {}
                t if inst.tasks[t as usize].reload => u = Load::ZERO,
                t if inst.tasks[t as usize].unload_at_reload => u += inst.tasks[t as usize].delta,
                _ => {}
            }
            self.unload_upto.push(u);
        }
        self.init_after.clear();
        self.init_after.resize(n, Load::ZERO);
        let mut a = Load::ZERO;
        for p in (0..n).rev() {
            self.init_after[p] = a;
            match self.task_at(p) {
                NONE => {}
                t if inst.tasks[t as usize].reload => a = Load::ZERO,
                t => a += inst.tasks[t as usize].init,
            }
        }
        self.suf_max.clear();
        self.suf_max.resize(n, Load::ZERO);
        let mut mx = self.load[n - 1];
        for i in (0..n).rev() {
            mx = if is_reload(i + 1) {
                self.load[i]
            } else {
                mx.max(&self.load[i])
            };
            self.suf_max[i] = mx;
        }
        // Times, distances and costs forward.
        self.earliest.clear();
        self.dist_to.clear();
        let mut time = v.shift.start.0.max(release[0]);
        let mut dist = 0;
        let mut cost = 0;
        self.earliest.push(time);
        self.dist_to.push(0);
        for (p, &trip_release) in release.iter().enumerate().skip(1) {
            let (a, b) = (self.loc[p - 1], self.loc[p]);
            let arrival = time + self.service_at(inst, p - 1) + arc(inst, &inst.dur, a, b);
            dist += arc(inst, &inst.dist, a, b);
            cost += arc(inst, &inst.cost[self.profile], a, b);
            time = match self.task_at(p) {
                NONE => arrival,
                t => inst
                    .earliest_start(t, arrival.max(trip_release))
                    .unwrap_or(i64::MAX / 4),
            };
            self.earliest.push(time);
            self.dist_to.push(dist);
        }
        self.arc_cost = cost;
        // Latest starts backward.
        self.latest.clear();
        self.latest.resize(n, 0);
        let mut deadline = v.shift.end.0;
        self.latest[n - 1] = deadline;
        for p in (0..n - 1).rev() {
            let travel = arc(inst, &inst.dur, self.loc[p], self.loc[p + 1]);
            deadline = deadline - travel - self.service_at(inst, p);
            deadline = match self.task_at(p) {
                NONE => deadline,
                t => inst.latest_start(t, deadline).unwrap_or(i64::MIN / 4),
            };
            self.latest[p] = deadline;
        }
    }

    /// `true` if the cached schedule is feasible (times, loads, limits).
    pub fn feasible(&self, inst: &Instance) -> bool {
        let v = &inst.problem.vehicles[self.vehicle as usize];
        let n = self.loc.len();
        (0..n).all(|p| self.earliest[p] <= self.latest[p])
            && self.max_load.fits(&v.capacity)
            && !self.load.iter().any(Load::any_negative)
            && v.max_distance.is_none_or(|m| self.dist_to[n - 1] <= m.0)
            && v.max_duration.is_none_or(|m| self.duration(inst) <= m.0)
    }

    /// Shortest duration of the route: from the latest departure that keeps the earliest
    /// schedule, to the arrival at its end. O(m).
    pub fn duration(&self, inst: &Instance) -> i64 {
        let n = self.loc.len();
        let end = self.earliest[n - 1];
        end - self.departure(inst)
    }

    /// The departure time to report: as late as possible without making the route longer,
    /// that is without delaying any service start of the earliest schedule.
    pub fn departure(&self, inst: &Instance) -> i64 {
        // Walk back from the end: the latest start at each position that keeps the end at its
        // earliest time.
        let n = self.loc.len();
        let mut deadline = self.earliest[n - 1];
        for p in (0..n - 1).rev() {
            let travel = arc(inst, &inst.dur, self.loc[p], self.loc[p + 1]);
            deadline = deadline - travel - self.service_at(inst, p);
            deadline = match self.task_at(p) {
                NONE => deadline,
                t => inst.latest_start(t, deadline).unwrap_or(self.earliest[p]),
            };
            deadline = deadline.max(self.earliest[p]);
        }
        deadline.min(self.latest[0]).max(self.earliest[0])
    }
}

/// An arc between two locations in a row-major matrix; free when either end is `NONE`.
#[inline]
pub fn arc(inst: &Instance, m: &[i64], a: u32, b: u32) -> i64 {
    if a == NONE || b == NONE {
        0
    } else {
        m[a as usize * inst.n_loc + b as usize]
    }
}
