//! A reminder pass passes over the cases the previous pass found settled for good
//! (`casetrail_app::reminders::SettledCases`) and reads the deadlines a read kept: it must owe
//! exactly what computing every case's deadlines afresh owes. The seed's log is folded event by
//! event; every few hundred events a pass runs at that instant, after a read has kept the
//! deadlines of some cases, and is compared with the notices computed afresh; what was owed is
//! recorded as the service records it, except at some passes, as when the store refused the
//! appends; then passes one, three and eight days on, with nothing recorded meanwhile, are
//! compared too.

#![allow(clippy::unwrap_used)]

use casetrail_app::reminders::{SettledCases, every_case, notice_request, owed_now};
use casetrail_domain::PartnershipSlug;
use casetrail_domain::reminders::{ReminderEvent, owed};
use casetrail_projections::ReadModels;
use casetrail_seed::Workload;
use casetrail_seed::life_cycle::LogWriter;
use chrono::Duration;
use uuid::Uuid;

fn ids(owed: &[(PartnershipSlug, ReminderEvent)]) -> Vec<Uuid> {
    let mut ids: Vec<_> = owed.iter().map(|(_, event)| event.event_id()).collect();
    ids.sort_unstable();
    ids
}

/// The notices owed at `now` and not yet recorded, every case's deadlines computed afresh.
fn owed_afresh(models: &ReadModels, now: chrono::DateTime<chrono::Utc>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for (slug, case_id) in every_case(models) {
        let partnership = models.partnership(&slug).unwrap();
        let record = models.case(&slug, case_id).unwrap();
        for deadline in record.case.deadlines(partnership) {
            let settings = &partnership.settings.reminders;
            if let Some(event) = owed(case_id, &deadline, settings, &partnership.calendar, now)
                && !models.feed().has_reminder(event.event_id())
            {
                ids.push(event.event_id());
            }
        }
    }
    ids.sort_unstable();
    ids
}

#[test]
fn passing_over_settled_cases_owes_what_computing_every_case_owes() {
    let workload = Workload {
        partnerships: 2,
        cases: 300,
        open_cases: 60,
        seed: 7,
    };
    let mut writer = LogWriter::new("2021-01-04T09:00:00Z".parse().unwrap());
    let mut models = ReadModels::default();
    let mut last = SettledCases::default();
    let (mut passes, mut owed, mut passed_over, mut breaches, mut kept) = (0, 0, 0, 0, 0);
    let mut owed_later = 0;
    for (n, (event, gap)) in workload.events().enumerate() {
        models.apply(&writer.append(&event, gap)).unwrap();
        if n % 300 != 299 {
            continue;
        }
        // An hour on: reminders and breaches have come due since the last pass.
        let now = writer.recorded_at() + Duration::hours(1);
        let cases = every_case(&models);
        // A read keeps the deadlines of every other case (of the case list, the deadline list).
        for (slug, case_id) in cases.iter().skip(passes % 2).step_by(2) {
            let partnership = models.partnership(slug).unwrap();
            let generation = models.deadline_generation(slug);
            kept += models
                .case(slug, *case_id)
                .unwrap()
                .present_deadlines(partnership, generation)
                .len();
        }
        let mut settled = SettledCases::default();
        let due = owed_now(&models, &cases, now, &last, &mut settled);
        passed_over += settled.passed_over();
        assert_eq!(
            ids(&due),
            owed_afresh(&models, now),
            "pass {passes} at {now}"
        );
        passes += 1;
        owed += due.len();
        last = settled;
        // Every fifth pass the store refuses the appends: the notices stay owed.
        if passes % 5 != 0 {
            for (slug, notice) in &due {
                breaches += usize::from(matches!(notice, ReminderEvent::DeadlineBreachRecorded(_)));
                let mut request = notice_request(slug, notice);
                let event = request.events.pop().unwrap();
                models
                    .apply(&writer.append_new(&request.stream_id, event, now))
                    .unwrap();
            }
        }
        // Days pass with no fact recorded: what the pass settled owes nothing new, while the
        // cases it did not settle come to owe their reminders and breaches.
        for days in [1, 3, 8] {
            let later = now + Duration::days(days);
            let due = owed_now(&models, &cases, later, &last, &mut SettledCases::default());
            assert_eq!(
                ids(&due),
                owed_afresh(&models, later),
                "{days} days after pass {passes}"
            );
            owed_later += due.len();
        }
    }
    println!(
        "{passes} passes, {owed} notices owed, {breaches} breaches recorded, \
         {passed_over} cases passed over, {kept} deadlines kept by reads, \
         {owed_later} owed days later"
    );
    assert!(passes > 30, "{passes} passes");
    assert!(owed > 100, "{owed} notices owed");
    assert!(breaches > 10, "{breaches} breaches recorded");
    assert!(passed_over > 1_000, "{passed_over} cases passed over");
    assert!(kept > 10_000, "{kept} deadlines kept");
    assert!(owed_later > 1_000, "{owed_later} owed days later");
}
