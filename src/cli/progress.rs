//! Progress on the terminal: a spinner while a step runs, one line when it ends (stderr).

use crate::plan::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shows each step of the library as a spinner, then `label: X s`; a step inside another shows
/// its label until it ends, then the outer one's again.
#[derive(Default)]
pub struct Spinner {
    state: Mutex<(Option<ProgressBar>, Vec<String>)>,
}

impl Progress for Spinner {
    fn begin(&self, label: &str) {
        let mut st = self.state.lock().expect("progress lock");
        let bar = st.0.get_or_insert_with(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        bar.set_message(label.to_string());
        st.1.push(label.to_string());
    }

    fn end(&self, label: &str, elapsed: Duration) {
        let mut st = self.state.lock().expect("progress lock");
        st.1.pop();
        let line = format!("  {label}: {:.2} s", elapsed.as_secs_f64());
        match (st.1.last().cloned(), st.0.take()) {
            (Some(outer), Some(bar)) => {
                say(&bar, line);
                bar.set_message(outer);
                st.0 = Some(bar);
            }
            (_, bar) => {
                if let Some(b) = bar {
                    b.finish_and_clear();
                }
                eprintln!("{line}");
            }
        }
    }

    fn info(&self, line: &str) {
        let st = self.state.lock().expect("progress lock");
        match st.0.as_ref() {
            Some(b) => say(b, format!("  {line}")),
            None => eprintln!("  {line}"),
        }
    }
}

/// Prints `line` above the spinner, or on stderr when the spinner is not drawn (not a terminal).
fn say(bar: &ProgressBar, line: String) {
    if bar.is_hidden() {
        eprintln!("{line}");
    } else {
        bar.println(line);
    }
}

/// Runs `f` under a spinner labelled `label`, then prints `label: X s` to stderr.
pub fn step<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let s = Spinner::default();
    s.begin(label);
    let start = Instant::now();
    let out = f();
    s.end(label, start.elapsed());
    out
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if the system tells.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
