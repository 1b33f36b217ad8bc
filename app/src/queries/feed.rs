//! The change feed as an actor may read it: only the items of cases they may see
//! (need to know, api.md), optionally only some types.

use super::Queries;
use crate::error::AppError;
use crate::visibility::{can_see, sees_all_cases};
use casetrail_domain::Actor;
use casetrail_projections::{FeedCursor, FeedItem};

/// The most items a reader's filter may look at for one page: an agency that sees few cases
/// gets a short page and a cursor to go on from, rather than a walk of the whole log.
pub const FEED_SCAN: usize = 10_000;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct FeedQuery {
    /// Resume after this.
    pub after: FeedCursor,
    /// At most this many items.
    pub limit: usize,
    /// Only these types (none: every type).
    pub types: Vec<String>,
}

/// A page of the feed.
#[derive(Debug, Clone)]
pub struct FeedView {
    /// The items, in feed order.
    pub items: Vec<FeedItem>,
    /// Where to resume.
    pub next: FeedCursor,
    /// The log position the read models had reached: every item up to it is in the feed.
    pub position: u64,
}

impl Queries {
    /// A page of the change feed as `actor` may see it.
    pub fn feed(&self, actor: &Actor, query: &FeedQuery) -> Result<FeedView, AppError> {
        let models = self.projector.read();
        let position = models.position();
        let Some(partnership) = models.partnership(&actor.partnership) else {
            return Ok(FeedView {
                items: Vec::new(),
                next: query.after,
                position,
            });
        };
        let all_cases = sees_all_cases(actor, partnership);
        let page = models.feed().page(
            &actor.partnership,
            query.after,
            query.limit,
            FEED_SCAN,
            |item| {
                let wanted = query.types.is_empty()
                    || query.types.iter().any(|t| t == item.event.type_name());
                wanted
                    && (all_cases
                        || models
                            .case(&actor.partnership, item.case_id)
                            .is_some_and(|record| can_see(actor, partnership, &record.case)))
            },
        );
        Ok(FeedView {
            items: page.items.into_iter().cloned().collect(),
            next: page.next,
            position,
        })
    }
}
