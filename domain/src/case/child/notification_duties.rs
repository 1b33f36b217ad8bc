//! What the local authority owes besides the Panel notification itself: a same-day copy of it
//! to the business manager (domain.md step 2), and, for the death of a looked-after child,
//! notifying Ofsted and the Secretary of State whatever the cause of death (Working Together
//! 2018, chapter 4), in the same 5 working days as the Panel notification.

use crate::calendar::{WorkingCalendar, end_of_day};
use crate::case::{Case, Harm};
use crate::deadline::{Deadline, DeadlineKind};

/// Working days the local authority has to notify, from the day it became aware.
pub const NOTIFICATION_WORKING_DAYS: u32 = 5;

impl Case {
    /// Whether the case is the death of a looked-after child (notified by the local authority).
    pub fn is_looked_after_death(&self) -> bool {
        self.notification()
            .is_some_and(|n| n.harm == Harm::Death && n.child.looked_after)
    }

    /// The notification duties' deadlines, each answered for by the local authority.
    pub(in crate::case) fn notification_duties(&self, calendar: &WorkingCalendar) -> Vec<Deadline> {
        let Some(notification) = self.notification() else {
            return Vec::new();
        };
        let council = Some(notification.notified_by.clone());
        let mut deadlines = Vec::new();
        if let Some(panel) = &self.panel_notification {
            deadlines.push(Deadline::new(
                DeadlineKind::PanelNotificationCopy,
                council.clone(),
                end_of_day(panel.submitted_on),
                panel.copied_at,
            ));
        }
        if self.is_looked_after_death() {
            deadlines.push(Deadline::new(
                DeadlineKind::LookedAfterDeathNotification,
                council,
                end_of_day(
                    calendar
                        .add_working_days(notification.became_aware_on, NOTIFICATION_WORKING_DAYS),
                ),
                self.looked_after_death_notified_at,
            ));
        }
        deadlines
    }
}
