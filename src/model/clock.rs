//! Times of day and calendar dates, parsed once from what people write (`"07:30"`,
//! `"2026-11-25"`) and carried as values from then on.

use std::fmt;
use std::str::FromStr;

/// A time of day in whole seconds since midnight. It may pass midnight (`25:10` is 1:10 the
/// next morning), as in GTFS timetables, so that a round ending after midnight keeps its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeOfDay(i64);

impl TimeOfDay {
    /// The latest hour [`FromStr`] accepts (`47:59`, the end of the next day).
    pub const MAX_HOUR: i64 = 47;

    /// From seconds since midnight.
    pub const fn from_seconds(seconds: i64) -> TimeOfDay {
        TimeOfDay(seconds)
    }

    /// From hours and minutes.
    pub const fn hm(hours: i64, minutes: i64) -> TimeOfDay {
        TimeOfDay(hours * 3600 + minutes * 60)
    }

    /// Seconds since midnight.
    pub const fn seconds(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    /// `HH:MM`, truncated to the minute (so a service start inside its window never shows after
    /// the window's end); negative times show a sign (`-00:30`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let minutes = self.0.unsigned_abs() / 60;
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

/// Why a text is not a time of day or a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not {what}; write it {format}")]
pub struct ClockParseError {
    /// The text given.
    pub text: String,
    /// "a time of day" or "a date".
    pub what: &'static str,
    /// The format to use, with an example.
    pub format: &'static str,
}

impl FromStr for TimeOfDay {
    type Err = ClockParseError;

    /// `H:MM` or `HH:MM`, hours 0 to 47, minutes 0 to 59.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ClockParseError {
            text: s.to_string(),
            what: "a time of day",
            format: "\"HH:MM\", e.g. \"07:30\"",
        };
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let digits = |t: &str, most: usize| {
            (!t.is_empty() && t.len() <= most && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<i64>().ok())
                .flatten()
        };
        let (h, m) = (digits(h, 2).ok_or_else(bad)?, digits(m, 2).ok_or_else(bad)?);
        if h > Self::MAX_HOUR || m > 59 {
            return Err(bad());
        }
        Ok(TimeOfDay::hm(h, m))
    }
}

/// A calendar date (proleptic Gregorian), always a real one: `2025-02-30` does not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (year 1 to 9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        }
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days_since_epoch`]).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year) - i64::from(self.month <= 2),
            i64::from(self.month),
            i64::from(self.day),
        );
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier if negative).
    pub fn plus(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// The day of the week, 0 = Monday to 6 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }

    /// Tomorrow, by the system clock (UTC).
    pub fn tomorrow() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_days_since_epoch(secs.div_euclid(86_400) + 1)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ClockParseError;

    /// `YYYY-MM-DD`, a date that exists.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ClockParseError {
            text: s.to_string(),
            what: "a date",
            format: "\"YYYY-MM-DD\", e.g. \"2026-11-25\" (a day that exists)",
        };
        let p: Vec<&str> = s.trim().split('-').collect();
        let field = |t: &str, len: usize| {
            (t.len() == len && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<u32>().ok())
                .flatten()
        };
        let [y, m, d] = p[..] else {
            return Err(bad());
        };
        let (y, m, d) = (
            field(y, 4).ok_or_else(bad)?,
            field(m, 2).ok_or_else(bad)?,
            field(d, 2).ok_or_else(bad)?,
        );
        Date::new(y as i32, m, d).ok_or_else(bad)
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::Date;

    #[test]
    fn days_weekdays_and_shifts_agree_with_the_calendar() {
        let d = Date::new(2026, 12, 7).unwrap();
        assert_eq!(d.weekday(), 0, "2026-12-07 is a Monday");
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(d.plus(25).to_string(), "2027-01-01");
        assert_eq!(
            Date::new(2024, 3, 1).unwrap().plus(-1).to_string(),
            "2024-02-29"
        );
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        for k in -800..800 {
            let x = Date::from_days_since_epoch(k * 37);
            assert_eq!(x.days_since_epoch(), k * 37);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day() {
        assert_eq!("07:30".parse(), Ok(TimeOfDay::from_seconds(27_000)));
        assert_eq!("7:05".parse(), Ok(TimeOfDay::hm(7, 5)));
        assert_eq!("47:59".parse(), Ok(TimeOfDay::hm(47, 59)));
        for bad in [
            "24:60", "7h", "", ":30", "07:", "48:00", "-1:00", "07:300", "1e2:00",
        ] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad}");
        }
        assert_eq!(TimeOfDay::hm(7, 30).to_string(), "07:30");
        assert_eq!(TimeOfDay::from_seconds(8 * 3600 + 179).to_string(), "08:02");
        assert_eq!(
            TimeOfDay::from_seconds(25 * 3600 + 600).to_string(),
            "25:10"
        );
        assert_eq!(TimeOfDay::from_seconds(-1800).to_string(), "-00:30");
    }

    #[test]
    fn dates_are_real_days() {
        assert_eq!(
            "2026-11-25".parse::<Date>().unwrap().to_string(),
            "2026-11-25"
        );
        assert!("2024-02-29".parse::<Date>().is_ok());
        for bad in [
            "2025-02-29",
            "2025-02-30",
            "1900-02-29",
            "2025-13-01",
            "2025-04-31",
            "2025-1-01",
            "25-01-01",
            "2025-01-01-01",
            "",
        ] {
            let e = bad.parse::<Date>().unwrap_err();
            assert!(e.to_string().contains("YYYY-MM-DD"), "{bad}: {e}");
        }
        assert!("2000-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn days_since_epoch() {
        let d = |n| Date::from_days_since_epoch(n).to_string();
        assert_eq!(d(0), "1970-01-01");
        assert_eq!(d(20_416), "2025-11-24");
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(-1), "1969-12-31");
    }
}
