//! Tests of the output folder: a commit killed after each of its steps, on both ways of
//! swapping the folders, leaves a folder that the next run completes; other commands' outputs
//! are kept or refused, never replaced.

use super::*;
use std::collections::BTreeMap;

/// A process id no process has (above Linux's largest, 2^22).
const ENDED: u32 = 4_000_000_000;

/// The files under `dir`, relative path -> text.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else {
                let rel = e.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read_to_string(&e).unwrap());
            }
        }
    }
    out
}

/// The names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// A run of `command` into `out` by the process `pid`, writing `files`, committed until
/// `killed` says so.
fn run(
    out: &Path,
    command: &str,
    pid: u32,
    written: &[(&str, &str)],
    exchange: bool,
    killed: &mut dyn FnMut() -> bool,
) -> Result<(), WriteError> {
    let mut staged = OutputDir::begin_as(out, command, pid)?;
    staged.exchange = exchange;
    for (name, text) in written {
        let p = staged.dir().join(name);
        create_dir(p.parent().unwrap())?;
        write_file(&p, text.as_bytes())?;
    }
    staged.commit_until(killed)
}

/// A plan's output in `out` ("old"), and a week's nested in it.
fn previous(out: &Path) {
    let never = &mut || false;
    run(
        out,
        "plan",
        ENDED,
        &[("a.txt", "old"), ("sites/s.csv", "old")],
        true,
        never,
    )
    .unwrap();
    run(
        &out.join("week"),
        "week",
        ENDED,
        &[("w.txt", "week")],
        true,
        never,
    )
    .unwrap();
}

#[test]
fn issue32_a_commit_killed_after_any_step_is_completed_by_the_next_run() {
    let old = BTreeMap::from([
        (OUTPUT_MARKER.to_string(), "tournee plan\n".to_string()),
        ("a.txt".into(), "old".into()),
        ("sites/s.csv".into(), "old".into()),
        (format!("week/{OUTPUT_MARKER}"), "tournee week\n".into()),
        ("week/w.txt".into(), "week".into()),
    ]);
    let mut new = old.clone();
    new.insert("a.txt".into(), "new".into());
    new.insert("b.txt".into(), "new".into());
    new.remove("sites/s.csv");
    for exchange in [true, false] {
        let mut steps = 0;
        for kill_after in 0.. {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            previous(&out);
            let mut passed = 0;
            let mut killed = || {
                passed += 1;
                passed > kill_after
            };
            run(
                &out,
                "plan",
                ENDED,
                &[("a.txt", "new"), ("b.txt", "new")],
                exchange,
                &mut killed,
            )
            .unwrap();
            let finished = passed <= kill_after;
            // Killed: the folder, when it looks complete, is one whole run with the week.
            if out.exists() && !out.join(INCOMPLETE).exists() {
                let f = files(&out);
                assert!(f == old || f == new, "{exchange} {kill_after}: {f:?}");
            }
            assert!(out.exists() || !exchange, "{kill_after}: no output folder");
            if finished {
                assert_eq!(files(&out), new);
                assert_eq!(names(dir.path()), ["out"]);
                steps = kill_after;
                break;
            }
            // The next run (of any command on this folder) completes or restores it.
            if cfg!(target_os = "linux") {
                drop(OutputDir::begin_as(&out, "plan", 1).unwrap());
                let f = files(&out);
                assert!(f == old || f == new, "{exchange} {kill_after}: {f:?}");
                // Once the new run is in place, it stays.
                if kill_after >= if exchange { 1 } else { 2 } {
                    assert_eq!(f, new, "{exchange} {kill_after}");
                }
                assert_eq!(names(dir.path()), ["out"], "{exchange} {kill_after}");
            }
        }
        // Marker, [set aside], in place, the week moved, complete.
        assert_eq!(steps, if exchange { 4 } else { 5 });
    }
}

#[test]
fn issue32_another_commands_output_or_a_part_of_one_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    previous(&out);
    let before = files(&out);
    let never = &mut || false;
    // A week into the plan's folder, a siting into the plan's own sites/.
    let e = run(&out, "week", ENDED, &[("w.txt", "x")], true, never).unwrap_err();
    assert!(
        e.to_string().contains("holds the output of `tournee plan`"),
        "{e}"
    );
    assert!(e.to_string().contains("out/week"), "{e}");
    let e = run(&out.join("sites"), "sites", ENDED, &[], true, never).unwrap_err();
    assert!(
        e.to_string()
            .contains("part of the output of `tournee plan`"),
        "{e}"
    );
    let e = run(&out.join("sites/deeper"), "sites", ENDED, &[], true, never).unwrap_err();
    assert!(
        e.to_string()
            .contains("part of the output of `tournee plan`"),
        "{e}"
    );
    // A plan whose own folder has the name of a nested output: refused before the swap.
    let e = run(&out, "plan", ENDED, &[("week/x.txt", "x")], true, never).unwrap_err();
    assert!(
        e.to_string().contains("holds the output of `tournee week`"),
        "{e}"
    );
    assert_eq!(files(&out), before);
    // The same commands where they belong.
    run(
        &out.join("week"),
        "week",
        ENDED,
        &[("w.txt", "again")],
        true,
        never,
    )
    .unwrap();
    run(
        &out.join("compare"),
        "compare",
        ENDED,
        &[("c.txt", "c")],
        true,
        never,
    )
    .unwrap();
    run(&out, "plan", ENDED, &[("a.txt", "new")], true, never).unwrap();
    let f = files(&out);
    assert_eq!(f["week/w.txt"], "again");
    assert_eq!(f["compare/c.txt"], "c");
    assert_eq!(f["a.txt"], "new");
}

#[test]
fn a_run_that_fails_leaves_the_previous_output_and_its_own_marked_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    previous(&out);
    let before = files(&out);
    {
        let staged = OutputDir::begin_as(&out, "plan", ENDED).unwrap();
        write_file(&staged.dir().join("half.txt"), b"x").unwrap();
    }
    assert_eq!(files(&out), before);
    let partial = dir.path().join(format!("out.partial-{ENDED}"));
    assert!(std::fs::read_to_string(partial.join(INCOMPLETE))
        .unwrap()
        .contains(&format!("{PROCESS}{ENDED}")));
    // An error before anything is written leaves nothing.
    drop(OutputDir::begin_as(&out, "plan", 7).unwrap());
    assert!(!dir.path().join("out.partial-7").exists());
}
