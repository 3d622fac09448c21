//! Progress display: a spinner while a step runs, one line when it ends.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Runs `f` under a spinner labelled `label`, then prints `label ... done in X s` to stderr.
pub fn step<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"));
    bar.set_message(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    let start = Instant::now();
    let out = f();
    bar.finish_and_clear();
    eprintln!("  {label}: {:.2} s", start.elapsed().as_secs_f64());
    out
}
