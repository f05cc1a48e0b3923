//! An oracle for JSON texts, written apart from the crate's own parsers: the nesting depth, the
//! number of object keys (every occurrence, at all depths) and whether an object repeats a key.

use std::collections::HashSet;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The shape of one JSON value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Objects and arrays nested: `1` for `{"a":1}`, `2` for `{"a":[1]}`, `0` for a scalar.
    pub depth: usize,
    /// Object keys at all depths, each occurrence counted (repeats included).
    pub keys: usize,
    /// Whether some object repeats a key.
    pub duplicate: bool,
    /// Whether the value is an object.
    pub object: bool,
}

/// The shape of `text` when it is one JSON value (serde_json's grammar, its recursion limit
/// included); `None` otherwise.
pub fn shape(text: &[u8]) -> Option<Shape> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let shape = ShapeSeed.deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(shape)
}

struct ShapeSeed;

impl<'de> DeserializeSeed<'de> for ShapeSeed {
    type Value = Shape;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::default())
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut shape = Shape::default();
        while let Some(item) = seq.next_element_seed(ShapeSeed)? {
            shape.depth = shape.depth.max(item.depth);
            shape.keys += item.keys;
            shape.duplicate |= item.duplicate;
        }
        shape.depth += 1;
        Ok(shape)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut shape = Shape {
            object: true,
            ..Shape::default()
        };
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            shape.keys += 1;
            shape.duplicate |= !seen.insert(key);
            let value = map.next_value_seed(ShapeSeed)?;
            shape.depth = shape.depth.max(value.depth);
            shape.keys += value.keys;
            shape.duplicate |= value.duplicate;
        }
        shape.depth += 1;
        Ok(shape)
    }
}

/// Whether `text` is one JSON value of any kind (serde_json's grammar).
pub fn is_json(text: &[u8]) -> bool {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    (&mut deserializer)
        .deserialize_any(IgnoredAny)
        .and_then(|_| deserializer.end())
        .is_ok()
}
