//! Fault injection for the tests of the output set: the environment variable
//! `PLANRISK_FAULT` makes the process die, stop or be interrupted at a chosen point of
//! writing, deterministically, so a test can check what a kill at that point leaves.
//! It is a test hook, not a user feature; unset, every point is a no-op.
//!
//! `PLANRISK_FAULT` is a comma-separated list of `<action>@<point>` and flags:
//! - actions: `kill` (SIGKILL: no cleanup runs), `stop` (SIGSTOP: the process halts
//!   holding the lock until killed), `interrupt` (SIGINT, as Ctrl-C);
//! - points: `file:K` (after the K-th file of the set is written), `before-switch`,
//!   `between-renames` (inside the two-rename switch), `after-switch`;
//! - flag `no-exchange`: switch with two renames, as on a file system without
//!   `RENAME_EXCHANGE`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A point of the writing sequence where a fault may be injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// After the K-th file (1-based) was written into the staging directory.
    File(usize),
    BeforeSwitch,
    BetweenRenames,
    AfterSwitch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Kill,
    Stop,
    Interrupt,
}

/// The faults asked for by `PLANRISK_FAULT`.
#[derive(Debug, Default)]
pub struct Faults {
    at: Vec<(Action, Point)>,
    /// Switch with two renames even where `RENAME_EXCHANGE` works.
    pub no_exchange: bool,
}

impl Faults {
    pub fn from_env() -> Faults {
        std::env::var("PLANRISK_FAULT")
            .map(|s| Faults::parse(&s))
            .unwrap_or_default()
    }

    fn parse(spec: &str) -> Faults {
        let mut f = Faults::default();
        for item in spec.split(',').map(str::trim) {
            if item == "no-exchange" {
                f.no_exchange = true;
                continue;
            }
            let Some((action, point)) = item.split_once('@') else {
                continue;
            };
            let action = match action {
                "kill" => Action::Kill,
                "stop" => Action::Stop,
                "interrupt" => Action::Interrupt,
                _ => continue,
            };
            let point = match point {
                "before-switch" => Point::BeforeSwitch,
                "between-renames" => Point::BetweenRenames,
                "after-switch" => Point::AfterSwitch,
                p => match p.strip_prefix("file:").and_then(|k| k.parse().ok()) {
                    Some(k) => Point::File(k),
                    None => continue,
                },
            };
            f.at.push((action, point));
        }
        f
    }

    /// Whether any fault is set for `point` (the two-rename switch is forced for
    /// `between-renames`).
    pub fn wants(&self, point: Point) -> bool {
        self.at.iter().any(|&(_, p)| p == point)
    }

    /// Injects the faults set for `point`. An interrupt waits until the Ctrl-C handler
    /// has raised `cancel` (it runs on its own thread), so the next check sees it.
    pub fn hit(&self, point: Point, cancel: &AtomicBool) {
        for &(action, p) in &self.at {
            if p != point {
                continue;
            }
            let signal = match action {
                Action::Kill => libc::SIGKILL,
                Action::Stop => libc::SIGSTOP,
                Action::Interrupt => libc::SIGINT,
            };
            // SAFETY: raise(3) only sends a signal to the calling thread; it has no
            // memory-safety preconditions.
            unsafe {
                libc::raise(signal);
            }
            if action == Action::Interrupt {
                let start = Instant::now();
                while !cancel.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(10) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_actions_points_and_flags() {
        let f = Faults::parse("kill@file:3, stop@before-switch,no-exchange,bogus,kill@nowhere");
        assert_eq!(
            f.at,
            vec![
                (Action::Kill, Point::File(3)),
                (Action::Stop, Point::BeforeSwitch)
            ]
        );
        assert!(f.no_exchange);
        assert!(f.wants(Point::File(3)) && !f.wants(Point::AfterSwitch));
        assert!(Faults::parse("").at.is_empty());
    }
}
