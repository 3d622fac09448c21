//! A vehicle-routing problem: locations with travel matrices, jobs, vehicles.

use super::ids::LocIdx;
use super::load::Load;
use super::units::{Cost, Dist, Time};
use serde::{Deserialize, Serialize};

/// A closed interval of times at which service may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Earliest start of service.
    pub start: Time,
    /// Latest start of service.
    pub end: Time,
}

impl TimeWindow {
    /// Any time at all.
    pub const ALWAYS: TimeWindow = TimeWindow {
        start: Time(0),
        end: Time::MAX,
    };

    /// A window.
    pub const fn new(start: i64, end: i64) -> Self {
        TimeWindow {
            start: Time(start),
            end: Time(end),
        }
    }
}

/// A place where a vehicle stops for a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Row/column in the matrices.
    pub location: LocIdx,
    /// Time spent on site.
    pub service: Time,
    /// When service may start, sorted and disjoint; empty means at any time.
    pub time_windows: Vec<TimeWindow>,
}

impl Stop {
    /// A stop without time window.
    pub fn at(location: usize, service: i64) -> Self {
        Stop {
            location: LocIdx(location as u32),
            service: Time(service),
            time_windows: Vec::new(),
        }
    }

    /// Adds a time window.
    pub fn window(mut self, start: i64, end: i64) -> Self {
        self.time_windows.push(TimeWindow::new(start, end));
        self
    }

    /// The earliest service start at or after `arrival`, if some window allows it.
    #[inline]
    pub fn earliest_start(&self, arrival: Time) -> Option<Time> {
        if self.time_windows.is_empty() {
            return Some(arrival);
        }
        self.time_windows
            .iter()
            .find(|w| w.end >= arrival)
            .map(|w| w.start.max(arrival))
    }

    /// The latest service start at or before `deadline`, if some window allows it.
    #[inline]
    pub fn latest_start(&self, deadline: Time) -> Option<Time> {
        if self.time_windows.is_empty() {
            return Some(deadline);
        }
        self.time_windows
            .iter()
            .rev()
            .find(|w| w.start <= deadline)
            .map(|w| w.end.min(deadline))
    }
}

/// What a job asks of a vehicle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    /// Bring `amount` from the vehicle's start to the stop (parcels to a conciergerie).
    Delivery,
    /// Take `amount` from the stop to the vehicle's end (returns to the depot).
    Pickup,
    /// Take `amount` from the first stop (a farm) to the second (a conciergerie), same vehicle,
    /// pickup first.
    Shipment,
}

/// A job: one stop (delivery, pickup) or two (shipment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The user's identifier.
    pub id: String,
    /// Delivery, pickup or shipment.
    pub kind: JobKind,
    /// One stop, or for a shipment the pickup then the delivery.
    pub stops: Vec<Stop>,
    /// Amount per load dimension.
    pub amount: Load,
    /// Higher is more important: a job of priority `p` left unassigned costs `p + 1` times
    /// its `unassigned_cost`.
    pub priority: u32,
    /// `Some(c)`: the job is optional and leaving it costs `c`; `None`: it is mandatory and is
    /// left unassigned only when no vehicle can serve it.
    pub unassigned_cost: Option<Cost>,
    /// For a delivery: when its goods reach the depot. The trip that carries them leaves (from
    /// the vehicle's start, or from a reload) no earlier. 0 for goods always there.
    #[serde(default)]
    pub release: Time,
}

impl Job {
    /// A delivery to `stop`.
    pub fn delivery(id: impl Into<String>, stop: Stop, amount: Load) -> Self {
        Job {
            id: id.into(),
            kind: JobKind::Delivery,
            stops: vec![stop],
            amount,
            priority: 0,
            unassigned_cost: None,
            release: Time::ZERO,
        }
    }

    /// A pickup at `stop`.
    pub fn pickup(id: impl Into<String>, stop: Stop, amount: Load) -> Self {
        Job {
            kind: JobKind::Pickup,
            ..Job::delivery(id, stop, amount)
        }
    }

    /// A shipment from `pickup` to `delivery`.
    pub fn shipment(id: impl Into<String>, pickup: Stop, delivery: Stop, amount: Load) -> Self {
        Job {
            id: id.into(),
            kind: JobKind::Shipment,
            stops: vec![pickup, delivery],
            amount,
            priority: 0,
            unassigned_cost: None,
            release: Time::ZERO,
        }
    }
}

/// How a vehicle's route is priced: `fixed` if used, plus per unit of distance and of travel time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Costs {
    /// Paid once if the vehicle leaves its depot.
    pub fixed: Cost,
    /// Per distance unit driven.
    pub per_distance: i64,
    /// Per time unit driven (travel time, not waiting nor service).
    pub per_travel_time: i64,
}

impl Costs {
    /// Cost = distance (the benchmark convention).
    pub const DISTANCE: Costs = Costs {
        fixed: Cost(0),
        per_distance: 1,
        per_travel_time: 0,
    };
    /// Cost = travel time (VROOM's convention).
    pub const TRAVEL_TIME: Costs = Costs {
        fixed: Cost(0),
        per_distance: 0,
        per_travel_time: 1,
    };

    /// The cost of one arc.
    #[inline]
    pub fn arc(&self, distance: Dist, time: Time) -> Cost {
        Cost(self.per_distance * distance.0 + self.per_travel_time * time.0)
    }
}

/// A vehicle and its driver's shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// The user's identifier.
    pub id: String,
    /// Where the route starts (`None`: at its first stop).
    pub start: Option<LocIdx>,
    /// Where the route ends (`None`: at its last stop).
    pub end: Option<LocIdx>,
    /// Capacity per load dimension.
    pub capacity: Load,
    /// The route leaves its start no earlier than `shift.start` and reaches its end no later than `shift.end`.
    pub shift: TimeWindow,
    /// Longest route, from leaving the start to reaching the end (waiting and service included).
    pub max_duration: Option<Time>,
    /// Longest distance driven.
    pub max_distance: Option<Dist>,
    /// Pricing.
    pub costs: Costs,
    /// Where the vehicle may return within its shift to unload what it picked up and load the
    /// deliveries of its next trip (multi-trip); empty: one trip, everything loaded at its start.
    #[serde(default)]
    pub reloads: Vec<LocIdx>,
    /// Time a reload takes (service at the reload place).
    #[serde(default)]
    pub reload_time: Time,
}

impl Vehicle {
    /// A vehicle based at `depot`, always available, priced by distance.
    pub fn new(id: impl Into<String>, depot: usize, capacity: Load) -> Self {
        Vehicle {
            id: id.into(),
            start: Some(LocIdx(depot as u32)),
            end: Some(LocIdx(depot as u32)),
            capacity,
            shift: TimeWindow::ALWAYS,
            max_duration: None,
            max_distance: None,
            costs: Costs::DISTANCE,
            reloads: Vec::new(),
            reload_time: Time::ZERO,
        }
    }
}

/// A square matrix, row = from, column = to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SquareMatrix<T> {
    n: usize,
    data: Vec<T>,
}

impl<T: Copy> SquareMatrix<T> {
    /// From row-major data; `None` if `data.len() != n * n`.
    pub fn from_rows(n: usize, data: Vec<T>) -> Option<Self> {
        (data.len() == n * n).then_some(SquareMatrix { n, data })
    }

    /// Fills an `n x n` matrix with `f(from, to)`.
    pub fn from_fn(n: usize, f: impl Fn(usize, usize) -> T) -> Self {
        SquareMatrix {
            n,
            data: (0..n * n).map(|k| f(k / n, k % n)).collect(),
        }
    }

    /// Size.
    pub fn len(&self) -> usize {
        self.n
    }

    /// `true` for a matrix of no location.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Entry `from -> to`.
    #[inline]
    pub fn get(&self, from: LocIdx, to: LocIdx) -> T {
        self.data[from.ix() * self.n + to.ix()]
    }

    /// Every entry, row-major.
    pub fn values(&self) -> &[T] {
        &self.data
    }
}

/// How internal integers convert to the user's units, for display.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    /// Internal units per user unit of distance and time (10 for the DIMACS convention).
    pub per_unit: i64,
}

impl Default for Scale {
    fn default() -> Self {
        Scale { per_unit: 1 }
    }
}

/// A routing problem. Check it with [`crate::routing::validate()`] before solving.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// A name for messages and outputs.
    pub name: String,
    /// Number of load dimensions in use (1 to [`crate::model::MAX_DIMS`]).
    pub dims: usize,
    /// Travel times.
    pub durations: SquareMatrix<Time>,
    /// Travel distances.
    pub distances: SquareMatrix<Dist>,
    /// The jobs.
    pub jobs: Vec<Job>,
    /// The fleet.
    pub vehicles: Vec<Vehicle>,
    /// Display scale.
    pub scale: Scale,
    /// Planar or (longitude, latitude) coordinates of the locations, when known (maps,
    /// benchmark distances); empty otherwise.
    #[serde(default)]
    pub coords: Vec<(f64, f64)>,
}

impl Problem {
    /// A problem on given matrices, with no job and no vehicle yet.
    pub fn new(
        name: impl Into<String>,
        durations: SquareMatrix<Time>,
        distances: SquareMatrix<Dist>,
    ) -> Self {
        Problem {
            name: name.into(),
            dims: 1,
            durations,
            distances,
            jobs: Vec::new(),
            vehicles: Vec::new(),
            scale: Scale::default(),
            coords: Vec::new(),
        }
    }

    /// Number of locations.
    pub fn num_locations(&self) -> usize {
        self.durations.len()
    }
}
