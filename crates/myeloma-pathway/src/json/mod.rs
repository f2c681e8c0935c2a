//! Strict JSON in: the one parser every JSON entry point uses (patient record, guideline,
//! knowledge base, and the FHIR reader built on top of the core).
//!
//! Three things ordinary JSON deserialisation lets through are refused here, each naming the
//! key path (safety hazards "a duplicate JSON key, or an array where an object belongs"):
//!
//! - a **duplicate key** in any object (serde_json keeps the last one silently);
//! - a JSON **array where an object belongs** (serde's derived structs also accept a sequence,
//!   read by position, so `["1", 60, "female"]` would become a patient);
//! - a document over [`MAX_JSON_BYTES`] or nested deeper than [`MAX_JSON_DEPTH`].
//!
//! Parsing runs in two passes: the text becomes a [`serde_json::Value`] with duplicate keys
//! refused, then the value is deserialised through [`Strict`], a deserializer that refuses a
//! non-object wherever the target type asks for a struct or a map. Unknown keys are refused by
//! the record types themselves (`deny_unknown_fields`).

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::record::PatientRecord;

/// Largest accepted JSON document, in bytes.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// Deepest accepted JSON nesting.
pub const MAX_JSON_DEPTH: usize = 32;

/// Parse JSON text into `T`: size and depth limits, duplicate keys refused, arrays refused where
/// an object belongs, unknown keys refused (by `T`), and the offending key named as a dotted path.
///
/// # Errors
/// [`Error::LimitExceeded`] past the limits; [`Error::InvalidJson`] for syntax, type, duplicate-key,
/// array-for-object and unknown-key errors.
///
/// # Example
/// ```
/// use myeloma_pathway::{json, PatientRecord};
/// let dup = r#"{"age_years": 60, "age_years": 61}"#;
/// let e = json::parse::<PatientRecord>(dup).unwrap_err();
/// assert_eq!(e.field(), Some("age_years"));
/// assert!(json::parse::<PatientRecord>(r#"["1", 60]"#).is_err());
/// ```
pub fn parse<T: de::DeserializeOwned>(json: &str) -> Result<T> {
    let value = parse_value(json)?;
    from_value(&value)
}

/// Parse JSON text into a [`serde_json::Value`] with the size and depth limits and duplicate keys
/// refused (for readers, such as FHIR, that walk the document themselves).
///
/// # Errors
/// As [`parse`].
pub fn parse_value(json: &str) -> Result<Value> {
    if json.len() > MAX_JSON_BYTES {
        return Err(Error::LimitExceeded {
            what: "JSON document (bytes)".into(),
            limit: MAX_JSON_BYTES,
            actual: json.len(),
        });
    }
    // serde_json refuses nesting deeper than 128 itself; the lower limit is checked on the tree.
    let mut de = serde_json::Deserializer::from_str(json);
    let UniqueKeys(value) = serde_path_to_error::deserialize(&mut de).map_err(path_error)?;
    de.end().map_err(|e| Error::InvalidJson { field: ".".into(), message: e.to_string() }.bounded())?;
    let depth = depth(&value);
    if depth > MAX_JSON_DEPTH {
        return Err(Error::LimitExceeded { what: "JSON nesting depth".into(), limit: MAX_JSON_DEPTH, actual: depth });
    }
    Ok(value)
}

/// Deserialise a value already parsed by [`parse_value`] into `T`, strictly.
///
/// # Errors
/// [`Error::InvalidJson`] naming the key path.
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(Strict(value)).map_err(path_error)
}

fn path_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    // A duplicate key is reported by the object that holds it; name the key itself.
    let field = match message.strip_prefix(DUPLICATE).and_then(|m| m.split('`').next()) {
        Some(key) if path.is_empty() || path == "." => key.to_string(),
        Some(key) => format!("{path}.{key}"),
        None if path.is_empty() => ".".into(),
        None => path,
    };
    // serde_json appends " at line L column C" to syntax errors only; keep the message as is,
    // with the input values it quotes (unknown keys and variants, strings) cut short.
    Error::InvalidJson { field, message }.bounded()
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

const DUPLICATE: &str = "duplicate key `";

/// A JSON value whose objects were read with duplicate keys refused.
struct UniqueKeys(Value);

impl<'de> de::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(UniqueKeys)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number must be finite"))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(UniqueKeys(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE}{key}`: each key may appear only once")));
            }
            let UniqueKeys(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A deserializer over a [`Value`] that refuses anything but an object where the target asks for
/// a struct or a map (serde's derived structs would otherwise read an array by position).
#[derive(Clone, Copy)]
pub struct Strict<'a>(pub &'a Value);

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct StrictSeq<'a>(std::slice::Iter<'a, Value>);

impl<'de> SeqAccess<'de> for StrictSeq<'de> {
    type Error = serde_json::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> std::result::Result<Option<T::Value>, Self::Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct StrictMap<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> MapAccess<'de> for StrictMap<'de> {
    type Error = serde_json::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k.as_str().into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> std::result::Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(Strict(v)),
            None => Err(de::Error::custom("value requested before key")),
        }
    }
}

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(StrictSeq(a.iter())),
            Value::Object(o) => visitor.visit_map(StrictMap { iter: o.iter(), value: None }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(StrictSeq(a.iter())),
            other => Err(de::Error::custom(format!("expected a list, found {}", kind(other)))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(o) => visitor.visit_map(StrictMap { iter: o.iter(), value: None }),
            other => Err(de::Error::custom(format!("expected an object, found {}", kind(other)))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct identifier
    }
}

impl PatientRecord {
    /// Parse a record from JSON (strict: limits, unknown and duplicate keys and arrays for
    /// objects refused, see [`parse`]).
    ///
    /// # Errors
    /// See [`parse`].
    pub fn from_json(json: &str) -> Result<Self> {
        parse(json)
    }

    /// The record as JSON (canonical key order of the struct).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: u8,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Option<Inner>,
        list: Option<Vec<Inner>>,
    }

    #[test]
    fn a_duplicate_key_is_refused_naming_its_path() {
        let e = parse::<Outer>(r#"{"inner": {"a": 1, "a": 2}}"#).unwrap_err();
        assert_eq!(e.field(), Some("inner.a"), "{e}");
        let e = parse::<Outer>(r#"{"list": [{"a": 1}, {"a": 1, "a": 2}]}"#).unwrap_err();
        assert_eq!(e.field(), Some("list[1].a"), "{e}");
        let e = parse::<Outer>(r#"{"inner": {"a": 1}, "inner": {"a": 2}}"#).unwrap_err();
        assert_eq!(e.field(), Some("inner"), "{e}");
    }

    #[test]
    fn an_array_where_an_object_belongs_is_refused() {
        assert!(parse::<Outer>("[]").is_err());
        let e = parse::<Outer>(r#"{"inner": [1]}"#).unwrap_err();
        assert_eq!(e.field(), Some("inner"), "{e}");
        assert!(e.to_string().contains("expected an object"), "{e}");
        let e = parse::<Outer>(r#"{"list": [[1]]}"#).unwrap_err();
        assert_eq!(e.field(), Some("list[0]"), "{e}");
    }

    #[test]
    fn well_formed_documents_still_parse() {
        let o = parse::<Outer>(r#"{"inner": {"a": 3}, "list": [{"a": 1}]}"#).unwrap();
        assert_eq!(o.inner.unwrap().a, 3);
        assert_eq!(o.list.unwrap().len(), 1);
        assert!(parse::<Outer>(r#"{"inner": null}"#).unwrap().inner.is_none());
    }

    #[test]
    fn trailing_text_is_refused() {
        assert!(parse_value(r#"{"a": 1} x"#).is_err());
    }
}
