//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use tournee::osm::{OsmExtract, OsmWay, Tags};

/// A file of the crate's `data/` folder.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// A hand-made village, about 800 m a side, near lon 2.00, lat 45.00:
///
/// ```text
///   6 ==<== 4 ------- 3 -- (private) -- 5        7 --- 8   (an island, unconnected)
///           |         |
///           1 ==>==== 2
/// ```
/// - way 10: 1 -> 2, one-way (`oneway=yes`), residential, 786 m;
/// - way 11: 2 - 3 - 4 - 1, two-way residential, 1112 + 786 + 1112 m;
/// - way 12: 3 - 5, `access=private`: not for vans;
/// - way 13: 4 - 6 tagged `oneway=-1`: only 6 -> 4 may be driven, so 6 cannot be reached and is dropped;
/// - way 14: 7 - 8, an island with no road to the rest.
/// - way 15: 1 - 4 `highway=footway`: walkers only.
pub fn village() -> OsmExtract {
    let nodes = [
        (1, 2.000, 45.000),
        (2, 2.010, 45.000),
        (3, 2.010, 45.010),
        (4, 2.000, 45.010),
        (5, 2.020, 45.010),
        (6, 1.990, 45.010),
        (7, 2.100, 45.100),
        (8, 2.110, 45.100),
    ];
    let way = |id, nodes: &[i64], tags: &[(&str, &str)]| OsmWay {
        id,
        nodes: nodes.to_vec(),
        tags: Tags::from_pairs(tags),
    };
    OsmExtract::from_parts(
        "village fixture",
        &nodes,
        vec![
            way(
                10,
                &[1, 2],
                &[("highway", "residential"), ("oneway", "yes")],
            ),
            way(11, &[2, 3, 4, 1], &[("highway", "residential")]),
            way(
                12,
                &[3, 5],
                &[("highway", "service"), ("access", "private")],
            ),
            way(13, &[4, 6], &[("highway", "residential"), ("oneway", "-1")]),
            way(14, &[7, 8], &[("highway", "residential")]),
            way(15, &[1, 4], &[("highway", "footway")]),
        ],
    )
}

/// Runs the `tournee` binary.
pub fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What the command printed on its error stream.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command failed as user errors do (exit 1, no panic) with `needle` in its
/// message.
pub fn refused(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert!(stderr(o).contains(needle), "{}", stderr(o));
    no_panic(o);
}

/// Asserts that nothing panicked (no panic message, no internal error).
pub fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(
        !e.contains("panicked") && !e.contains("internal error"),
        "{e}"
    );
}

/// The small extract of the tests: Sant Julià de Lòria, 370 dwellings (see data/SOURCES.md).
pub fn small() -> String {
    data("sant-julia-de-loria.osm.pbf").display().to_string()
}
