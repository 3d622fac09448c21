//! Running a dependency's code on untrusted bytes without letting its panics reach the user.
//!
//! A decoder (the PBF reader's protobuf and string tables, say) may index out of bounds on a
//! damaged file. [`quietly`] runs such code, catches the panic and returns its message as an
//! error, and keeps the panic from being printed: the caller turns it into a message that says
//! what is wrong with the file and what to do. Only panics raised on a thread inside a
//! [`quietly`] scope are silenced; every other panic (a bug of tournee's own) is printed as
//! usual.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many [`quietly`] scopes are open on this thread.
    static QUIET: Cell<u32> = const { Cell::new(0) };
    /// Where the last silenced panic of this thread happened.
    static WHERE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

static HOOK: Once = Once::new();

/// Installs, once per process, a panic hook that says nothing inside a [`quietly`] scope and
/// defers to the previous hook everywhere else.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            } else if let Some(l) = info.location() {
                WHERE.with(|w| *w.borrow_mut() = format!("{}:{}", l.file(), l.line()));
            }
        }));
    });
}

/// Runs `f`; a panic inside it (on this thread) is caught, not printed, and returned as its
/// message followed by ` at file:line`. Nest freely; call it on each worker thread that runs untrusted decoding.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without message".into());
        let at = WHERE.with(|w| std::mem::take(&mut *w.borrow_mut()));
        format!("{message} at {at}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_a_value_passes_through() {
        assert_eq!(quietly(|| 7), Ok(7));
        let v: Vec<u8> = Vec::new();
        let i = v.len() + 3;
        let e = quietly(|| v[i]).unwrap_err();
        assert!(e.contains("index out of bounds"), "{e}");
        let e = quietly(|| panic!("cut at {}", 12)).unwrap_err();
        assert!(e.starts_with("cut at 12 at src/model/guard.rs:"), "{e}");
        // The scope is closed again after a panic.
        assert_eq!(QUIET.with(Cell::get), 0);
    }
}
