//! The ranges tournee accepts, so that no sum or product of the solvers can overflow.
//!
//! Every number read from a file, a flag or a setting is checked against these before it enters
//! a problem ([`crate::routing::validate()`] for routing problems, the readers for sizes given
//! in headers, [`crate::plan::settings`] for the settings), and refused with the value, the limit
//! and where it came from. The solvers add and multiply in `i64` without checks: these limits
//! are what makes that safe.
//!
//! | what | at most | why |
//! |---|---|---|
//! | locations of a routing problem | [`MAX_LOCATIONS`] = 20,000 | its two `n x n` matrices take 6.4 GB |
//! | jobs | [`MAX_JOBS`] = 50,000 | |
//! | vehicles | [`MAX_VEHICLES`] = 20,000 | one per customer of the largest CVRPLIB file allowed |
//! | a time, duration or travel time | [`MAX_VALUE`] = 10^12 units | 31,700 years in seconds |
//! | a distance, amount, capacity or cost | [`MAX_VALUE`] = 10^12 units | |
//! | a cost per unit of distance or time | [`MAX_FACTOR`] = 10^6 | |
//! | the longest route, its cost, a load in total | [`MAX_TOTAL`] = 10^18 | `i64` holds 9.2 x 10^18 |
//! | points of a siting problem | [`MAX_POINTS`] = 2,000,000 | |
//!
//! A travel time or distance equal to [`crate::model::Time::MAX`] means "no road" and is not a
//! value; a time window ending at [`crate::model::Time::MAX`] is open.

/// Most locations (rows of a matrix) in a routing problem.
pub const MAX_LOCATIONS: usize = 20_000;
/// Most jobs in a routing problem.
pub const MAX_JOBS: usize = 50_000;
/// Most vehicles in a routing problem.
pub const MAX_VEHICLES: usize = 20_000;
/// Largest time, duration, distance, amount, capacity or cost, in the problem's units.
pub const MAX_VALUE: i64 = 1_000_000_000_000;
/// Largest cost per unit of distance or of travel time.
pub const MAX_FACTOR: i64 = 1_000_000;
/// Largest total a problem may reach (a route's end time, the cost of every route and every
/// job left out together, a load summed over every job).
pub const MAX_TOTAL: i64 = 1_000_000_000_000_000_000;
/// Most points (households) of a siting problem.
pub const MAX_POINTS: usize = 2_000_000;

/// `value` written with thousands separators (`1,000,000`), for messages.
pub fn thousands(value: i128) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_leave_room_for_the_no_road_sentinel() {
        // Three "no road" values and a maximal total still fit in an i64.
        let sentinel = i128::from(i64::MAX / 4);
        assert!(3 * sentinel + i128::from(MAX_TOTAL) < i128::from(i64::MAX));
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(-12_345), "-12,345");
        assert_eq!(thousands(7), "7");
    }
}
