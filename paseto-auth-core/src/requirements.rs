//! What a verified token must also satisfy: issuers, audience, subject, token id, claims, scopes,
//! claim values, freshness, and per-route version, purpose and leeway. Failing one is `insufficient_scope`
//! (HTTP 403), but for freshness: a stale token is `insufficient_user_authentication` (HTTP 401,
//! RFC 9470), since logging in again is what the client must do.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::claims::{FRESH_CLAIM, RegisteredClaims};
use crate::error::{ClaimError, Error, Result, truncated};
use crate::version::{Purpose, Version};

/// Requirements on a token beyond authenticity and time validity.
///
/// ```
/// use paseto_auth_core::Requirements;
/// let admin_api = Requirements::new().issuer("https://issuer.example").audience("api").claim("roles");
/// assert_eq!(admin_api.claims(), ["roles"]);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    issuers: Vec<String>,
    audiences: Vec<String>,
    subject: Option<String>,
    token_id: Option<String>,
    claims: Vec<String>,
    scopes: Vec<String>,
    claim_values: Vec<(String, Value)>,
    version: Option<Version>,
    purpose: Option<Purpose>,
    leeway: Option<Duration>,
    fresh: bool,
}

impl Requirements {
    /// No requirements.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accept tokens whose `iss` is this (repeat to accept any of several).
    #[must_use]
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuers.push(issuer.into());
        self
    }

    /// Accept tokens whose `aud` contains this (repeat to accept any of several).
    #[must_use]
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// Require this `sub`.
    #[must_use]
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Require this `jti`.
    #[must_use]
    pub fn token_id(mut self, jti: impl Into<String>) -> Self {
        self.token_id = Some(jti.into());
        self
    }

    /// Require this claim to be present, with a value other than `null`.
    #[must_use]
    pub fn claim(mut self, name: impl Into<String>) -> Self {
        self.claims.push(name.into());
        self
    }

    /// Require these scopes in the token's `scope` claim, a space-separated list as OAuth 2.0
    /// writes it (RFC 6749 §3.3; RFC 9068 for access tokens): `scope("read:orders")`, or several
    /// at once, `scope("read:orders write:orders")`, each of which must be granted.
    #[must_use]
    pub fn scope(mut self, scopes: &str) -> Self {
        for scope in scopes.split_ascii_whitespace() {
            if !self.scopes.iter().any(|s| s == scope) {
                self.scopes.push(scope.to_owned());
            }
        }
        self
    }

    /// Require claim `name` to equal `value` (`claim_value("role", "admin")`); a claim that is an
    /// array meets it when one of its elements equals `value` (`"roles": ["admin", "ops"]`).
    #[must_use]
    pub fn claim_value(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.claim_values.push((name.into(), value.into()));
        self
    }

    /// Accept only tokens of this version.
    #[must_use]
    pub fn version(mut self, version: Version) -> Self {
        self.version = Some(version);
        self
    }

    /// Accept only tokens of this purpose.
    #[must_use]
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = Some(purpose);
        self
    }

    /// Require a fresh token: `"fresh": true`, or a `fresh` time not yet past (a token issued
    /// from credentials, [`TokenOptions::fresh`](crate::TokenOptions::fresh); never one from a
    /// refresh).
    #[must_use]
    pub fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    /// Use this leeway on time claims instead of the verifier's.
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = Some(leeway);
        self
    }

    /// The accepted issuers (any of them; none: any issuer).
    pub fn issuers(&self) -> &[String] {
        &self.issuers
    }

    /// The accepted audiences (any of them; none: any audience).
    pub fn audiences(&self) -> &[String] {
        &self.audiences
    }

    /// The required `sub`, if any.
    pub fn required_subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    /// The required `jti`, if any.
    pub fn required_token_id(&self) -> Option<&str> {
        self.token_id.as_deref()
    }

    /// The required claims.
    pub fn claims(&self) -> &[String] {
        &self.claims
    }

    /// The scopes the token's `scope` claim must grant, each once, in the order given.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The claims that must have a value, with that value.
    pub fn claim_values(&self) -> &[(String, Value)] {
        &self.claim_values
    }

    /// Whether only a fresh token is accepted.
    pub fn requires_fresh(&self) -> bool {
        self.fresh
    }

    /// The version restriction, if any.
    pub fn required_version(&self) -> Option<Version> {
        self.version
    }

    /// The purpose restriction, if any.
    pub fn required_purpose(&self) -> Option<Purpose> {
        self.purpose
    }

    /// The leeway override, if any.
    pub fn leeway_override(&self) -> Option<Duration> {
        self.leeway
    }

    /// Checks the claim requirements against a verified payload.
    pub fn check(&self, registered: &RegisteredClaims, payload: &Map<String, Value>) -> Result<()> {
        if !self.issuers.is_empty() {
            let accepted = registered
                .iss
                .as_ref()
                .is_some_and(|iss| self.issuers.iter().any(|want| want == iss));
            if !accepted {
                return Err(Error::Claims(ClaimError::IssuerNotAccepted(
                    registered.iss.as_deref().map(truncated),
                )));
            }
        }
        if !self.audiences.is_empty()
            && !registered
                .aud
                .iter()
                .any(|aud| self.audiences.contains(aud))
        {
            return Err(Error::Claims(ClaimError::AudienceNotAccepted));
        }
        if self.subject.is_some() && registered.sub != self.subject {
            return Err(Error::Claims(ClaimError::SubjectNotAccepted));
        }
        if self.token_id.is_some() && registered.jti != self.token_id {
            return Err(Error::Claims(ClaimError::TokenIdNotAccepted));
        }
        // A claim is present only with a value: `"nickname": null` (what serde writes for a
        // `None`) does not meet `claims(nickname)`.
        if let Some(missing) = self
            .claims
            .iter()
            .find(|c| payload.get(c.as_str()).is_none_or(Value::is_null))
        {
            return Err(Error::Claims(ClaimError::MissingClaim(missing.clone())));
        }
        if let Some(scope) = self.scopes.iter().find(|s| !granted(payload, s)) {
            return Err(Error::Claims(ClaimError::ScopeNotGranted(scope.clone())));
        }
        if let Some((name, _)) = self
            .claim_values
            .iter()
            .find(|(name, want)| !has_value(payload.get(name.as_str()), want))
        {
            return Err(Error::Claims(ClaimError::ClaimNotAccepted(name.clone())));
        }
        if self.fresh && !is_fresh(payload.get(FRESH_CLAIM), OffsetDateTime::now_utc()) {
            return Err(Error::Claims(ClaimError::NotFresh));
        }
        Ok(())
    }
}

/// Only the requirements that are set (`Requirements { audiences: ["api"] }`): a route's span
/// and log lines stay short.
impl fmt::Debug for Requirements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Requirements");
        if !self.issuers.is_empty() {
            out.field("issuers", &self.issuers);
        }
        if !self.audiences.is_empty() {
            out.field("audiences", &self.audiences);
        }
        if let Some(subject) = &self.subject {
            out.field("subject", subject);
        }
        if let Some(token_id) = &self.token_id {
            out.field("token_id", token_id);
        }
        if !self.claims.is_empty() {
            out.field("claims", &self.claims);
        }
        if !self.scopes.is_empty() {
            out.field("scopes", &self.scopes);
        }
        if !self.claim_values.is_empty() {
            out.field("claim_values", &self.claim_values);
        }
        if let Some(version) = &self.version {
            out.field("version", version);
        }
        if let Some(purpose) = &self.purpose {
            out.field("purpose", purpose);
        }
        if let Some(leeway) = &self.leeway {
            out.field("leeway", leeway);
        }
        if self.fresh {
            out.field("fresh", &true);
        }
        out.finish()
    }
}

/// Whether the payload's `scope` claim (a string of space-separated scopes) grants `scope`.
fn granted(payload: &Map<String, Value>, scope: &str) -> bool {
    match payload.get("scope") {
        Some(Value::String(granted)) => granted.split_ascii_whitespace().any(|s| s == scope),
        _ => false,
    }
}

/// Whether a claim's value is `want`, or an array holding `want`.
fn has_value(claim: Option<&Value>, want: &Value) -> bool {
    match claim {
        Some(Value::Array(items)) if !want.is_array() => items.contains(want),
        Some(value) => value == want,
        None => false,
    }
}

/// Whether a token's `fresh` claim makes it fresh at `now`: `true`, or an RFC 3339 time after
/// `now`. Anything else (absent, `false`, a past time, text that is not a time) is not fresh.
fn is_fresh(claim: Option<&Value>, now: OffsetDateTime) -> bool {
    match claim {
        Some(Value::Bool(fresh)) => *fresh,
        Some(Value::String(until)) => {
            OffsetDateTime::parse(until, &Rfc3339).is_ok_and(|until| until > now)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn payload() -> (RegisteredClaims, Map<String, Value>) {
        let map = crate::claims::parse_payload(
            br#"{"iss":"https://a.example","aud":["api","web"],"sub":"alice","jti":"1","roles":["ops","admin"],"role":"admin","level":3,"scope":"read:orders  write:orders"}"#,
        )
        .unwrap();
        (RegisteredClaims::from_payload(&map).unwrap(), map)
    }

    #[test]
    fn each_requirement_fails_with_its_own_kind() {
        let (reg, map) = payload();
        let cases = [
            (
                Requirements::new().issuer("https://b.example"),
                ErrorKind::ISSUER_NOT_ACCEPTED,
            ),
            (
                Requirements::new().audience("admin"),
                ErrorKind::AUDIENCE_NOT_ACCEPTED,
            ),
            (
                Requirements::new().subject("bob"),
                ErrorKind::SUBJECT_NOT_ACCEPTED,
            ),
            (
                Requirements::new().token_id("2"),
                ErrorKind::TOKEN_ID_NOT_ACCEPTED,
            ),
            (Requirements::new().claim("email"), ErrorKind::MISSING_CLAIM),
            (
                Requirements::new().scope("read:orders admin"),
                ErrorKind::SCOPE_NOT_GRANTED,
            ),
            (
                Requirements::new().claim_value("role", "root"),
                ErrorKind::CLAIM_NOT_ACCEPTED,
            ),
        ];
        for (requirements, kind) in cases {
            let err = requirements.check(&reg, &map).unwrap_err();
            assert_eq!(err.kind(), kind);
            assert!(kind.is_insufficient_scope());
        }
    }

    #[test]
    fn debug_shows_only_what_is_required() {
        assert_eq!(format!("{:?}", Requirements::new()), "Requirements");
        let some = Requirements::new().audience("api").scope("read").fresh();
        assert_eq!(
            format!("{some:?}"),
            r#"Requirements { audiences: ["api"], scopes: ["read"], fresh: true }"#
        );
    }

    #[test]
    fn scopes_are_whole_words_of_the_scope_claim_and_values_match_exactly() {
        let (reg, map) = payload();
        let meets = |requirements: Requirements| requirements.check(&reg, &map).is_ok();
        assert!(meets(Requirements::new().scope("read:orders")));
        assert!(meets(
            Requirements::new().scope(" write:orders read:orders ")
        ));
        assert!(!meets(Requirements::new().scope("read"))); // a prefix is not a scope
        assert!(!meets(Requirements::new().scope("read:orders write")));
        assert!(meets(Requirements::new().claim_value("role", "admin")));
        assert!(meets(Requirements::new().claim_value("roles", "admin")));
        assert!(meets(Requirements::new().claim_value("level", 3)));
        assert!(!meets(Requirements::new().claim_value("level", "3")));
        assert!(!meets(Requirements::new().claim_value("role", "Admin")));
        assert!(!meets(Requirements::new().claim_value("nobody", "admin")));
        // A `scope` that is not a string grants nothing.
        let map = crate::claims::parse_payload(br#"{"scope":["read:orders"]}"#).unwrap();
        let reg = RegisteredClaims::from_payload(&map).unwrap();
        let err = Requirements::new().scope("read:orders").check(&reg, &map);
        assert_eq!(err.unwrap_err().kind(), ErrorKind::SCOPE_NOT_GRANTED);
    }

    #[test]
    fn a_fresh_route_takes_true_or_a_time_to_come_and_nothing_else() {
        let now = OffsetDateTime::now_utc();
        let later = (now + time::Duration::minutes(5)).format(&Rfc3339).unwrap();
        let earlier = (now - time::Duration::seconds(1)).format(&Rfc3339).unwrap();
        for (claim, fresh) in [
            (Some(Value::Bool(true)), true),
            (Some(Value::String(later)), true),
            (None, false),
            (Some(Value::Bool(false)), false),
            (Some(Value::String(earlier)), false),
            (Some(Value::String("soon".into())), false),
            (Some(Value::from(1)), false),
        ] {
            assert_eq!(is_fresh(claim.as_ref(), now), fresh, "{claim:?}");
        }
        let (reg, map) = payload();
        let err = Requirements::new().fresh().check(&reg, &map).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NOT_FRESH);
        assert!(!err.kind().is_insufficient_scope());
    }

    #[test]
    fn met_requirements_pass() {
        let (reg, map) = payload();
        let all = Requirements::new()
            .issuer("https://b.example")
            .issuer("https://a.example")
            .audience("web")
            .subject("alice")
            .token_id("1")
            .claim("roles");
        assert!(all.check(&reg, &map).is_ok());
    }
}
