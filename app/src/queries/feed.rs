//! The change feed as an actor may read it: only the items of cases they may see
//! (need to know, api.md), optionally only some types.

use super::Queries;
use crate::error::AppError;
use crate::feed_reader::{FeedReader, ReadPage};
use crate::visibility::{can_see, sees_all_cases};
use casetrail_domain::Actor;
use casetrail_projections::{FeedCursor, FeedItem, ReadModels};

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

/// A page of the feed, as the reader gives it.
pub type FeedView = ReadPage;

impl Queries {
    /// A page of the change feed as `actor` may see it.
    pub async fn feed(&self, actor: &Actor, query: &FeedQuery) -> Result<FeedView, AppError> {
        let reader = FeedReader::new(self.projector.clone());
        let page = reader
            .page(
                &actor.partnership,
                query.after,
                query.limit,
                |models, item| {
                    let wanted = query.types.is_empty()
                        || query.types.iter().any(|t| t == item.event.type_name());
                    wanted && visible(models, actor, item)
                },
            )
            .await?;
        Ok(FeedView {
            items: page.items,
            next: page.next,
            position: page.position,
        })
    }
}

/// Whether `actor` may see the case an item is about (need to know, as for the case itself).
pub fn visible(models: &ReadModels, actor: &Actor, item: &FeedItem) -> bool {
    let Some(partnership) = models.partnership(&actor.partnership) else {
        return false;
    };
    sees_all_cases(actor, partnership)
        || models
            .case(&actor.partnership, item.case_id)
            .is_some_and(|record| can_see(actor, partnership, &record.case))
}
