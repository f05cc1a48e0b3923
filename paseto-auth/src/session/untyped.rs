//! The untyped session: a JSON object in the cookie `session`, for dynamic data.

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Session, SessionData, SessionSpec};

/// Session data as a JSON object, stored in the cookie `session` with the default attributes.
///
/// It derefs to [`serde_json::Map`]; [`get_as`](JsonMap::get_as) and [`set`](JsonMap::set)
/// convert values to and from Rust types.
///
/// ```
/// use paseto_auth::session::JsonMap;
/// let mut map = JsonMap::default();
/// map.set("user", "foo@example.com")?;
/// assert_eq!(map.get_as::<String>("user").as_deref(), Some("foo@example.com"));
/// assert_eq!(map.get_as::<u32>("user"), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonMap(pub Map<String, Value>);

impl JsonMap {
    /// The value at `key` converted to `V`; `None` when absent or of another type.
    pub fn get_as<V: DeserializeOwned>(&self, key: &str) -> Option<V> {
        self.0.get(key).and_then(|value| V::deserialize(value).ok())
    }

    /// Stores `value` at `key`; fails when it does not serialize to JSON.
    pub fn set<V: Serialize>(
        &mut self,
        key: impl Into<String>,
        value: V,
    ) -> Result<(), serde_json::Error> {
        self.0.insert(key.into(), serde_json::to_value(value)?);
        Ok(())
    }
}

impl Deref for JsonMap {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for JsonMap {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl SessionData for JsonMap {
    const SPEC: SessionSpec = SessionSpec::new("session");
}

/// A session of dynamic JSON data in the cookie `session`.
///
/// ```
/// use paseto_auth::session::UntypedSession;
///
/// async fn handler(mut session: UntypedSession) -> String {
///     let visits = session.get_as::<u64>("visits").unwrap_or(0) + 1;
///     session.insert("visits".into(), visits.into());
///     format!("visit {visits}")
/// }
/// # let _ = handler;
/// ```
pub type UntypedSession = Session<JsonMap>;
