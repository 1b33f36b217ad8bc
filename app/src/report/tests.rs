//! The report's figures against a log built for them, and its renderings.
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn amounts_read_as_a_reader_expects() {
    assert_eq!(Amount::Count(12_345).text(), "12,345");
    assert_eq!(Amount::Count(7).text(), "7");
    assert_eq!(Amount::Percent(Some(87.5)).text(), "87.5%");
    assert_eq!(Amount::Percent(None).text(), "–");
    assert_eq!(Amount::Pence(23_271_600).text(), "£232,716.00");
    assert_eq!(Amount::Pence(5).text(), "£0.05");
    assert_eq!(Amount::Pence(-150).text(), "-£1.50");
    assert_eq!(Amount::WorkingDays(Some(11.0)).text(), "11.0 working days");
    assert_eq!(Amount::Score(Some(4.1)).text(), "4.1 of 5");
    assert_eq!(positions_text(&[]), "no event");
    assert_eq!(positions_text(&[7]), "1 event at position 7");
    assert_eq!(positions_text(&[7, 9]), "2 events at positions 7, 9");
    let many: Vec<u64> = (1..=12).collect();
    assert_eq!(
        positions_text(&many),
        "12 events at positions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 2 more"
    );
}

#[test]
fn markup_in_names_is_escaped() {
    assert_eq!(
        html::escape("<b>Tom & \"Jerry\"'s</b>"),
        "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;"
    );
}
