//! Claims: the registered ones (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`), the
//! [`PasetoClaims`] trait for typed custom claims, strict payload parsing, and time validation.

use std::cell::RefCell;
use std::fmt;
use std::time::Duration;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{Cause, ClaimError, Error, Result, TokenError, untrusted};

/// The claim that binds paseto-auth's own tokens to their purpose: cookie tokens (sessions,
/// logins, remember-me) and refresh tokens. It is reserved: the issuer refuses claims that hold
/// it, and an access-token verifier refuses a token that carries it, so neither a cookie sealed
/// with a key that is also an API key nor a refresh token is ever an access token (on v2 too,
/// which has no implicit assertion to tell them apart).
pub(crate) const PURPOSE_CLAIM: &str = "pur";

/// The claim naming a token's family (the tokens of one login, or one chain of refresh tokens),
/// which the revocation store can revoke at once.
#[doc(hidden)]
pub const FAMILY_CLAIM: &str = "fam";

/// The claim that marks an access token issued from credentials rather than from a refresh:
/// `true`, or the RFC 3339 time until which the token counts as fresh.
pub(crate) const FRESH_CLAIM: &str = "fresh";

/// The claim a token meant for a cookie carries its CSRF value in (Flask-JWT-Extended's name);
/// see `paseto_auth::csrf`.
pub const CSRF_CLAIM: &str = "csrf";

/// The claim of a refresh token that counts the refreshes of its family: 0 for the pair issued at
/// login, one more at each refresh.
pub(crate) const GENERATION_CLAIM: &str = "gen";

/// The claim of a pair's tokens holding when the user logged in (RFC 3339): it stays the same
/// through refreshes, so a subject revocation ("log out everywhere") ends the refreshed tokens of
/// logins from before it, and a login's age is bounded.
pub(crate) const AUTH_TIME_CLAIM: &str = "auth_time";

/// When a verified token counts as issued for subject revocations: its `iat`, or the earlier
/// `auth_time` of a refreshed token (whose login came first). A token cannot have been
/// authenticated after it was issued, so a later `auth_time` changes nothing.
#[doc(hidden)]
pub fn issued_for_revocation(
    registered: &RegisteredClaims,
    payload: &Map<String, Value>,
) -> Option<OffsetDateTime> {
    let auth_time = match payload.get(AUTH_TIME_CLAIM) {
        Some(Value::String(text)) => OffsetDateTime::parse(text, &Rfc3339).ok(),
        _ => None,
    };
    match (registered.iat, auth_time) {
        (Some(iat), Some(auth_time)) => Some(iat.min(auth_time)),
        (iat, auth_time) => iat.or(auth_time),
    }
}

/// One custom claim of a [`PasetoClaims`] type, as its derive records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimField {
    /// The claim's name in the token (after `#[serde(rename)]`).
    pub name: &'static str,
    /// Other names serde also reads it from (`#[serde(alias)]`).
    pub aliases: &'static [&'static str],
    /// Whether the claim must be present (its field is not an `Option` and has no default).
    pub required: bool,
}

impl ClaimField {
    /// A claim that must be present, for a hand-written [`PasetoClaims`] impl.
    pub const fn required(name: &'static str) -> Self {
        ClaimField {
            name,
            aliases: &[],
            required: true,
        }
    }

    /// A claim that may be absent.
    pub const fn optional(name: &'static str) -> Self {
        ClaimField {
            name,
            aliases: &[],
            required: false,
        }
    }

    /// Whether the token may name this claim `name` (its name or an alias).
    const fn is_named(&self, name: &str) -> bool {
        if str_eq(self.name, name) {
            return true;
        }
        let mut i = 0;
        while i < self.aliases.len() {
            if str_eq(self.aliases[i], name) {
                return true;
            }
            i += 1;
        }
        false
    }
}

/// `a == b`, as a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A type of custom claims: deserializable from the payload, with its claim names known.
///
/// Derive it with `#[derive(PasetoClaims)]` (it also needs `serde::Deserialize`), or implement
/// it by hand:
///
/// ```
/// use paseto_auth_core::PasetoClaims;
/// use paseto_auth_core::claims::ClaimField;
///
/// #[derive(serde::Deserialize)]
/// struct Scoped {
///     scope: String,
///     tenant: Option<String>,
/// }
///
/// impl PasetoClaims for Scoped {
///     const CLAIMS: &'static [ClaimField] =
///         &[ClaimField::required("scope"), ClaimField::optional("tenant")];
/// }
/// ```
///
/// `#[paseto_required(claims(x))]` checks at compile time that `x` is one of
/// [`CLAIMS`](Self::CLAIMS) (a name or an alias), unless [`CLAIMS_KNOWN`](Self::CLAIMS_KNOWN) is
/// false.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a PASETO claims type",
    label = "this type does not implement `PasetoClaims`",
    note = "add `#[derive(serde::Deserialize, paseto_auth::PasetoClaims)]` to `{Self}`, or use `serde_json::Value` for untyped claims"
)]
pub trait PasetoClaims: DeserializeOwned + Send + 'static {
    /// The custom claims this type reads, in field order.
    const CLAIMS: &'static [ClaimField];

    /// Whether [`CLAIMS`](Self::CLAIMS) is every claim the type reads. False for types that read
    /// any claim (`serde_json::Value`, a struct with a `#[serde(flatten)]` field or read through
    /// `#[serde(transparent)]`/`from`), whose `claims(..)` names are then checked at run time only.
    const CLAIMS_KNOWN: bool = true;

    /// What the fields of some claims read, as `#[derive(PasetoClaims)]` sees their types, for
    /// the compile-time checks of a route's `claim(..)` values and `scope`. Not public API: a
    /// claim absent from the list is not checked.
    #[doc(hidden)]
    const SHAPES: &'static [ClaimShape] = &[];
}

/// What a claim's field reads (see [`PasetoClaims::SHAPES`]). Not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimShape {
    /// The claim's name or one of its aliases.
    pub name: &'static str,
    /// What JSON value the field reads (each item's, for a list).
    pub value: ValueKind,
    /// Whether the field reads an array (`Vec<..>` and the like).
    pub list: bool,
}

/// A kind of JSON value a field reads. Not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A string (`String`, `Box<str>`, ..).
    String,
    /// An integer (`u32`, `i64`, ..).
    Integer,
    /// A number (`f32`, `f64`).
    Float,
    /// `true` or `false`.
    Bool,
    /// A type the derive does not classify.
    Other,
}

/// The shape `C` records for the claim `name`, if any.
const fn shape_of<C: PasetoClaims>(name: &str) -> Option<ClaimShape> {
    let mut i = 0;
    while i < C::SHAPES.len() {
        if str_eq(C::SHAPES[i].name, name) {
            return Some(C::SHAPES[i]);
        }
        i += 1;
    }
    None
}

/// Whether `C` reads the claim `name` as values of `kind` (or lists of them): what
/// `#[paseto_required(claim(..))]` asserts against, for each kind a literal can never equal.
#[doc(hidden)]
pub const fn reads_claim_as<C: PasetoClaims>(name: &str, kind: ValueKind) -> bool {
    match shape_of::<C>(name) {
        Some(shape) => shape.value as u8 == kind as u8,
        None => false,
    }
}

/// Whether `C` reads the claim `name` as a list: `#[paseto_required(scope = ..)]` asserts it
/// does not read `scope` so.
#[doc(hidden)]
pub const fn reads_claim_as_list<C: PasetoClaims>(name: &str) -> bool {
    match shape_of::<C>(name) {
        Some(shape) => shape.list,
        None => false,
    }
}

/// Whether `C` has the claim `name`, or its claims are not known (what `#[paseto_required]`'s
/// compile-time check of `claims(..)` evaluates).
#[doc(hidden)]
pub const fn has_claim<C: PasetoClaims>(name: &str) -> bool {
    if !C::CLAIMS_KNOWN {
        return true;
    }
    let mut i = 0;
    while i < C::CLAIMS.len() {
        if C::CLAIMS[i].is_named(name) {
            return true;
        }
        i += 1;
    }
    false
}

impl PasetoClaims for Value {
    const CLAIMS: &'static [ClaimField] = &[];
    const CLAIMS_KNOWN: bool = false;
}

impl PasetoClaims for Map<String, Value> {
    const CLAIMS: &'static [ClaimField] = &[];
    const CLAIMS_KNOWN: bool = false;
}

impl PasetoClaims for () {
    const CLAIMS: &'static [ClaimField] = &[];
    const CLAIMS_KNOWN: bool = false;
}

/// A fresh token id (`jti`, a login session id): 128 random bits, base64url.
#[doc(hidden)]
pub fn random_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|_| Error::Crypto(Cause::msg("random id generation failed")))?;
    Ok(<base64ct::Base64UrlUnpadded as base64ct::Encoding>::encode_string(&bytes))
}

/// A point in time that (de)serializes as RFC 3339, the format of PASETO's time claims.
///
/// Use it for `exp`/`nbf`/`iat` fields of a claims struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    /// The current time.
    pub fn now() -> Self {
        Timestamp(OffsetDateTime::now_utc())
    }

    /// Formats as RFC 3339 (UTC, whole seconds).
    pub fn to_rfc3339(self) -> String {
        format_time(self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

/// Parses the time from the borrowed text, without copying it into a `String` first.
struct TimestampVisitor;

impl de::Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 3339 time")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Timestamp, E> {
        OffsetDateTime::parse(text, &Rfc3339)
            .map(Timestamp)
            .map_err(|_| E::custom("expected an RFC 3339 time"))
    }
}

/// Formats a time as RFC 3339 in UTC with whole seconds (`2026-01-02T03:04:05Z`). A time read
/// from RFC 3339 whose UTC date RFC 3339 cannot write (`9999-12-31T23:59:59-01:00` is in year
/// 10000 in UTC, `0000-01-01T00:00:00+01:00` in year -1) keeps its own offset, rather than panic
/// or come out empty.
pub(crate) fn format_time(time: OffsetDateTime) -> String {
    let time = time
        .checked_to_offset(time::UtcOffset::UTC)
        .filter(|utc| (0..=9999).contains(&utc.year()))
        .unwrap_or(time);
    let time = time.replace_nanosecond(0).unwrap_or(time);
    time.format(&Rfc3339).unwrap_or_default()
}

/// The registered claims of a verified token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisteredClaims {
    /// `iss`: who issued the token.
    pub iss: Option<String>,
    /// `sub`: whom the token is about.
    pub sub: Option<String>,
    /// `aud`: the audiences (a string or an array in the token).
    pub aud: Vec<String>,
    /// `exp`: when it expires.
    pub exp: Option<OffsetDateTime>,
    /// `nbf`: not valid before.
    pub nbf: Option<OffsetDateTime>,
    /// `iat`: when it was issued.
    pub iat: Option<OffsetDateTime>,
    /// `jti`: the token's id.
    pub jti: Option<String>,
}

fn invalid_claim(claim: &str, reason: &str) -> Error {
    Error::Claims(ClaimError::InvalidClaim {
        claim: claim.to_owned(),
        reason: reason.to_owned(),
    })
}

fn string_claim(payload: &Map<String, Value>, claim: &str) -> Result<Option<String>> {
    match payload.get(claim) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid_claim(claim, "must be a string")),
    }
}

fn time_claim(payload: &Map<String, Value>, claim: &str) -> Result<Option<OffsetDateTime>> {
    match payload.get(claim) {
        None => Ok(None),
        Some(Value::String(s)) => OffsetDateTime::parse(s, &Rfc3339)
            .map(Some)
            .map_err(|_| invalid_claim(claim, "must be an RFC 3339 time")),
        Some(_) => Err(invalid_claim(claim, "must be an RFC 3339 time string")),
    }
}

impl RegisteredClaims {
    /// Reads the registered claims of a payload, refusing ones of the wrong type.
    pub fn from_payload(payload: &Map<String, Value>) -> Result<Self> {
        let aud = match payload.get("aud") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid_claim("aud", "must be a string or an array of strings"))?,
            Some(_) => {
                return Err(invalid_claim(
                    "aud",
                    "must be a string or an array of strings",
                ));
            }
        };
        Ok(RegisteredClaims {
            iss: string_claim(payload, "iss")?,
            sub: string_claim(payload, "sub")?,
            aud,
            exp: time_claim(payload, "exp")?,
            nbf: time_claim(payload, "nbf")?,
            iat: time_claim(payload, "iat")?,
            jti: string_claim(payload, "jti")?,
        })
    }
}

/// How the time claims are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeRules {
    /// Clock skew tolerated on `exp`, `nbf` and `iat` (Flask's `PASETO_SKEW`).
    pub(crate) leeway: Duration,
    /// Accept tokens without `exp` (off by default: tokens must expire).
    pub(crate) allow_no_exp: bool,
    /// Skip every time check (for debugging tools only).
    pub(crate) skip: bool,
}

impl Default for TimeRules {
    fn default() -> Self {
        TimeRules {
            leeway: Duration::ZERO,
            allow_no_exp: false,
            skip: false,
        }
    }
}

impl TimeRules {
    /// Checks `exp`, `nbf` and `iat` against `now`.
    pub(crate) fn check(&self, claims: &RegisteredClaims, now: OffsetDateTime) -> Result<()> {
        if self.skip {
            return Ok(());
        }
        let leeway = time::Duration::try_from(self.leeway).unwrap_or(time::Duration::MAX);
        let later = now.checked_add(leeway).unwrap_or(now);
        let earlier = now.checked_sub(leeway).unwrap_or(now);
        match claims.exp {
            Some(exp) if exp <= earlier => return Err(Error::Claims(ClaimError::Expired)),
            None if !self.allow_no_exp => return Err(Error::Claims(ClaimError::MissingExpiration)),
            _ => {}
        }
        if claims.nbf.is_some_and(|nbf| nbf > later) {
            return Err(Error::Claims(ClaimError::NotYetValid));
        }
        if claims.iat.is_some_and(|iat| iat > later) {
            return Err(Error::Claims(ClaimError::IssuedInFuture));
        }
        Ok(())
    }
}

/// Parses a payload: it must be a JSON object with unique keys at every level.
pub(crate) fn parse_payload(payload: &[u8]) -> Result<Map<String, Value>> {
    parse_object(payload).map_err(|err| match err {
        ObjectError::Duplicate(name) => Error::Token(TokenError::DuplicateClaim(name)),
        ObjectError::Invalid(message) => Error::Token(TokenError::InvalidPayload(message)),
    })
}

/// Why [`parse_object`] refused a text; both messages are escaped and truncated.
pub(crate) enum ObjectError {
    /// An object repeats this key.
    Duplicate(String),
    /// Not one JSON object (the parser's message).
    Invalid(String),
}

/// Parses one JSON object with unique keys at every level (payloads, footers): a repeated key is
/// a parser differential (this parser would keep the last value, another the first), so it is
/// refused, not resolved.
pub(crate) fn parse_object(text: &[u8]) -> std::result::Result<Map<String, Value>, ObjectError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let parsed = StrictValue {
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, duplicate.into_inner()) {
        (_, Some(name)) => Err(ObjectError::Duplicate(untrusted(name))),
        (Ok(Value::Object(map)), None) => Ok(map),
        (Ok(_), None) => Err(ObjectError::Invalid("not an object".into())),
        (Err(e), None) => Err(ObjectError::Invalid(untrusted(e))),
    }
}

/// Deserializes any JSON value, failing (and naming the key) when an object repeats a key.
struct StrictValue<'a> {
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
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

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue {
            duplicate: self.duplicate,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> std::result::Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(key);
                return Err(de::Error::custom("duplicate key"));
            }
            let value = access.next_value_seed(StrictValue {
                duplicate: self.duplicate,
            })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Found by the `keyset` fuzz target's round trip (a document read, then written out):
    /// times at the edges of RFC 3339 once panicked (year 10000 in UTC) or were written empty.
    #[test]
    fn times_at_the_edges_of_rfc3339_are_written_without_panic() {
        for (read, written) in [
            ("9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59-01:00"),
            ("9999-12-31T23:59:59.5-23:59", "9999-12-31T23:59:59-23:59"),
            ("0000-01-01T00:00:00+01:00", "0000-01-01T00:00:00+01:00"),
            ("9999-12-31T23:59:59+01:00", "9999-12-31T22:59:59Z"),
            ("2026-01-02T03:04:05.25+02:00", "2026-01-02T01:04:05Z"),
        ] {
            let time = OffsetDateTime::parse(read, &Rfc3339).unwrap();
            let text = format_time(time);
            assert_eq!(text, written, "{read}");
            let again = OffsetDateTime::parse(&text, &Rfc3339).unwrap();
            assert_eq!(again, time.replace_nanosecond(0).unwrap(), "{read}");
            assert_eq!(
                serde_json::to_value(Timestamp(time)).unwrap(),
                Value::String(text)
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let err = parse_payload(br#"{"sub":"alice","sub":"admin"}"#).unwrap_err();
        assert!(matches!(err, Error::Token(TokenError::DuplicateClaim(name)) if name == "sub"));
        let err = parse_payload(br#"{"user":{"id":1,"id":2}}"#).unwrap_err();
        assert!(matches!(err, Error::Token(TokenError::DuplicateClaim(name)) if name == "id"));
    }

    #[test]
    fn the_payload_must_be_one_object() {
        assert!(matches!(
            parse_payload(b"[1,2]"),
            Err(Error::Token(TokenError::InvalidPayload(_)))
        ));
        assert!(matches!(
            parse_payload(b"{} {}"),
            Err(Error::Token(TokenError::InvalidPayload(_)))
        ));
        assert!(matches!(
            parse_payload(b"\xff"),
            Err(Error::Token(TokenError::InvalidPayload(_)))
        ));
        assert_eq!(parse_payload(br#"{"a":[1,{"b":null}]}"#).unwrap().len(), 1);
    }

    #[test]
    fn registered_claims_have_types() {
        let map = parse_payload(br#"{"exp":"tomorrow"}"#).unwrap();
        let err = RegisteredClaims::from_payload(&map).unwrap_err();
        assert!(
            matches!(err, Error::Claims(ClaimError::InvalidClaim { claim, .. }) if claim == "exp")
        );
        let map =
            parse_payload(br#"{"aud":["a","b"],"iss":"x","exp":"2030-01-01T00:00:00+00:00"}"#)
                .unwrap();
        let claims = RegisteredClaims::from_payload(&map).unwrap();
        assert_eq!(claims.aud, ["a", "b"]);
        assert_eq!(claims.exp, Some(datetime!(2030-01-01 0:00 UTC)));
    }

    fn claims(
        exp: Option<OffsetDateTime>,
        nbf: Option<OffsetDateTime>,
        iat: Option<OffsetDateTime>,
    ) -> RegisteredClaims {
        RegisteredClaims {
            exp,
            nbf,
            iat,
            ..Default::default()
        }
    }

    #[test]
    fn time_rules_apply_the_leeway() {
        let now = datetime!(2026-06-01 12:00 UTC);
        let strict = TimeRules::default();
        let lenient = TimeRules {
            leeway: Duration::from_secs(60),
            ..TimeRules::default()
        };
        let just_expired = claims(Some(now - time::Duration::seconds(30)), None, None);
        assert!(matches!(
            strict.check(&just_expired, now),
            Err(Error::Claims(ClaimError::Expired))
        ));
        assert!(lenient.check(&just_expired, now).is_ok());
        let early = claims(
            Some(now + time::Duration::hours(1)),
            Some(now + time::Duration::seconds(90)),
            None,
        );
        assert!(matches!(
            lenient.check(&early, now),
            Err(Error::Claims(ClaimError::NotYetValid))
        ));
        let future_iat = claims(
            Some(now + time::Duration::hours(1)),
            None,
            Some(now + time::Duration::minutes(5)),
        );
        assert!(matches!(
            lenient.check(&future_iat, now),
            Err(Error::Claims(ClaimError::IssuedInFuture))
        ));
        assert!(matches!(
            strict.check(&claims(None, None, None), now),
            Err(Error::Claims(ClaimError::MissingExpiration))
        ));
        let open = TimeRules {
            allow_no_exp: true,
            ..TimeRules::default()
        };
        assert!(open.check(&claims(None, None, None), now).is_ok());
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let ts = Timestamp(datetime!(2026-01-02 03:04:05.6 UTC));
        assert_eq!(
            serde_json::to_string(&ts).unwrap(),
            r#""2026-01-02T03:04:05Z""#
        );
        let back: Timestamp = serde_json::from_str(r#""2026-01-02T03:04:05+00:00""#).unwrap();
        assert_eq!(back.0, datetime!(2026-01-02 03:04:05 UTC));
        assert!(serde_json::from_str::<Timestamp>(r#""yesterday""#).is_err());
    }
}
