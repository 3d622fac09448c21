//! A solution's timeline: where each vehicle is when, with its load and the distance driven.
//! [`crate::routing::check::check`] computes it from the problem alone, and every writer reads
//! it, so what a person reads is what was checked.

use super::{Cost, Dist, Load, LocIdx, Time, VehicleIdx, Visit};

/// One stop of a checked route.
#[derive(Clone, Debug, PartialEq)]
pub struct StepReport {
    /// The visit, or `None` for the route's start and end and for a reload.
    pub visit: Option<Visit>,
    /// Where.
    pub location: Option<LocIdx>,
    /// Arrival time.
    pub arrival: Time,
    /// Waiting before service.
    pub waiting: Time,
    /// Service duration.
    pub service: Time,
    /// Load on board after the stop.
    pub load: Load,
    /// Distance driven since the start.
    pub distance: Dist,
    /// A reload (multi-trip): a return to a reload place, `service` its duration.
    pub reload: bool,
}

/// A checked route.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteReport {
    /// The vehicle.
    pub vehicle: VehicleIdx,
    /// Start, visits, end.
    pub steps: Vec<StepReport>,
    /// Distance driven.
    pub distance: Dist,
    /// Time driving.
    pub travel_time: Time,
    /// Time waiting.
    pub waiting: Time,
    /// Time serving.
    pub service: Time,
    /// From leaving the start to reaching the end.
    pub duration: Time,
    /// Fixed plus distance and time costs.
    pub cost: Cost,
}

/// A checked solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every route.
    pub routes: Vec<RouteReport>,
    /// Cost of the routes plus the cost of optional jobs left out.
    pub cost: Cost,
    /// Sum of route distances.
    pub distance: Dist,
    /// Sum of route travel times.
    pub travel_time: Time,
    /// Mandatory jobs left out.
    pub unassigned_mandatory: usize,
}
