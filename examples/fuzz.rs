//! The mutation fuzzer on stable Rust: every reader of `tournee::fuzz` fed mutations of its
//! seed files (`tests/fuzz/seeds/<target>/` and the inputs that once failed,
//! `tests/fuzz/regressions/<target>/`), each input in its own thread with a time limit.
//! Prints a line per target (executions, seconds, failures) and exits 1 on a panic, a hang or
//! an internal error; a failing input is written to `--found DIR/<target>/` to be kept as a
//! regression.
//!
//! ```text
//! cargo run --release --example fuzz -- [--seconds 120] [--seed 1] [--found DIR] [TARGET...]
//! ```
//! `--seconds` is the whole campaign's time, shared equally among the targets. Memory is capped
//! at 6 GB: an input that would take more aborts the process, and
//! `DIR/<target>/.current` is that input.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tournee::fuzz::{harness, TARGETS};

/// The system allocator, refusing to hold more than [`CAP`] bytes at once.
struct Capped;

const CAP: usize = 6 << 30;
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size() > CAP {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Capped = Capped;

fn main() -> ExitCode {
    let mut seconds = 120.0;
    let mut seed = 1;
    let mut found = PathBuf::from("target/fuzz-found");
    let mut names = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{flag} needs a value"))
        };
        match a.as_str() {
            "--seconds" => seconds = value("--seconds").parse().expect("--seconds: a number"),
            "--seed" => seed = value("--seed").parse().expect("--seed: a whole number"),
            "--found" => found = PathBuf::from(value("--found")),
            name => names.push(name.to_string()),
        }
    }
    let targets: Vec<_> = if names.is_empty() {
        TARGETS.iter().collect()
    } else {
        names
            .iter()
            .map(|n| tournee::fuzz::target(n).unwrap_or_else(|| panic!("no target {n}")))
            .collect()
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let share = seconds / targets.len() as f64;
    println!("| target | seeds | executions | seconds | failures |");
    println!("|---|---|---|---|---|");
    let mut failed = false;
    for t in targets {
        let seeds: Vec<Vec<u8>> = harness::seeds(&dir, t).into_iter().map(|s| s.1).collect();
        let c = harness::Campaign {
            seconds: share,
            executions: u64::MAX,
            seed,
            limit: Duration::from_secs(30),
            found: Some(found.clone()),
        };
        let r = harness::campaign(t, &seeds, &c);
        println!(
            "| {} | {} | {} | {:.0} | {} |",
            t.name,
            seeds.len(),
            r.executions,
            r.seconds,
            r.failures.len()
        );
        for (v, file) in &r.failures {
            failed = true;
            eprintln!(
                "  {} {}: {} ({})",
                t.name,
                v.kind(),
                v.message(),
                file.as_ref()
                    .map_or(String::new(), |f| f.display().to_string())
            );
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
