//! A compact JSON writer that gives exactly `serde_json::to_string`'s bytes, faster.
//!
//! The plan JSON is mostly text (about 47–70 KB of sentences, citations and inputs), and
//! `serde_json` escapes strings one byte at a time (about 9 instructions a byte by callgrind:
//! three quarters of `Plan::to_json`). This writer scans eight bytes at a time for the bytes
//! that need escaping (`"`, `\`, controls below 0x20) and copies the runs between them whole.
//! Numbers are written by `serde_json`'s own formatter (itoa, ryu), and every other rule is
//! `serde_json`'s compact form: non-finite floats as `null`, a newtype variant as
//! `{"variant":value}`, map keys as strings (integer keys quoted). The plan JSON is a contract
//! with hospital software: the test `fast_json_writer_gives_serde_json_bytes_for_every_golden_plan`
//! compares the bytes with `serde_json::to_string`, and any value this writer refuses falls back
//! to `serde_json` ([`to_string`]).

use serde::ser::{self, Serialize};
use serde_json::ser::Formatter;

/// The value as compact JSON, byte for byte what `serde_json::to_string` gives (empty if that
/// fails, as the callers' `unwrap_or_default` did). `capacity` pre-sizes the output.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut w = Writer { out: String::with_capacity(capacity), num: Vec::with_capacity(40) };
    match value.serialize(&mut w) {
        Ok(()) => w.out,
        // A shape this writer does not take (a non-string map key): serde_json decides.
        Err(_) => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// The writer's error: only a map key that is not a string or an integer.
#[derive(Debug)]
pub(crate) struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Refused(msg.to_string())
    }
}

type R = std::result::Result<(), Refused>;

struct Writer {
    out: String,
    /// Scratch for numbers (serde_json's formatter writes bytes).
    num: Vec<u8>,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of `x` is below 0x20, `"` or `\` (exact: no byte is missed; a flagged
/// word is then checked byte by byte).
#[inline]
fn needs_escape(x: u64) -> bool {
    let below_space = x.wrapping_sub(LO * 0x20) & !x;
    let q = x ^ (LO * u64::from(b'"'));
    let quote = q.wrapping_sub(LO) & !q;
    let b = x ^ (LO * u64::from(b'\\'));
    let backslash = b.wrapping_sub(LO) & !b;
    (below_space | quote | backslash) & HI != 0
}

#[inline]
fn escape_of(b: u8) -> Option<&'static str> {
    Some(match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        0x08 => "\\b",
        0x0c => "\\f",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x00..=0x1f => "",
        _ => return None,
    })
}

impl Writer {
    fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        let bytes = s.as_bytes();
        let mut start = 0; // start of the run not yet copied
        let mut i = 0;
        while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
            // Eight bytes at a time; a short tail is padded with spaces (which need no escape).
            let (word, n) = match rest.get(..8) {
                Some(w) => {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(w);
                    (a, 8)
                }
                None => {
                    let mut a = [b' '; 8];
                    for (d, b) in a.iter_mut().zip(rest) {
                        *d = *b;
                    }
                    (a, rest.len())
                }
            };
            if needs_escape(u64::from_le_bytes(word)) {
                for k in i..i + n {
                    self.byte(s, bytes, &mut start, k);
                }
            }
            i += n;
        }
        self.out.push_str(s.get(start..).unwrap_or_default());
        self.out.push('"');
    }

    /// Escape the byte at `i` if it needs it (copying the run before it first).
    #[inline(never)]
    fn byte(&mut self, s: &str, bytes: &[u8], start: &mut usize, i: usize) {
        let Some(&b) = bytes.get(i) else { return };
        let Some(esc) = escape_of(b) else { return };
        // `b` is ASCII, so `i` and `i + 1` are char boundaries.
        self.out.push_str(s.get(*start..i).unwrap_or_default());
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            self.out.push_str("\\u00");
            self.out.push(char::from(*HEX.get(usize::from(b >> 4)).unwrap_or(&b'0')));
            self.out.push(char::from(*HEX.get(usize::from(b & 0xf)).unwrap_or(&b'0')));
        } else {
            self.out.push_str(esc);
        }
        *start = i + 1;
    }

    /// A number written by serde_json's compact formatter.
    fn number(&mut self, f: impl FnOnce(&mut serde_json::ser::CompactFormatter, &mut Vec<u8>) -> std::io::Result<()>) {
        self.num.clear();
        if f(&mut serde_json::ser::CompactFormatter, &mut self.num).is_ok() {
            // itoa and ryu write ASCII digits only.
            if let Ok(s) = std::str::from_utf8(&self.num) {
                self.out.push_str(s);
            }
        }
    }
}

/// An array or object under way: whether a comma is due.
pub(crate) struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// The closing bytes (`]`, `}`, or `]}` / `}}` for a variant).
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.out.push(',');
        }
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> R {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.number(|f, w| f.write_i8(w, v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.number(|f, w| f.write_i16(w, v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.number(|f, w| f.write_i32(w, v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.number(|f, w| f.write_i64(w, v));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> R {
        self.number(|f, w| f.write_i128(w, v));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.number(|f, w| f.write_u8(w, v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.number(|f, w| f.write_u16(w, v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.number(|f, w| f.write_u32(w, v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.number(|f, w| f.write_u64(w, v));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> R {
        self.number(|f, w| f.write_u128(w, v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        if v.is_finite() {
            self.number(|f, w| f.write_f32(w, v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R {
        if v.is_finite() {
            self.number(|f, w| f.write_f64(w, v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        let mut buf = [0; 4];
        self.string(v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        use ser::SerializeSeq;
        let mut s = self.serialize_seq(Some(v.len()))?;
        for b in v {
            s.serialize_element(b)?;
        }
        s.end()
    }
    fn serialize_none(self) -> R {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> std::result::Result<Compound<'a>, Refused> {
        self.out.push('[');
        Ok(Compound { w: self, first: true, close: "]" })
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<Compound<'a>, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> std::result::Result<Compound<'a>, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Compound<'a>, Refused> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":[");
        Ok(Compound { w: self, first: true, close: "]}" })
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<Compound<'a>, Refused> {
        self.out.push('{');
        Ok(Compound { w: self, first: true, close: "}" })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> std::result::Result<Compound<'a>, Refused> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Compound<'a>, Refused> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":{");
        Ok(Compound { w: self, first: true, close: "}}" })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.comma();
        key.serialize(KeyWriter(&mut *self.w))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        self.comma();
        self.w.string(key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> R {
        ser::SerializeStruct::end(self)
    }
}

/// A map key: a string, a char, a unit variant, or an integer (quoted), as serde_json writes
/// keys; anything else is refused (and [`to_string`] falls back to serde_json).
struct KeyWriter<'a>(&'a mut Writer);

fn refuse() -> R {
    Err(Refused("key must be a string".into()))
}

macro_rules! int_key {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> R {
            self.0.out.push('"');
            self.0.number(|f, w| f.write_i128(w, i128::from(v)));
            self.0.out.push('"');
            Ok(())
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = ser::Impossible<(), Refused>;
    type SerializeTuple = ser::Impossible<(), Refused>;
    type SerializeTupleStruct = ser::Impossible<(), Refused>;
    type SerializeTupleVariant = ser::Impossible<(), Refused>;
    type SerializeMap = ser::Impossible<(), Refused>;
    type SerializeStruct = ser::Impossible<(), Refused>;
    type SerializeStructVariant = ser::Impossible<(), Refused>;

    fn serialize_str(self, v: &str) -> R {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        let mut buf = [0; 4];
        self.0.string(v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R {
        self.0.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    int_key!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
             serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_bool(self, _v: bool) -> R {
        refuse()
    }
    fn serialize_i128(self, _v: i128) -> R {
        refuse()
    }
    fn serialize_u128(self, _v: u128) -> R {
        refuse()
    }
    fn serialize_f32(self, _v: f32) -> R {
        refuse()
    }
    fn serialize_f64(self, _v: f64) -> R {
        refuse()
    }
    fn serialize_bytes(self, _v: &[u8]) -> R {
        refuse()
    }
    fn serialize_none(self) -> R {
        refuse()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> R {
        refuse()
    }
    fn serialize_unit(self) -> R {
        refuse()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        refuse()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> R {
        refuse()
    }
    fn serialize_seq(self, _len: Option<usize>) -> std::result::Result<Self::SerializeSeq, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_tuple(self, _len: usize) -> std::result::Result<Self::SerializeTuple, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<Self::SerializeMap, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> std::result::Result<Self::SerializeStruct, Refused> {
        Err(Refused("key must be a string".into()))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, Refused> {
        Err(Refused("key must be a string".into()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every byte value around the escape edges, in every position of an 8-byte word.
    #[test]
    fn fast_json_writer_escapes_exactly_as_serde_json() {
        let mut samples: Vec<String> = Vec::new();
        for c in (0u8..0x80).map(char::from).chain(['é', '–', '≥', '²', '😀']) {
            for pad in 0..10 {
                let s: String = "a".repeat(pad) + &c.to_string() + &"b".repeat(9 - pad);
                samples.push(s);
            }
        }
        samples.push(String::new());
        samples.push("\"\\\u{1f}\u{7f}\n\r\t\u{8}\u{c}\u{0}".repeat(3));
        for s in &samples {
            assert_eq!(to_string(s, 0), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        let v = serde_json::json!({"a": [1, -2, 1.5, 1e300, 0.1, null, true], "k\"": {"x": "y\n"}});
        assert_eq!(to_string(&v, 0), serde_json::to_string(&v).unwrap());
        let m: std::collections::BTreeMap<u32, f64> = [(3, f64::NAN), (10, 2.0)].into();
        assert_eq!(to_string(&m, 0), serde_json::to_string(&m).unwrap());
    }

    /// Every golden case's and example's plan, under each risk definition, profile and the EU
    /// jurisdiction, plus each assessment the JSON API writes: the same bytes as serde_json.
    #[test]
    fn fast_json_writer_gives_serde_json_bytes_for_every_golden_plan() {
        use crate::guideline::{Jurisdiction, RiskDefinition};
        use crate::kb::Profile;
        let kb = crate::KnowledgeBase::embedded();
        let mut checked = 0;
        for (name, p, g0) in crate::engine::counterfactuals_tests_records() {
            let mut guidelines = vec![g0.clone()];
            guidelines.extend(RiskDefinition::ALL.into_iter().map(|d| g0.clone().with_risk_definition(d)));
            guidelines.extend(Profile::ALL.into_iter().map(|pr| g0.clone().with_profile(pr)));
            guidelines.push(g0.clone().with_jurisdiction(Jurisdiction::Eu));
            for g in guidelines {
                if let Ok(plan) = crate::recommend_with(kb, &p, &g) {
                    assert_eq!(plan.to_json(), serde_json::to_string(&plan).unwrap(), "{name}");
                    checked += 1;
                }
            }
            let staging = crate::assess::staging::stage_all(kb, &p);
            assert_eq!(to_string(&staging, 0), serde_json::to_string(&staging).unwrap(), "{name}");
            let diagnosis = crate::assess::diagnosis::diagnose_with(kb, &p, &g0);
            assert_eq!(to_string(&diagnosis, 0), serde_json::to_string(&diagnosis).unwrap(), "{name}");
            let compare = crate::assess::risk::compare(kb, &p, g0.del17p_cutoff);
            assert_eq!(to_string(&compare, 0), serde_json::to_string(&compare).unwrap(), "{name}");
        }
        assert!(checked > 1000, "{checked} plans checked");
    }
}
