//! A solution: routes as ordered visits, and the jobs left out with their reason.

use super::ids::{JobIdx, VehicleIdx};
use super::units::Time;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One stop of a route: a job's stop (`stop` is 0, or 1 for a shipment's delivery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Visit {
    /// The job.
    pub job: JobIdx,
    /// Which of its stops.
    pub stop: u8,
}

/// A vehicle's route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The vehicle.
    pub vehicle: VehicleIdx,
    /// When it leaves its start.
    pub departure: Time,
    /// The stops, in order (start and end excluded).
    pub visits: Vec<Visit>,
    /// Reloads (multi-trip), in order: each is made before `visits[before]` (and after the visit
    /// before it), at the vehicle's reload place `at`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reloads: Vec<Reload>,
}

/// A return to a reload place within a route: unload what was picked up, load the next trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reload {
    /// The index of the visit it comes before (1 to the number of visits - 1).
    pub before: usize,
    /// Where.
    pub at: super::ids::LocIdx,
}

/// Why a job is not in any route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Its amount exceeds every vehicle's capacity.
    Capacity,
    /// No vehicle can reach it within its time windows (even alone in a route).
    TimeWindow,
    /// No vehicle can serve it and come back within its shift.
    Shift,
    /// Serving it alone would exceed every vehicle's maximum route duration.
    MaxDuration,
    /// Serving it alone would exceed every vehicle's maximum distance.
    MaxDistance,
    /// No road leads there from a vehicle's start, or back to its end.
    Unreachable,
    /// It fits a vehicle alone, but not together with the other jobs (the fleet is full).
    NoRoom,
    /// It is optional and serving it would cost more than leaving it.
    NotWorthIt,
}

impl Reason {
    /// A sentence for people, saying what to change.
    pub fn explain(self) -> &'static str {
        match self {
            Reason::Capacity => "its load is larger than every vehicle's capacity: split it or use a larger vehicle",
            Reason::TimeWindow => "no vehicle can get there within its time windows: widen the windows or start earlier",
            Reason::Shift => "no vehicle can serve it and return within its shift: lengthen the shift",
            Reason::MaxDuration => "serving it alone exceeds every vehicle's maximum route duration",
            Reason::MaxDistance => "serving it alone exceeds every vehicle's maximum distance",
            Reason::Unreachable => "no road leads there from a depot, or back",
            Reason::NoRoom => "it fits a vehicle alone but not with the other jobs: add a vehicle or lengthen shifts",
            Reason::NotWorthIt => "it is optional and serving it costs more than leaving it",
        }
    }

    /// The short code used in files.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Capacity => "capacity",
            Reason::TimeWindow => "time_window",
            Reason::Shift => "shift",
            Reason::MaxDuration => "max_duration",
            Reason::MaxDistance => "max_distance",
            Reason::Unreachable => "unreachable",
            Reason::NoRoom => "no_room",
            Reason::NotWorthIt => "not_worth_it",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A job left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The job.
    pub job: JobIdx,
    /// Why.
    pub reason: Reason,
}

/// Routes (only vehicles that are used) and unassigned jobs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// The routes, one per used vehicle.
    pub routes: Vec<Route>,
    /// Jobs in no route.
    pub unassigned: Vec<Unassigned>,
}
