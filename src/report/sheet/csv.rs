//! The route sheet as a CSV table, one row per stop, for a spreadsheet.

use super::{hhmm, joined, round_to, RouteSheet};
use crate::io::files::{csv_bytes, round7};

/// The stops as CSV, one row per stop in visiting order:
/// `seq,action,name,address,lon,lat,arrival,service_start,departure,window_start,window_end,
/// drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous`. Times are `HH:MM`,
/// `action` is [`Action::code`](super::Action::code), several items are joined with `; `, a
/// missing address or window gives empty cells, and `km_from_previous` is rounded to the metre.
/// The driver's break is a row of its own after the stop where it is taken, with an empty
/// `seq`, action `break` and its start and end as `service_start` and `departure`.
pub fn csv(sheet: &RouteSheet) -> Vec<u8> {
    let header = [
        "seq",
        "action",
        "name",
        "address",
        "lon",
        "lat",
        "arrival",
        "service_start",
        "departure",
        "window_start",
        "window_end",
        "drop",
        "drop_litres",
        "pick",
        "pick_litres",
        "load_after_litres",
        "km_from_previous",
        "note",
        "host",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, s) in sheet.stops.iter().enumerate() {
        let (drop, drop_l) = joined(&s.drop);
        let (pick, pick_l) = joined(&s.pick);
        let window = |f: fn((i64, i64)) -> i64| s.window.map(|w| hhmm(f(w))).unwrap_or_default();
        rows.push(vec![
            i.to_string(),
            s.action.code().into(),
            s.name.clone(),
            s.address.clone().unwrap_or_default(),
            round7(s.lon).to_string(),
            round7(s.lat).to_string(),
            hhmm(s.arrival),
            hhmm(s.start),
            hhmm(s.departure),
            window(|w| w.0),
            window(|w| w.1),
            drop,
            drop_l.to_string(),
            pick,
            pick_l.to_string(),
            s.load_after.to_string(),
            round_to(s.km_from_previous, 3).to_string(),
            s.note.clone().unwrap_or_default(),
            s.host.clone().unwrap_or_default(),
        ]);
        if let Some(p) = sheet.pause.as_ref().filter(|p| p.after == i) {
            let mut row = vec![String::new(); header.len()];
            row[1] = "break".into();
            row[2] = format!("Break, {} min", (p.end - p.start) / 60);
            (row[4], row[5]) = (round7(s.lon).to_string(), round7(s.lat).to_string());
            (row[6], row[7], row[8]) = (hhmm(p.start), hhmm(p.start), hhmm(p.end));
            row[15] = s.load_after.to_string();
            row[16] = "0".into();
            rows.push(row);
        }
    }
    csv_bytes(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::fixture::sheet;

    #[test]
    fn csv_has_one_row_per_stop_and_parses_back() {
        let s = sheet();
        let bytes = csv(&s);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), s.stops.len() + 1);
        let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header.join(","),
            "seq,action,name,address,lon,lat,arrival,service_start,departure,window_start,\
             window_end,drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous,note,host"
        );
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), s.stops.len());
        assert!(rows.iter().all(|r| r.len() == header.len()));
        let c12: Vec<&str> = rows[1].iter().collect();
        assert_eq!(
            c12,
            [
                "1",
                "delivery",
                "Conciergerie 12 (Mairie d'Ordino) & <Co>",
                "",
                "1.533",
                "42.556",
                "08:02",
                "08:10",
                "08:25",
                "08:10",
                "10:00",
                "12 parcels; 3 crates of bread & eggs",
                "300",
                "",
                "0",
                "500",
                "9.346",
                "",
                ""
            ]
        );
        assert_eq!(&rows[2][2], "Ferme \"Les Cortals\"");
        assert_eq!(&rows[2][3], "Carretera <General> 2, Encamp");
        assert_eq!((&rows[4][0], &rows[4][1], &rows[4][9]), ("4", "end", ""));
    }

    #[test]
    fn the_break_is_a_row_after_its_stop() {
        let mut s = sheet();
        s.pause = Some(crate::report::sheet::SheetPause {
            after: 2,
            on_arrival: false,
            start: 9 * 3600 + 600,
            end: 9 * 3600 + 2400,
        });
        s.stops[3].note = Some("second visit: fresh products".into());
        let bytes = csv(&s);
        let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), s.stops.len() + 1);
        assert_eq!(
            (&rows[3][0], &rows[3][1], &rows[3][7], &rows[3][8]),
            ("", "break", "09:10", "09:40")
        );
        assert_eq!(
            (&rows[4][0], &rows[4][17]),
            ("3", "second visit: fresh products")
        );
    }
}
