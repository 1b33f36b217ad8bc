//! Identifiers, parsed once at the edge.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The id of a case (UUID v7 for new cases, so ids sort by creation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(Uuid);

impl CaseId {
    /// Wraps a UUID.
    pub const fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    /// The UUID inside.
    pub const fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a slug is 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit")]
pub struct InvalidSlug;

fn check_slug(value: &str) -> Result<(), InvalidSlug> {
    let valid_chars = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let starts_well = value.bytes().next().is_some_and(|b| b != b'-');
    if (1..=64).contains(&value.len()) && valid_chars && starts_well {
        Ok(())
    } else {
        Err(InvalidSlug)
    }
}

// A slug is kept in the struct itself up to 24 bytes (most are: `essex-police`), on the heap
// beyond: the read models hold tens of organisation slugs for every case (who is involved, whose
// report, whose deadline), and a heap allocation each was a tenth of their memory.
macro_rules! slug_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(CompactString);

        impl $name {
            /// Parses a slug (lowercase letters, digits and dashes).
            pub fn parse(value: &str) -> Result<Self, InvalidSlug> {
                check_slug(value)?;
                Ok(Self(CompactString::from(value)))
            }

            /// The slug as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidSlug;
            fn try_from(value: String) -> Result<Self, InvalidSlug> {
                check_slug(&value)?;
                Ok(Self(CompactString::from(value)))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0.into_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_type!(
    /// A partnership (the tenant), e.g. `southend`.
    PartnershipSlug
);
slug_type!(
    /// An organisation within a partnership, e.g. `essex-police`.
    OrgSlug
);
slug_type!(
    /// A learning theme of a partnership, e.g. `neglect` or `transition-to-adult-services`.
    ThemeSlug
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lowercase_words_and_refuse_the_rest() {
        assert!(OrgSlug::parse("essex-police").is_ok());
        assert!(OrgSlug::parse("suhft").is_ok());
        for bad in ["", "-x", "Essex", "a b", "a_b", &"x".repeat(65)] {
            assert_eq!(OrgSlug::parse(bad), Err(InvalidSlug), "{bad:?}");
        }
    }
}
