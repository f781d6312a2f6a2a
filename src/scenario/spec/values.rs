//! Values written in more than one form: a number or a parameter name (`Scalar`), one
//! value for every region or a table by region (`PerRegion`), each with a deserialiser
//! that takes every form and says what it expected.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A number, or the name of a parameter drawn per draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A number.
    Num(f64),
    /// The name of a parameter, drawn per draw.
    Param(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or the name of a parameter")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Param(v.to_string()))
    }
}

/// One value for every region, or a table of values by region id.
#[derive(Debug, Clone, PartialEq)]
pub enum PerRegion {
    /// One value for every region.
    All(Scalar),
    /// A value per region id.
    ByRegion(BTreeMap<String, Scalar>),
}

impl<'de> Deserialize<'de> for PerRegion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PerRegionVisitor)
    }
}

struct PerRegionVisitor;

impl<'de> Visitor<'de> for PerRegionVisitor {
    type Value = PerRegion;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a parameter name, or a table of values by region id")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_f64(v).map(PerRegion::All)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_i64(v).map(PerRegion::All)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_u64(v).map(PerRegion::All)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PerRegion, E> {
        ScalarVisitor.visit_str(v).map(PerRegion::All)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerRegion, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Scalar>()? {
            out.insert(k, v);
        }
        Ok(PerRegion::ByRegion(out))
    }
}
