//! Progress display: a spinner while a step runs, one line when it ends.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Runs `f` under a spinner labelled `label`, then prints `label ... done in X s` to stderr.
pub fn step<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    bar.set_message(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    let start = Instant::now();
    let out = f();
    bar.finish_and_clear();
    eprintln!("  {label}: {:.2} s", start.elapsed().as_secs_f64());
    out
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if the system tells.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
