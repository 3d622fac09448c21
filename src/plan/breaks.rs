//! The driver's break: `fleet.break_minutes` after at most `fleet.break_after_hours` of work.
//!
//! The solver has no notion of a break, so the rounds are solved on a problem that keeps room
//! for one ([`reserve`]), and the break is then placed in each checked route ([`place`]):
//!
//! - Let `W` be the shift start plus the work allowed before the break (13:00 for 07:00 and
//!   6 h) and `B` the break. For the solver, every time window that ends after `W - K`
//!   (`K`: the longest handling at one place) ends `B` earlier, and so does every van's
//!   shift.
//! - A route longer than the work allowed gets its break in a wait of at least `B` when one
//!   comes early enough (no stop moves), else just before the visit during which `W` would be
//!   passed. Every later service start then moves by at most `B` and each of them had its
//!   window shortened by `B`, so every original window and the shift still hold.
//! - Work after the break is at most the shift minus `W` minus `B`, which the settings keep
//!   within the rule (one break per shift: see [`crate::plan::settings`]).
//!
//! [`verify`] checks the result against the original windows, independently of how the break
//! was placed. The price: routes shorter than the rule give up `B` at the end of their late
//! windows, which a solver with breaks built in would not.

use crate::model::{Problem, Time, TimeWindow};
use crate::routing::check::{Report, RouteReport};

/// The break rule, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Length of the break.
    pub length: i64,
    /// Work allowed before it (and after it).
    pub after: i64,
}

/// A break placed in a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    /// Index in the route's steps of the step it comes before.
    pub before_step: usize,
    /// When it starts, seconds since midnight.
    pub start: i64,
    /// Its length, seconds.
    pub length: i64,
}

/// Latest start of a break in a shift starting at `shift_start`.
fn latest(rule: Rule, shift_start: i64) -> i64 {
    shift_start + rule.after
}

/// The windows the solver sees: those ending after `W - handling` end `rule.length` earlier
/// (never before they open), for vans whose shift starts at `shift_start`. `handling` is the
/// longest time spent serving at one place. The vans' shifts are shortened by the caller
/// ([`shift_end`]).
pub fn reserve(p: &mut Problem, rule: Rule, handling: i64, shift_start: i64) {
    if rule.length <= 0 {
        return;
    }
    let w = latest(rule, shift_start);
    for job in &mut p.jobs {
        for stop in &mut job.stops {
            for tw in &mut stop.time_windows {
                if tw.end.0 > w - handling {
                    *tw = TimeWindow::new(tw.start.0, (tw.end.0 - rule.length).max(tw.start.0));
                }
            }
        }
    }
}

/// The end of a shift `start..end` as the solver sees it: `rule.length` earlier when the shift
/// is longer than the work allowed before the break.
pub fn shift_end(rule: Rule, start: i64, end: i64) -> i64 {
    if rule.length > 0 && end > latest(rule, start) {
        (end - rule.length).max(start + 1)
    } else {
        end
    }
}

/// Places the break in every route of `report` that works longer than the rule and moves the
/// later steps; returns the breaks, one per route (`None`: not needed). `original` is the
/// problem before [`reserve`]: a break is placed only where every later visit still starts
/// within its own windows and the shift, and where the work before and after it stays within
/// the rule.
pub fn place(
    report: &mut Report,
    original: &Problem,
    rule: Rule,
    shift_start: i64,
) -> Vec<Option<Pause>> {
    report
        .routes
        .iter_mut()
        .map(|r| place_one(r, original, rule, shift_start))
        .collect()
}

fn departure(s: &crate::model::schedule::StepReport) -> i64 {
    s.arrival.0 + s.waiting.0 + s.service.0
}

/// The route's steps from `at` on with a break of `length` before step `at`: the arrivals and
/// waits as they become (each later step arrives later by what is left of the break after
/// waits), or `None` when a visit would then start outside all its windows or the route end
/// after the shift.
fn delayed(r: &RouteReport, original: &Problem, at: usize, length: i64) -> Option<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(r.steps.len() - at);
    let mut delay = length;
    for s in &r.steps[at..] {
        let arrival = s.arrival.0 + delay;
        let service_start = s.arrival.0 + s.waiting.0;
        let new_start = arrival.max(service_start);
        delay = new_start - service_start;
        if delay > 0 {
            if let Some(v) = s.visit {
                let stop = &original.jobs[v.job.ix()].stops[v.stop as usize];
                let inside = stop.time_windows.is_empty()
                    || stop
                        .time_windows
                        .iter()
                        .any(|w| w.start.0 <= new_start && new_start <= w.end.0);
                if !inside {
                    return None;
                }
            }
        }
        out.push((arrival, new_start - arrival));
    }
    let end = out.last().map_or(0, |x| x.0);
    let shift_end = original.vehicles[r.vehicle.ix()].shift.end.0;
    (end <= shift_end).then_some(out)
}

fn place_one(
    r: &mut RouteReport,
    original: &Problem,
    rule: Rule,
    shift_start: i64,
) -> Option<Pause> {
    let n = r.steps.len();
    if rule.length <= 0 || n < 2 {
        return None;
    }
    let leave = departure(&r.steps[0]);
    let end = r.steps[n - 1].arrival.0;
    if end - leave <= rule.after {
        return None;
    }
    let w = latest(rule, shift_start).min(leave + rule.after);
    // A wait long enough, early enough, leaving no more than the rule after it.
    let wait = (1..n).rev().find(|&i| {
        let s = &r.steps[i];
        s.waiting.0 >= rule.length
            && s.arrival.0 <= w
            && end - (s.arrival.0 + rule.length) <= rule.after
    });
    if let Some(i) = wait {
        let start = r.steps[i].arrival.0;
        return Some(Pause {
            before_step: i,
            start,
            length: rule.length,
        });
    }
    // Else on the way to a visit (or on arrival, before serving): first the visit (the first
    // of consecutive ones at one place) during which W is passed, then the others, latest
    // first. The break may start anywhere between leaving the stop before and arriving: the
    // work before it and the work after it (to the route's new end) both within the rule.
    let first_late = (1..n)
        .find(|&i| departure(&r.steps[i]) > w)
        .unwrap_or(n - 1);
    let mut at = first_late;
    while at > 1 && r.steps[at - 1].location == r.steps[at].location && r.steps[at].visit.is_some()
    {
        at -= 1;
    }
    let order = std::iter::once(at).chain((1..n).rev().filter(move |&i| i != at));
    for i in order {
        if i > 1 && r.steps[i - 1].location == r.steps[i].location && r.steps[i].visit.is_some() {
            continue; // not between two orders handed over at one place
        }
        let Some(moved) = delayed(r, original, i, rule.length) else {
            continue;
        };
        let new_end = moved.last().map_or(end, |x| x.0);
        let lo = departure(&r.steps[i - 1]).max(new_end - rule.length - rule.after);
        let hi = r.steps[i].arrival.0.min(leave + rule.after);
        if lo > hi {
            continue;
        }
        for (s, (arrival, waiting)) in r.steps[i..].iter_mut().zip(moved) {
            s.arrival = Time(arrival);
            s.waiting = Time(waiting);
        }
        r.duration = Time(r.steps[n - 1].arrival.0 - leave);
        r.waiting = Time(r.steps.iter().map(|s| s.waiting.0).sum());
        return Some(Pause {
            before_step: i,
            start: hi,
            length: rule.length,
        });
    }
    // No place keeps every rule: the checks after refuse the route ([`verify`]).
    None
}

/// A broken break rule or a window the break pushed a stop out of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakViolation {
    /// The route (index in the report).
    pub route: usize,
    /// What is wrong.
    pub what: String,
}

/// Checks every route of `report` with its break against `original` (the problem before
/// [`reserve`]): steps in time order with the travel of the matrix, services within their
/// windows, the end within the shift, a break wherever the work is longer than the rule, and
/// no more than the rule's work before and after it.
pub fn verify(
    original: &Problem,
    report: &Report,
    pauses: &[Option<Pause>],
    rule: Rule,
) -> Vec<BreakViolation> {
    let mut bad = Vec::new();
    for (k, r) in report.routes.iter().enumerate() {
        let mut say = |what: String| bad.push(BreakViolation { route: k, what });
        let v = &original.vehicles[r.vehicle.ix()];
        let pause = pauses.get(k).copied().flatten();
        let steps = &r.steps;
        let Some(last) = steps.last() else { continue };
        let leave = departure(&steps[0]);
        for i in 1..steps.len() {
            let (a, b) = (&steps[i - 1], &steps[i]);
            let travel = match (a.location, b.location) {
                (Some(x), Some(y)) => original.durations.get(x, y).0,
                _ => 0,
            };
            let start = b.arrival.0 + b.waiting.0;
            // The driver drives and rests, in either order, between leaving a and serving b.
            let ready = match pause.filter(|p| p.before_step == i) {
                Some(p) => {
                    if p.start < departure(a) || p.start + p.length > start {
                        say(format!("the break is not between steps {} and {i}", i - 1));
                    }
                    departure(a) + travel + p.length
                }
                None => departure(a) + travel,
            };
            if start < ready || b.arrival.0 < departure(a) {
                say(format!(
                    "step {i} starts at {start}, before it can ({ready})"
                ));
            }
            if let Some(visit) = b.visit {
                let stop = &original.jobs[visit.job.ix()].stops[visit.stop as usize];
                if !stop.time_windows.is_empty()
                    && !stop
                        .time_windows
                        .iter()
                        .any(|w| w.start.0 <= start && start <= w.end.0)
                {
                    say(format!("step {i} starts at {start}, outside its window"));
                }
            }
        }
        let end = last.arrival.0;
        if end > v.shift.end.0 {
            say(format!(
                "ends at {end}, after the shift ({})",
                v.shift.end.0
            ));
        }
        match pause {
            None if rule.length > 0 && end - leave > rule.after => {
                say(format!("works {} s without a break", end - leave));
            }
            Some(p) => {
                if p.length < rule.length {
                    say(format!("a break of {} s, shorter than the rule", p.length));
                }
                if p.start - leave > rule.after || end - (p.start + p.length) > rule.after {
                    say(format!(
                        "works {} s before the break and {} s after it",
                        p.start - leave,
                        end - p.start - p.length
                    ));
                }
            }
            None => {}
        }
    }
    bad
}
