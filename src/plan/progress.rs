//! What a long stage tells the person waiting: a [`Progress`] receives the start and end of each
//! step and the lines worth printing. The library never prints; the command line shows a
//! spinner and timings, a service could log, a test stays [`Quiet`].

use std::time::{Duration, Instant};

/// Receives the steps of a plan as they happen.
pub trait Progress: Sync {
    /// A step starts.
    fn begin(&self, _label: &str) {}
    /// The step `label` ended after `elapsed`.
    fn end(&self, _label: &str, _elapsed: Duration) {}
    /// A line of information (sizes, choices made).
    fn info(&self, _line: &str) {}
}

/// Says nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// Runs `f` as the step `label` of `progress`.
pub fn step<T>(progress: &dyn Progress, label: &str, f: impl FnOnce() -> T) -> T {
    progress.begin(label);
    let start = Instant::now();
    let out = f();
    progress.end(label, start.elapsed());
    out
}
