//! The daily plan's model: settings ([`config`]), the day's demand ([`demand`]) and the
//! scenario arithmetic for local authorities ([`scenario`]). The command that joins them with
//! the road graph, the sites and the rounds is `tournee plan` (`cli::plan`).

pub mod config;
pub mod demand;
pub mod scenario;
