//! The vocabulary shared by every layer: units, identifiers, times of day and dates, geometry,
//! routing problems, solutions and their checked timelines.
//!
//! Units are integer newtypes so that the compiler keeps metres, seconds and milliseconds apart.
//! They are converted to and from floating-point user units only at the I/O boundary.

pub mod clock;
pub mod geo;
pub mod guard;
pub mod ids;
pub mod lang;
pub mod limits;
pub mod load;
pub mod problem;
pub mod schedule;
pub mod solution;
pub mod units;

pub use clock::{Date, TimeOfDay};
pub use geo::{LonLat, Projection};
pub use ids::{JobIdx, LocIdx, VehicleIdx};
pub use lang::Lang;
pub use load::{Load, MAX_DIMS};
pub use problem::{Costs, Job, JobKind, Problem, Scale, SquareMatrix, Stop, TimeWindow, Vehicle};
pub use solution::{Reason, Reload, Route, Solution, Unassigned, Visit};
pub use units::{Centimetres, Cost, Dist, Metres, Millis, Seconds, Time};
