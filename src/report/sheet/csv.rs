//! The route sheet as a CSV table, one row per stop, for a spreadsheet.

use super::{hhmm, joined, round_to, RouteSheet};
use crate::io::files::{csv_bytes, round7};

/// The stops as CSV, one row per stop in visiting order:
/// `seq,action,name,address,lon,lat,arrival,service_start,departure,window_start,window_end,
/// drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous`. Times are `HH:MM`,
/// `action` is [`Action::code`](super::Action::code), several items are joined with `; `, a
/// missing address or window gives empty cells, and `km_from_previous` is rounded to the metre.
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
    ];
    let rows = sheet.stops.iter().enumerate().map(|(i, s)| {
        let (drop, drop_l) = joined(&s.drop);
        let (pick, pick_l) = joined(&s.pick);
        let window = |f: fn((i64, i64)) -> i64| s.window.map(|w| hhmm(f(w))).unwrap_or_default();
        vec![
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
        ]
    });
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
             window_end,drop,drop_litres,pick,pick_litres,load_after_litres,km_from_previous"
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
                "9.346"
            ]
        );
        assert_eq!(&rows[2][2], "Ferme \"Les Cortals\"");
        assert_eq!(&rows[2][3], "Carretera <General> 2, Encamp");
        assert_eq!((&rows[4][0], &rows[4][1], &rows[4][9]), ("4", "end", ""));
    }
}
