//! What a verified token must also satisfy: issuers, audience, subject, token id, claims,
//! and per-route version, purpose and leeway. Failing one is `insufficient_scope` (HTTP 403).

use std::time::Duration;

use serde_json::{Map, Value};

use crate::claims::RegisteredClaims;
use crate::error::{Error, Result, truncated};
use crate::version::{Purpose, Version};

/// Requirements on a token beyond authenticity and time validity.
///
/// ```
/// use paseto_auth::Requirements;
/// let admin_api = Requirements::new().issuer("https://issuer.example").audience("api").claim("roles");
/// assert_eq!(admin_api.claims(), ["roles"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    issuers: Vec<String>,
    audiences: Vec<String>,
    subject: Option<String>,
    token_id: Option<String>,
    claims: Vec<String>,
    version: Option<Version>,
    purpose: Option<Purpose>,
    leeway: Option<Duration>,
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

    /// Use this leeway on time claims instead of the verifier's.
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = Some(leeway);
        self
    }

    /// The required claims.
    pub fn claims(&self) -> &[String] {
        &self.claims
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
                return Err(Error::IssuerNotAccepted(
                    registered.iss.as_deref().map(truncated),
                ));
            }
        }
        if !self.audiences.is_empty()
            && !registered
                .aud
                .iter()
                .any(|aud| self.audiences.contains(aud))
        {
            return Err(Error::AudienceNotAccepted);
        }
        if self.subject.is_some() && registered.sub != self.subject {
            return Err(Error::SubjectNotAccepted);
        }
        if self.token_id.is_some() && registered.jti != self.token_id {
            return Err(Error::TokenIdNotAccepted);
        }
        // A claim is present only with a value: `"nickname": null` (what serde writes for a
        // `None`) does not meet `claims(nickname)`.
        if let Some(missing) = self
            .claims
            .iter()
            .find(|c| payload.get(c.as_str()).is_none_or(Value::is_null))
        {
            return Err(Error::MissingClaim(missing.clone()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn payload() -> (RegisteredClaims, Map<String, Value>) {
        let map = crate::claims::parse_payload(
            br#"{"iss":"https://a.example","aud":["api","web"],"sub":"alice","jti":"1","roles":[]}"#,
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
                ErrorKind::IssuerNotAccepted,
            ),
            (
                Requirements::new().audience("admin"),
                ErrorKind::AudienceNotAccepted,
            ),
            (
                Requirements::new().subject("bob"),
                ErrorKind::SubjectNotAccepted,
            ),
            (
                Requirements::new().token_id("2"),
                ErrorKind::TokenIdNotAccepted,
            ),
            (Requirements::new().claim("email"), ErrorKind::MissingClaim),
        ];
        for (requirements, kind) in cases {
            let err = requirements.check(&reg, &map).unwrap_err();
            assert_eq!(err.kind(), kind);
            assert!(kind.is_insufficient_scope());
        }
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
