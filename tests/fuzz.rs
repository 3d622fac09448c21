//! The fuzz targets (`tournee::fuzz`) in the test suite: every input that once crashed, hung or
//! was answered wrongly (`tests/fuzz/regressions/<target>/`) is now refused or accepted cleanly,
//! and a fixed set of mutations of each target's seeds is too. The long campaigns run in
//! `.ci/fuzz` (cargo fuzz, or `examples/fuzz.rs` on stable Rust).

use std::path::PathBuf;
use std::time::Duration;
use tournee::fuzz::{harness, TARGETS};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

#[test]
fn every_input_that_once_failed_is_now_handled_cleanly() {
    let mut replayed = 0;
    for t in TARGETS {
        let Ok(entries) = std::fs::read_dir(dir().join("regressions").join(t.name)) else {
            continue;
        };
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            let v = harness::judge(t, bytes, Duration::from_secs(120));
            assert!(!v.failed(), "{} {}: {:?}", t.name, e.path().display(), v);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression input found");
}

#[test]
fn every_target_has_seeds_and_handles_their_mutations_cleanly() {
    for t in TARGETS {
        let seeds: Vec<Vec<u8>> = harness::seeds(&dir(), t).into_iter().map(|s| s.1).collect();
        assert!(!seeds.is_empty(), "{}: no seed", t.name);
        // The seeds themselves are accepted cleanly.
        for s in &seeds {
            let v = harness::judge(t, s.clone(), Duration::from_secs(120));
            assert!(!v.failed(), "{} seed: {v:?}", t.name);
        }
        let c = harness::Campaign {
            seconds: f64::INFINITY,
            executions: 150,
            seed: 7,
            limit: Duration::from_secs(120),
            found: None,
        };
        let r = harness::campaign(t, &seeds, &c);
        assert_eq!(r.executions, 150);
        assert!(r.failures.is_empty(), "{}: {:?}", t.name, r.failures);
    }
}
