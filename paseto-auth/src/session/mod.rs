//! Cookie sessions: typed session data sealed in an encrypted PASETO (`local`) cookie.
//!
//! A session type implements [`SessionData`] (with `#[paseto_session(cookie = "...")]`, or by
//! hand), a [`SessionLayer`] wraps the router, and handlers take [`Session<T>`], which derefs to
//! the data. Changes are written back as the response goes out; nothing is stored on the server.
//!
//! ```
//! use axum::{Router, routing::get};
//! use paseto_auth::cookie::CookieKeys;
//! use paseto_auth::session::{Session, SessionData, SessionLayer, SessionSpec};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Default, Serialize, Deserialize)]
//! struct Visits {
//!     count: u32,
//! }
//!
//! // What `#[paseto_session(cookie = "visits")]` generates.
//! impl SessionData for Visits {
//!     const SPEC: SessionSpec = SessionSpec::new("visits");
//! }
//!
//! async fn count(mut visits: Session<Visits>) -> String {
//!     visits.count += 1; // marks the session changed: a new cookie goes out
//!     format!("visit {}", visits.count)
//! }
//!
//! let keys = CookieKeys::from_secret(b"a long application secret, at least 32 bytes")?;
//! let app: Router = Router::new()
//!     .route("/", get(count))
//!     .layer(SessionLayer::new(keys));
//! # let _ = app;
//! # Ok::<(), paseto_auth::Error>(())
//! ```
//!
//! # The cookie
//!
//! The value is a `v4.local` token (`v3.local`/`v2.local` with a key of that version; see
//! [`CookieKeys`](crate::cookie::CookieKeys)) whose payload holds `iat`, `exp` and the data. It is bound to its purpose
//! (`session`) and cookie name, by the implicit assertion `paseto-auth:session:<cookie>` (v3/v4)
//! and by claims checked after decryption, so it cannot be replayed as a remember-me cookie or as
//! another session type's cookie. Its `exp` is the spec's `max_age`, or
//! [`DEFAULT_BROWSER_SESSION_LIFETIME`](crate::cookie::DEFAULT_BROWSER_SESSION_LIFETIME) for a
//! browser-session cookie.
//!
//! A tampered, expired, garbage, wrong-key, wrong-purpose or oversized (over
//! [`MAX_COOKIE_SIZE`](crate::cookie::MAX_COOKIE_SIZE)) cookie gives a fresh default session and a `tracing::warn!` naming the
//! error kind, never an error response: the route decides (e.g. 401 when no user is logged in).
//! "Expired" also covers a token issued longer ago than the spec's *current* lifetime, so
//! shortening `max_age` shortens the sessions already out.
//!
//! Sessions live in the cookie only, so a session cannot be revoked before its `exp` (logging out
//! deletes the browser's cookie, not copies of it): keep `max_age` short for sensitive sessions,
//! and rotate the key to end every session at once. Logins that must end on logout, copies
//! included, are the [login manager](crate::login)'s (with a revocation store).
//!
//! # CSRF
//!
//! Under a [`CsrfLayer`](crate::csrf::CsrfLayer), [`Session::renew`] (login) and
//! [`Session::clear`] (logout) rotate the form CSRF value, as OWASP recommends.

mod error;
mod layer;
mod spec;
#[cfg(test)]
mod tests;
mod untyped;

use std::any::TypeId;
use std::fmt;
use std::ops::{Deref, DerefMut};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

pub use error::{SessionError, SessionRejection};
pub use layer::{SessionLayer, SessionService};
pub use spec::SessionSpec;
pub use untyped::{JsonMap, UntypedSession};

use crate::cookie::Outcome;
use crate::cookie::token::{open_request_cookie, seal_cookie_at};
use crate::csrf::CsrfToken;
use crate::logs::{Refusal, refusal};
use crate::metrics::{CookieKind, CookieOutcome};
use layer::{SessionContext, Slot};
use tracing::Level;

/// The purpose session cookies are bound to.
pub(crate) const SESSION_PURPOSE: &str = "session";

/// A type that can be stored in a session cookie: its data, and its cookie's name and attributes.
///
/// Implement it with `#[paseto_session(cookie = "...")]`, or by hand:
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::session::{SessionData, SessionSpec};
///
/// #[derive(Default, serde::Serialize, serde::Deserialize)]
/// struct Cart {
///     items: Vec<u32>,
/// }
///
/// impl SessionData for Cart {
///     const SPEC: SessionSpec =
///         SessionSpec::new("cart").max_age(Duration::from_secs(14 * 24 * 60 * 60));
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a session type",
    label = "`{Self}` does not implement `SessionData`",
    note = "add #[paseto_session(cookie = \"...\")] to `{Self}` (which must also derive `Default`, `Serialize` and `Deserialize`)"
)]
pub trait SessionData: Default + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The cookie that stores this type, and its attributes.
    const SPEC: SessionSpec;
}

/// The session of type `T` of the current request: an axum extractor that derefs to `T`.
///
/// It needs a [`SessionLayer`] around the route; without one it is rejected with a 500 naming
/// the layer (see [`SessionRejection`]). Without a valid cookie it starts from `T::default()`.
///
/// - Mutable access ([`DerefMut`]) marks the session changed: the cookie is sealed again, with a
///   fresh `iat`/`exp`, when the handler is done. A session that was only read sends no
///   `Set-Cookie` (unless its spec is `rolling`).
/// - [`clear`](Session::clear) resets the data and deletes the cookie (logout);
///   [`renew`](Session::renew) re-issues it unchanged (after login, against session fixation);
///   both rotate the request's [`CsrfToken`] (under a [`CsrfLayer`](crate::csrf::CsrfLayer));
///   [`save`](Session::save) seals it now, so the handler sees errors such as a session too large
///   for a cookie (otherwise the layer answers 500 for them).
///
/// The cookie is written when the `Session` is dropped — when the handler returns. Do not move it
/// into a task that outlives the request: its changes would be lost. Several session types
/// (cookies) can be used in one request; use one `Session<T>` of a given `T` at a time.
#[must_use = "a session is written back when it is dropped at the end of the handler"]
pub struct Session<T: SessionData> {
    data: T,
    context: SessionContext,
    from_cookie: bool,
    expires_at: Option<OffsetDateTime>,
    changed: bool,
    cleared: bool,
    renew: bool,
    /// Whether anything but reading happened (a change, `clear`, `renew` or `save`): only then
    /// does a later `Session<T>` of the request need this one's data rather than the cookie's.
    touched: bool,
    /// The request's CSRF value (under a `CsrfLayer`), rotated by `clear` and `renew`.
    csrf: Option<CsrfToken>,
}

impl<T: SessionData> Session<T> {
    fn new(
        data: T,
        context: SessionContext,
        from_cookie: bool,
        expires_at: Option<OffsetDateTime>,
        csrf: Option<CsrfToken>,
    ) -> Self {
        Session {
            data,
            context,
            from_cookie,
            expires_at,
            changed: false,
            cleared: false,
            renew: false,
            touched: false,
            csrf,
        }
    }

    /// Resets the data to `T::default()` and deletes the cookie (logout). Changing the session
    /// afterwards starts a new one, sent as a new cookie.
    ///
    /// Under a [`CsrfLayer`](crate::csrf::CsrfLayer) it also rotates the form CSRF value
    /// ([`CsrfToken::rotate`]): the value of the logged-out session does not carry over.
    pub fn clear(&mut self) {
        self.rotate_csrf();
        self.touched = true;
        self.data = T::default();
        self.cleared = true;
        self.changed = false;
        self.renew = false;
        self.from_cookie = false;
        self.expires_at = None;
    }

    /// Re-issues the cookie even if the data did not change: a new token with a fresh `iat` and
    /// `exp`. Call it after login, so no cookie from before the login stays current.
    ///
    /// Under a [`CsrfLayer`](crate::csrf::CsrfLayer) it also rotates the form CSRF value
    /// ([`CsrfToken::rotate`]), so that no value from before the login (one an attacker fixed,
    /// say) is the logged-in session's.
    pub fn renew(&mut self) {
        self.rotate_csrf();
        self.touched = true;
        self.renew = true;
    }

    /// Rotates the request's CSRF value, if a `CsrfLayer` gave it one.
    fn rotate_csrf(&self) {
        if let Some(csrf) = &self.csrf {
            csrf.rotate();
        }
    }

    /// Seals the session now and schedules its cookie (or, after [`clear`](Session::clear), the
    /// cookie's removal) to be sent, returning the error if it cannot be sealed — for example
    /// [`SessionError::TooLarge`] when the cookie would be over
    /// [`MAX_COOKIE_SIZE`](crate::cookie::MAX_COOKIE_SIZE).
    ///
    /// After an error the change is not sent (the browser keeps its previous cookie) unless the
    /// session is changed again. Without `save`, sealing happens when the handler returns and an
    /// error there becomes a 500 response.
    pub fn save(&mut self) -> Result<(), SessionError> {
        self.touched = true;
        let outcome = if self.cleared && !self.changed {
            Outcome::Remove
        } else {
            match self.seal() {
                Ok(value) => Outcome::Set(value),
                Err(err) => {
                    self.changed = false;
                    self.renew = false;
                    return Err(err);
                }
            }
        };
        self.set_outcome(outcome, true);
        self.changed = false;
        self.renew = false;
        self.cleared = false;
        Ok(())
    }

    /// Whether the request carried no valid session cookie (or the session was cleared).
    pub fn is_new(&self) -> bool {
        !self.from_cookie
    }

    /// Whether the data was changed (mutably accessed) since it was read or last saved.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// When the session's current cookie expires: the `exp` of the cookie it was read from, or
    /// of the one [`save`](Session::save) sealed. `None` for a new session.
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// Seals the data with the primary key, bound to purpose `session` and the cookie name.
    fn seal(&mut self) -> Result<String, SessionError> {
        let spec = T::SPEC;
        let now = OffsetDateTime::now_utc();
        let lifetime = spec.token_lifetime();
        let value = seal_cookie_at(
            &self.context.keys,
            SESSION_PURPOSE,
            spec.cookie,
            &self.data,
            lifetime,
            now,
        )
        .map_err(|err| SessionError::from_seal(spec.cookie, err))?;
        self.expires_at = time::Duration::try_from(lifetime)
            .ok()
            .and_then(|lifetime| now.checked_add(lifetime));
        Ok(value)
    }

    /// Records what to send for this session. A rolling refresh (`overwrite == false`) does not
    /// replace what another `Session<T>` of this request decided.
    fn set_outcome(&self, outcome: Outcome, overwrite: bool) {
        let mut slots = self.context.slots();
        let slot = slot_for::<T>(&mut slots);
        if overwrite || matches!(slot.outcome, Outcome::Keep) {
            slot.outcome = outcome;
        }
    }

    /// The extractor's work, without the async wrapper.
    fn from_parts(parts: &Parts) -> Result<Self, SessionRejection> {
        let type_name = std::any::type_name::<T>();
        let Some(context) = parts.extensions.get::<SessionContext>() else {
            return Err(SessionRejection::MissingLayer { type_name });
        };
        let spec = T::SPEC;
        // Checked once per type, at compile time, not on every request.
        if let Err(problem) = const { T::SPEC.check() } {
            return Err(SessionRejection::InvalidSpec { type_name, problem });
        }
        {
            // The cookie's slot, registered now so that another type using the same cookie later
            // in the request is caught.
            let mut slots = context.slots();
            let slot = slot_for::<T>(&mut slots);
            if slot.type_id != TypeId::of::<T>() {
                return Err(SessionRejection::CookieConflict {
                    cookie: spec.cookie,
                    first: slot.type_name,
                    second: type_name,
                });
            }
            // The data as an earlier `Session<T>` of this request left it.
            if let Some(data) = slot.data.take().and_then(|data| data.downcast::<T>().ok()) {
                return Ok(Session::new(
                    *data,
                    context.clone(),
                    slot.from_cookie,
                    slot.expires_at,
                    CsrfToken::of(&parts.extensions),
                ));
            }
        }
        let (data, from_cookie, expires_at) = match open_request_cookie::<T>(
            &parts.headers,
            &context.keys,
            SESSION_PURPOSE,
            spec.cookie,
            spec.token_lifetime(),
        ) {
            Ok(Some(opened)) => {
                crate::metrics::cookie(CookieKind::Session, CookieOutcome::Valid);
                (opened.data, true, Some(opened.expires_at))
            }
            Ok(None) => (T::default(), false, None),
            Err(err) => {
                crate::metrics::cookie(CookieKind::Session, CookieOutcome::Invalid);
                refusal!(
                    Level::WARN,
                    Refusal::SessionCookie,
                    "invalid session cookie ignored; starting a fresh session",
                    cookie = spec.cookie,
                    kind = %err.kind(),
                    error = %err
                );
                (T::default(), false, None)
            }
        };
        Ok(Session::new(
            data,
            context.clone(),
            from_cookie,
            expires_at,
            CsrfToken::of(&parts.extensions),
        ))
    }
}

/// The slot of `T`'s cookie, created when missing.
fn slot_for<T: SessionData>(slots: &mut Vec<Slot>) -> &mut Slot {
    let index = match slots.iter().position(|s| s.spec.cookie == T::SPEC.cookie) {
        Some(index) => index,
        None => {
            slots.push(Slot {
                spec: T::SPEC,
                type_id: TypeId::of::<T>(),
                type_name: std::any::type_name::<T>(),
                data: None,
                from_cookie: false,
                expires_at: None,
                outcome: Outcome::Keep,
            });
            slots.len() - 1
        }
    };
    &mut slots[index]
}

impl<T: SessionData> Deref for Session<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// Mutable access marks the session changed, so it is written back.
impl<T: SessionData> DerefMut for Session<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.changed = true;
        self.touched = true;
        &mut self.data
    }
}

/// Seals a changed, renewed or rolling session, or schedules a cleared one's removal, and leaves
/// the data for a later `Session<T>` of the same request (which reads the cookie again when the
/// session was only read: the data is the same, and most requests have no later `Session<T>`).
impl<T: SessionData> Drop for Session<T> {
    fn drop(&mut self) {
        let keep = self.touched || (T::SPEC.rolling && self.from_cookie);
        if self.changed || self.renew {
            let outcome = match self.seal() {
                Ok(value) => Outcome::Set(value),
                Err(err) => Outcome::Failed(err.to_string()),
            };
            self.set_outcome(outcome, true);
        } else if self.cleared {
            self.set_outcome(Outcome::Remove, true);
        } else if T::SPEC.rolling && self.from_cookie {
            let outcome = match self.seal() {
                Ok(value) => Outcome::Set(value),
                Err(err) => Outcome::Failed(err.to_string()),
            };
            self.set_outcome(outcome, false);
        }
        if !keep {
            return;
        }
        let data = std::mem::take(&mut self.data);
        let mut slots = self.context.slots();
        let slot = slot_for::<T>(&mut slots);
        if slot.data.is_none() && slot.type_id == TypeId::of::<T>() {
            slot.data = Some(Box::new(data));
            slot.from_cookie = self.from_cookie;
            slot.expires_at = self.expires_at;
        }
    }
}

impl<S: Send + Sync, T: SessionData> FromRequestParts<S> for Session<T> {
    type Rejection = SessionRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Session::from_parts(parts)
    }
}

impl<T: SessionData + fmt::Debug> fmt::Debug for Session<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("cookie", &T::SPEC.cookie)
            .field("data", &self.data)
            .field("new", &!self.from_cookie)
            .field("changed", &self.changed)
            .field("cleared", &self.cleared)
            .field("renew", &self.renew)
            .finish()
    }
}
