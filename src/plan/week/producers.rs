//! The producers' days (`tournee week --producers FILE`): when each farm hands over what the
//! conciergeries ordered from it.
//!
//! One line per producer, `producer_id,name,days,lead_days`: `producer_id` as `tournee extract`
//! writes it in `producers.csv` (and `demand.csv` in its `producer_id` column), `days` the days
//! it supplies (`tue`, `mon,thu`, `mar jeu`; empty: every day), `lead_days` the whole days it
//! needs between an order and its pickup (0 to 6; empty: 0). `name` is for people and not read.
//! A producer absent from the file supplies every day without delay.
//!
//! An order of day `d` is picked up on the producer's first supply day at least `lead_days`
//! after `d` (round the week, as the orders accumulate). Through the depot
//! (`fleet.fresh_products = "via_depot"`), it is delivered at the site's first passage after
//! the pickup day. Direct, it is picked up on a day that is both a supply day and one of the
//! site's passage days, at least `lead_days` after the order, and brought straight to the
//! site; a site none of whose days is a supply day of the producer cannot get it direct: the
//! order is listed unserved with what to change.

use super::patterns::Pattern;
use crate::io::csv_table::{CsvError, CsvTable, FileError};
use crate::model::Date;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One producer's supply: its days (0 = Monday) and lead time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Supply {
    /// The line of the file (1 = header).
    pub line: u64,
    /// Its supply days of the week, 0 = Monday, sorted.
    pub weekdays: Vec<u8>,
    /// Whole days between an order and its pickup.
    pub lead_days: u32,
}

/// The producers file, read and checked against the territory's producers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProducersFile {
    /// The file.
    pub path: PathBuf,
    /// Supply by producer index (in the territory's producers' order); `None`: every day.
    pub supply: Vec<Option<Supply>>,
    /// Names by producer index, when the file gives one.
    pub names: Vec<Option<String>>,
}

impl ProducersFile {
    /// Whether producer `p` supplies on `date`.
    pub fn supplies(&self, p: usize, date: Date) -> bool {
        self.supply
            .get(p)
            .and_then(Option::as_ref)
            .is_none_or(|s| s.weekdays.contains(&date.weekday()))
    }
}

/// Most lead days (a week less a day).
pub const MAX_LEAD_DAYS: u32 = 6;

/// A producers file that cannot be used.
pub type ProducersError = FileError;

impl ProducersFile {
    /// Reads `path` for the producers whose ids are `ids` (the extract's, in order). Errors
    /// name the file and the line: an unknown producer, a day or lead time that cannot be
    /// read, a producer given twice.
    pub fn read(path: &Path, ids: &[String]) -> Result<ProducersFile, ProducersError> {
        let fail = |line: u64, problem: String| FileError::line(path, line, problem);
        let from_csv = |e: CsvError| FileError::from_csv("producers file", path, e);
        let mut table = CsvTable::open(path).map_err(from_csv)?;
        let c_id = table.column(&["producer_id", "id"]).ok_or_else(|| {
            fail(
                1,
                "no `producer_id` column; the header must be producer_id,name,days,lead_days (ids as in tournee extract's producers.csv)".into(),
            )
        })?;
        let (c_days, c_lead) = (
            table.column(&["days", "jours"]),
            table.column(&["lead_days", "delai_jours", "délai_jours"]),
        );
        let c_name = table.column(&["name", "nom"]);
        if c_days.is_none() && c_lead.is_none() {
            return Err(fail(
                1,
                "neither a `days` nor a `lead_days` column: the file would say nothing; the header must be producer_id,name,days,lead_days".into(),
            ));
        }
        let ix: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(k, s)| (s.as_str(), k))
            .collect();
        let mut supply: Vec<Option<Supply>> = vec![None; ids.len()];
        let mut names: Vec<Option<String>> = vec![None; ids.len()];
        while let Some((record, line)) = table.next_record().map_err(from_csv)? {
            let cell =
                |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
            let id = cell(Some(c_id));
            if id.is_empty() {
                return Err(fail(
                    line,
                    "no producer id: every line names its producer (as in producers.csv)".into(),
                ));
            }
            let &p = ix.get(id).ok_or_else(|| {
                let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                let near = crate::io::words::closest(id, &known);
                fail(
                    line,
                    format!(
                        "producer {id:?} is not a producer of this extract{}; tournee extract lists them in producers.csv",
                        near.map_or(String::new(), |n| format!(" (did you mean {n}?)"))
                    ),
                )
            })?;
            if let Some(first) = &supply[p] {
                return Err(fail(
                    line,
                    format!(
                        "producer {id} is already on line {}: keep one line per producer",
                        first.line
                    ),
                ));
            }
            let weekdays = match cell(c_days) {
                "" => (0..7).collect(),
                d => super::super::sites_file::weekdays(d).ok_or_else(|| {
                    fail(line, format!("{d:?} is not a list of days: write them as tue or mon,thu (or mar, lun jeu)"))
                })?,
            };
            let lead_days = match cell(c_lead) {
                "" => 0,
                v => v
                    .parse::<u32>()
                    .ok()
                    .filter(|&x| x <= MAX_LEAD_DAYS)
                    .ok_or_else(|| {
                        fail(line, format!("lead_days {v:?} must be a whole number of days from 0 to {MAX_LEAD_DAYS}"))
                    })?,
            };
            supply[p] = Some(Supply {
                line,
                weekdays,
                lead_days,
            });
            names[p] = Some(cell(c_name).to_string()).filter(|n| !n.is_empty());
        }
        Ok(ProducersFile {
            path: path.into(),
            supply,
            names,
        })
    }
}

/// One producer's supply over a horizon of `horizon` days from `start`: the days it supplies
/// (a pattern) and its lead time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days {
    /// Its supply days within the horizon.
    pub on: Pattern,
    /// Whole days between an order and its pickup.
    pub lead: u32,
}

impl Days {
    /// Every day, no delay.
    pub fn every(horizon: usize) -> Days {
        Days {
            on: ((1u16 << horizon) - 1) as Pattern,
            lead: 0,
        }
    }

    /// `s` over the horizon of `horizon` days from `start`.
    pub fn of(s: &Supply, start: Date, horizon: usize) -> Days {
        Days {
            on: to_pattern(&s.weekdays, start, horizon),
            lead: s.lead_days,
        }
    }

    /// The day (index, possibly beyond the horizon: round the week) an order of day `d` is
    /// picked up when the pickup must also fall on one of `also` (all days: `!0`); `None`
    /// when no day is both.
    pub fn pickup(&self, d: usize, horizon: usize, also: Pattern) -> Option<usize> {
        let on = self.on & also;
        if on == 0 {
            return None;
        }
        // The lead may pass a whole week or more: the pickup is the first supply day at or
        // after the order's day plus the lead.
        let first = d + self.lead as usize;
        (first..first + horizon).find(|&t| on & (1 << (t % horizon)) != 0)
    }
}

/// The days of the week `weekdays` (0 = Monday) as days of a horizon of `horizon` days from
/// `start`.
pub fn to_pattern(weekdays: &[u8], start: Date, horizon: usize) -> Pattern {
    weekdays
        .iter()
        .filter_map(|&wd| {
            let d = (i64::from(wd) - i64::from(start.weekday())).rem_euclid(7) as usize;
            (d < horizon).then_some(1u8 << d)
        })
        .fold(0, |a, b| a | b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_waits_for_the_next_supply_day_after_the_lead() {
        // Tuesday and Friday of a week from Monday, one day's lead.
        let d = Days {
            on: 0b010010,
            lead: 1,
        };
        assert_eq!(d.pickup(0, 6, !0), Some(1)); // Monday's order: Tuesday
        assert_eq!(d.pickup(1, 6, !0), Some(4)); // Tuesday's: Friday
        assert_eq!(d.pickup(4, 6, !0), Some(7)); // Friday's: next Tuesday (7 = 1 + 6)
        assert_eq!(d.pickup(0, 6, 0b000001), None);
        assert_eq!(d.pickup(0, 6, 0b010000), Some(4));
        assert_eq!(Days::every(6).pickup(3, 6, !0), Some(3));
    }

    #[test]
    fn weekdays_fall_on_the_horizon_from_its_start() {
        let monday = Date::new(2026, 12, 7).unwrap();
        assert_eq!(monday.weekday(), 0);
        assert_eq!(to_pattern(&[1, 4], monday, 6), 0b010010);
        assert_eq!(
            to_pattern(&[6], monday, 6),
            0,
            "Sunday is not in Monday-Saturday"
        );
        let wednesday = monday.plus(2);
        assert_eq!(to_pattern(&[0], wednesday, 7), 1 << 5);
    }
}
