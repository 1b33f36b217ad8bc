//! The time the application decides at. Injected, so a test sets the instant instead of
//! sleeping, and so no rule reads the wall clock behind the caller's back.

use chrono::{DateTime, SubsecRound, Utc};
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

/// A source of the current instant.
pub trait Clock: Debug + Send + Sync {
    /// Now, in microseconds: the precision both databases keep, so an instant decided on is
    /// the instant read back.
    fn now(&self) -> DateTime<Utc>;
}

/// The shared handle the application holds.
pub type SharedClock = Arc<dyn Clock>;

/// The machine's clock, shared.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that stands still until it is moved: for tests and for replaying a scenario at
/// chosen instants.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(start.trunc_subsecs(6))),
        }
    }

    /// Sets the instant.
    pub fn set(&self, instant: DateTime<Utc>) {
        *self.lock() = instant.trunc_subsecs(6);
    }

    /// Moves the clock on.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.lock();
        *now = (*now + by).trunc_subsecs(6);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock still holds a valid instant.
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::days(1));
        assert_eq!(clock.now(), start + chrono::Duration::days(1));
        let later = Utc.with_ymd_and_hms(2027, 1, 4, 17, 30, 0).unwrap();
        clock.set(later);
        assert_eq!(clock.now(), later);
    }

    #[test]
    fn the_system_clock_keeps_microseconds() {
        let now = SystemClock.now();
        assert_eq!(now.timestamp_subsec_nanos() % 1_000, 0);
    }
}
