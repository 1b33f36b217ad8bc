//! Turning events into stored rows and back: a stable type name, a schema version and JSON.
//!
//! Each event type has its own schema version. A stored shape never changes: when a type needs
//! a new shape, new rows are written at the next version and the older shapes are upcast here
//! on read, one version at a time (architecture.md "Schema evolution"). Every stored shape has a
//! golden fixture under `domain/tests/fixtures/events/`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::borrow::Cow;

mod upcast;

/// Why a stored event could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The type name is not one this code knows.
    #[error("unknown event type {0}")]
    UnknownType(String),
    /// A schema version newer than this code, or one that never existed.
    #[error("event type {event_type} has schema version {version}, which this code cannot read")]
    FutureVersion {
        /// The type.
        event_type: String,
        /// The version.
        version: i32,
    },
    /// An older shape could not be upcast (it is not the shape its version says).
    #[error("event type {event_type} at schema version {version} cannot be upcast: {reason}")]
    Upcast {
        /// The type.
        event_type: String,
        /// The stored version.
        version: i32,
        /// What is wrong.
        reason: String,
    },
    /// The data does not fit the type.
    #[error("event data does not match its type: {0}")]
    Shape(#[from] serde_json::Error),
}

/// The schema version new events of this type are written with: 1, plus one for every
/// upcaster of the type.
pub fn schema_version(event_type: &str) -> i32 {
    upcast::current_version(event_type)
}

/// Splits an adjacently tagged event into its stored type name and data.
pub fn encode<E: Serialize>(event: &E) -> (String, serde_json::Value) {
    // Serializing plain data types into a Value cannot fail.
    let value = serde_json::to_value(event).unwrap_or_default();
    let event_type = value
        .get("event_type")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_owned();
    let data = value.get("data").cloned().unwrap_or_default();
    (event_type, data)
}

/// An event enum that is stored: it knows its type names.
pub trait StoredEvent: Serialize + DeserializeOwned {
    /// Every stored type name of this enum.
    const EVENT_TYPES: &'static [&'static str];
}

impl StoredEvent for crate::case::CaseEvent {
    const EVENT_TYPES: &'static [&'static str] = crate::case::CaseEvent::EVENT_TYPES;
}

impl StoredEvent for crate::partnership::PartnershipEvent {
    const EVENT_TYPES: &'static [&'static str] = &[
        "PartnershipEstablished",
        "OrganisationRegistered",
        "PartnershipSettingsChanged",
        "OrganisationRetired",
        "BankHolidayDeclared",
        "BankHolidayWithdrawn",
        "BankHolidayMoved",
    ];
}

impl StoredEvent for crate::learning::LearningEvent {
    const EVENT_TYPES: &'static [&'static str] = crate::learning::LearningEvent::EVENT_TYPES;
}

impl StoredEvent for crate::reminders::ReminderEvent {
    const EVENT_TYPES: &'static [&'static str] =
        &["DeadlineReminderIssued", "DeadlineBreachRecorded"];
}

/// Reads a stored event back into its type, upcasting older schema versions.
pub fn decode<E: StoredEvent>(
    event_type: &str,
    schema_version: i32,
    data: &serde_json::Value,
) -> Result<E, DecodeError> {
    if !E::EVENT_TYPES.contains(&event_type) {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    }
    let data = upcast(event_type, schema_version, data)?;
    // Deserialised straight from the stored value, without copying it into a tagged object
    // first: decoding is most of what rebuilding the read models costs.
    Ok(E::deserialize(Tagged {
        event_type,
        data: &data,
    })?)
}

/// The stored data in the current shape of its type: borrowed when already current, which is
/// every row written by this version of the code.
pub fn upcast<'a>(
    event_type: &str,
    schema_version: i32,
    data: &'a Value,
) -> Result<Cow<'a, Value>, DecodeError> {
    let current = upcast::current_version(event_type);
    if schema_version == current {
        return Ok(Cow::Borrowed(data));
    }
    if schema_version > current || schema_version < 1 {
        return Err(DecodeError::FutureVersion {
            event_type: event_type.to_owned(),
            version: schema_version,
        });
    }
    let fail = |reason: String| DecodeError::Upcast {
        event_type: event_type.to_owned(),
        version: schema_version,
        reason,
    };
    let mut fields: Map<String, Value> = data
        .as_object()
        .cloned()
        .ok_or_else(|| fail("the data is not a JSON object".to_owned()))?;
    for step in upcast::steps(event_type, schema_version) {
        (step.upcast)(&mut fields).map_err(fail)?;
    }
    Ok(Cow::Owned(Value::Object(fields)))
}

/// An adjacently tagged view of a stored event, `{"event_type": ..., "data": ...}`, that
/// borrows the stored data instead of building a new JSON object.
struct Tagged<'a> {
    event_type: &'a str,
    data: &'a serde_json::Value,
}

impl<'de> serde::Deserializer<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(TaggedFields {
            tagged: self,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct TaggedFields<'a> {
    tagged: Tagged<'a>,
    next: u8,
}

impl<'de> serde::de::MapAccess<'de> for TaggedFields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let key = match self.next {
            0 => "event_type",
            1 => "data",
            _ => return Ok(None),
        };
        seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.next += 1;
        if self.next == 1 {
            seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(
                self.tagged.event_type,
            ))
        } else {
            seed.deserialize(self.tagged.data)
        }
    }
}
