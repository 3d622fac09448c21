//! The vocabulary shared by every layer: units and identifiers.
//!
//! Units are integer newtypes so that the compiler keeps metres, seconds and milliseconds apart.
//! They are converted to and from floating-point user units only at the I/O boundary.

pub mod units;

pub use units::{Centimetres, Metres, Millis, Seconds};
