//! Turning events into stored rows and back: a stable type name, a schema version and JSON.
//!
//! Old shapes are upcast here on read (architecture.md "Schema evolution"); every stored shape
//! has a golden fixture under `domain/tests/fixtures/`.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The schema version every event is written with today.
pub const CURRENT_SCHEMA_VERSION: i32 = 1;

/// Why a stored event could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The type name is not one this code knows.
    #[error("unknown event type {0}")]
    UnknownType(String),
    /// A schema version newer than this code.
    #[error("event type {event_type} has schema version {version}, newer than this code")]
    FutureVersion {
        /// The type.
        event_type: String,
        /// The version.
        version: i32,
    },
    /// The data does not fit the type.
    #[error("event data does not match its type: {0}")]
    Shape(#[from] serde_json::Error),
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
    ];
}

/// Reads a stored event back into its type, upcasting older schema versions.
pub fn decode<E: StoredEvent>(
    event_type: &str,
    schema_version: i32,
    data: &serde_json::Value,
) -> Result<E, DecodeError> {
    if schema_version > CURRENT_SCHEMA_VERSION {
        return Err(DecodeError::FutureVersion {
            event_type: event_type.to_owned(),
            version: schema_version,
        });
    }
    if !E::EVENT_TYPES.contains(&event_type) {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    }
    // Deserialised straight from the stored value, without copying it into a tagged object
    // first: decoding is most of what rebuilding the read models costs.
    Ok(E::deserialize(Tagged { event_type, data })?)
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
