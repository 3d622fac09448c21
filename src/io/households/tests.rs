//! Tests of the households and candidates readers.

use super::*;

fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("input.csv");
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

fn households(text: &str) -> Result<Vec<HouseholdRow>, HouseholdsError> {
    let (_dir, p) = write(text);
    read_households(&p)
}

fn candidates(text: &str) -> Result<Vec<CandidateRow>, HouseholdsError> {
    let (_dir, p) = write(text);
    read_candidates(&p)
}

fn message(r: Result<impl std::fmt::Debug, HouseholdsError>) -> (HouseholdsError, String) {
    let e = r.unwrap_err();
    let m = e.to_string();
    assert!(m.contains("input.csv"), "the file is named: {m}");
    (e, m)
}

#[test]
fn reads_households_in_any_column_order() {
    let rows = households("lat,foyers,id,lon\n45.5,3,way/12,4.25\n\n45.6,,node/7,4.26\n").unwrap();
    assert_eq!(
        rows,
        vec![
            HouseholdRow {
                id: "way/12".into(),
                lon: 4.25,
                lat: 45.5,
                foyers: 3,
                line: 2
            },
            HouseholdRow {
                id: "node/7".into(),
                lon: 4.26,
                lat: 45.6,
                foyers: 1,
                line: 4
            },
        ]
    );
}

#[test]
fn foyers_default_to_one_and_weight_is_a_synonym() {
    let rows = households("id,lon,lat\na,4.25,45.5\n").unwrap();
    assert_eq!(rows[0].foyers, 1);
    let rows = households("id,lon,lat,Weight\na,4.25,45.5,2.0\n").unwrap();
    assert_eq!(rows[0].foyers, 2);
}

#[test]
fn semicolons_decimal_commas_and_bom() {
    let rows = households("\u{feff}id;lon;lat;foyers\na;4,25;45,5;2\n").unwrap();
    assert_eq!((rows[0].lon, rows[0].lat, rows[0].foyers), (4.25, 45.5, 2));
}

#[test]
fn blank_lines_keep_line_numbers_right() {
    let (e, m) = message(households(
        "id,lon,lat\r\n\r\na,4.25,45.5\r\n\r\n\r\nb,x,45.5\r\n",
    ));
    assert!(
        matches!(e, HouseholdsError::NotANumber { line: 6, .. }),
        "{m}"
    );
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_households(&dir.path().join("input.csv")).unwrap_err();
    assert!(matches!(e, HouseholdsError::Io { .. }), "{e}");
    assert!(e.to_string().contains("input.csv"), "{e}");
}

#[test]
fn missing_column() {
    let (e, m) = message(households("id,lon,latitude_x\na,4.25,45.5\n"));
    assert!(
        matches!(e, HouseholdsError::MissingColumn { column: "lat", .. }),
        "{m}"
    );
    assert!(
        m.contains("line 1") && m.contains("id,lon,lat,foyers"),
        "{m}"
    );
}

#[test]
fn unparsable_number() {
    let (e, m) = message(households("id,lon,lat\na,4.25,45.5\nb,east,45.5\n"));
    assert!(
        matches!(
            e,
            HouseholdsError::NotANumber {
                line: 3,
                column: "lon",
                ..
            }
        ),
        "{m}"
    );
    assert!(m.contains("line 3") && m.contains("east"), "{m}");
}

#[test]
fn coordinates_out_of_range() {
    let (e, m) = message(households("id,lon,lat\na,45.5,142.5\n"));
    assert!(
        matches!(e, HouseholdsError::OutOfRange { line: 2, .. }),
        "{m}"
    );
    assert!(m.contains("swapped"), "{m}");
}

#[test]
fn foyers_must_be_whole_and_at_least_one() {
    for bad in ["0", "-2", "1.5", "two", "10001", "9223372036854775807"] {
        let (e, m) = message(households(&format!(
            "id,lon,lat,foyers\na,4.25,45.5,{bad}\n"
        )));
        assert!(
            matches!(e, HouseholdsError::BadFoyers { line: 2, .. }),
            "{m}"
        );
        assert!(
            m.contains("whole number from 1 to 10,000") && m.contains(bad),
            "{m}"
        );
    }
}

#[test]
fn duplicate_id_names_both_lines() {
    let (e, m) = message(households(
        "id,lon,lat\na,4.25,45.5\nb,4.25,45.5\na,4.3,45.5\n",
    ));
    assert!(
        matches!(
            e,
            HouseholdsError::DuplicateId {
                line: 4,
                first: 2,
                ..
            }
        ),
        "{m}"
    );
    assert!(m.contains("line 4") && m.contains("line 2"), "{m}");
}

#[test]
fn empty_files() {
    for text in ["", "id,lon,lat\n", "id,lon,lat\n,,\n"] {
        let (e, m) = message(households(text));
        assert!(matches!(e, HouseholdsError::Empty { .. }), "{text:?}: {m}");
    }
    let (_, m) = message(candidates("id,lon,lat\n"));
    assert!(m.contains("candidate place"), "{m}");
}

#[test]
fn empty_required_cell_and_broken_line() {
    let (e, m) = message(households("id,lon,lat\na,,45.5\n"));
    assert!(matches!(e, HouseholdsError::BadLine { line: 2, .. }), "{m}");
    let (e, m) = message(households("id,lon,lat\na,4.25,45.5\nb,4.25\n"));
    assert!(matches!(e, HouseholdsError::BadLine { line: 3, .. }), "{m}");
}

#[test]
fn reads_candidates_with_optional_bounds() {
    let rows = candidates(
        "id,name,lon,lat,min,max\nmairie,Mairie de Vaux,4.25,45.5,30,60\nepicerie,,4.3,45.6,,\n",
    )
    .unwrap();
    assert_eq!(
        rows[0],
        CandidateRow {
            id: "mairie".into(),
            name: Some("Mairie de Vaux".into()),
            lon: 4.25,
            lat: 45.5,
            min: Some(30),
            max: Some(60),
            line: 2
        }
    );
    assert_eq!(
        (rows[1].name.as_deref(), rows[1].min, rows[1].max),
        (None, None, None)
    );
    let rows = candidates("id,lon,lat\nx,4.25,45.5\n").unwrap();
    assert_eq!(
        (rows[0].name.as_deref(), rows[0].min, rows[0].max),
        (None, None, None)
    );
}

#[test]
fn candidate_errors() {
    let (e, m) = message(candidates("id,lon,lat,min,max\na,4.25,45.5,60,40\n"));
    assert!(
        matches!(e, HouseholdsError::BadBounds { line: 2, .. }),
        "{m}"
    );
    assert!(m.contains("min 60 is above max 40"), "{m}");
    for (min, max) in [("-1", ""), ("", "0"), ("4.5", ""), ("", "many")] {
        let (e, m) = message(candidates(&format!(
            "id,lon,lat,min,max\na,4.25,45.5,{min},{max}\n"
        )));
        assert!(
            matches!(e, HouseholdsError::BadBounds { line: 2, .. }),
            "{m}"
        );
    }
    let (e, m) = message(candidates("id,lon,lat\na,4.25,45.5\na,4.25,45.5\n"));
    assert!(
        matches!(
            e,
            HouseholdsError::DuplicateId {
                line: 3,
                first: 2,
                ..
            }
        ),
        "{m}"
    );
    let (e, m) = message(candidates("id,lon\na,4.25\n"));
    assert!(
        matches!(e, HouseholdsError::MissingColumn { column: "lat", .. }),
        "{m}"
    );
}
#[test]
fn places_from_rows() {
    let row = CandidateRow {
        id: "mairie".into(),
        name: Some("Mairie".into()),
        lon: 4.0,
        lat: 45.0,
        min: None,
        max: Some(60),
        line: 2,
    };
    assert_eq!(
        crate::sites::summary::Place::from(&row),
        crate::sites::summary::Place {
            id: "mairie".into(),
            name: Some("Mairie".into()),
            lon: 4.0,
            lat: 45.0
        }
    );
    let row = HouseholdRow {
        id: "way/1".into(),
        lon: 4.0,
        lat: 45.0,
        foyers: 2,
        line: 2,
    };
    assert_eq!(crate::sites::summary::Place::from(&row).name, None);
}

#[test]
fn issue32_an_id_with_the_parts_separator_is_refused_with_its_line() {
    // `x#1` would collide with the first part of a large building `x`.
    type Read = fn(&str) -> Result<(), HouseholdsError>;
    let readers: [Read; 2] = [
        |t: &str| households(t).map(|_| ()),
        |t: &str| candidates(t).map(|_| ()),
    ];
    for read in readers {
        let (e, m) = message(read(
            "id,lon,lat,foyers\nx,4.25,45.5,100\nx#1,4.25,45.5,1\n",
        ));
        assert!(matches!(e, HouseholdsError::BadLine { line: 3, .. }), "{m}");
        assert!(m.contains("\"x#1\"") && m.contains("\"x-1\""), "{m}");
    }
    // No id that a file can hold is the id of a part.
    let rows = households("id,lon,lat\nx,4.25,45.5\nx-1,4.25,45.5\n").unwrap();
    for r in &rows {
        assert!(rows.iter().all(|o| o.id != part_id(&r.id, 1)));
    }
}
