//! One request's login state: who is logged in (worked out once, on first use), and what the
//! login cookies become when the response goes out.

use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use time::OffsetDateTime;
use tokio::sync::OnceCell;

use super::extract::LoginError;
use super::manager::Shared;
use super::remember::{RememberToken, open_remember, seal_remember};
use super::state::{AuthDigest, LOGIN_PURPOSE, LoginState, random_id};
use super::user::{AuthUser, LoadedUser, LoaderFailure};
use crate::error::Error;
use crate::session::cookie::{
    OpenedCookie, first_valid_cookie, open_cookie_at, removal_cookie, seal_cookie_at, set_cookie,
};
use crate::session::layer::{Outcome, add_vary_cookie};
use crate::session::spec::CookieAttributes;

/// Who is logged in for this request.
#[derive(Clone)]
pub(crate) enum Resolved {
    /// Nobody.
    Anonymous,
    /// A user of the loader's type (erased).
    User {
        user: Arc<dyn Any + Send + Sync>,
        /// From a password (`login`), not restored from the remember-me cookie.
        fresh: bool,
    },
}

/// What to send for each login cookie.
#[derive(Default)]
struct Cookies {
    session: Outcome,
    remember: Outcome,
}

struct RequestState {
    resolved: OnceCell<Result<Resolved, LoaderFailure>>,
    cookies: Mutex<Cookies>,
}

/// The login state the layer puts in the request extensions. Cloning shares it.
#[derive(Clone)]
pub(crate) struct LoginContext {
    pub(crate) shared: Arc<Shared>,
    request: Arc<RequestState>,
}

impl LoginContext {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        LoginContext {
            shared,
            request: Arc::new(RequestState {
                resolved: OnceCell::new(),
                cookies: Mutex::new(Cookies::default()),
            }),
        }
    }

    /// Who is logged in, from the request's cookies; worked out (and the user loaded) on the
    /// first call only.
    pub(crate) async fn resolve(&self, headers: &HeaderMap) -> Result<Resolved, LoaderFailure> {
        self.request
            .resolved
            .get_or_init(|| self.resolve_now(headers, OffsetDateTime::now_utc()))
            .await
            .clone()
    }

    /// The loader's user type.
    pub(crate) fn user_type(&self) -> (TypeId, &'static str) {
        self.shared.loader.user_type()
    }

    async fn resolve_now(
        &self,
        headers: &HeaderMap,
        now: OffsetDateTime,
    ) -> Result<Resolved, LoaderFailure> {
        let name = self.shared.settings.session_cookie.name.as_str();
        match first_valid_cookie(headers, name, |value| self.open_session(value, now)) {
            Ok(Some(opened)) => return self.user_from_session(headers, opened, now).await,
            Ok(None) => {}
            Err(err) => {
                invalid_cookie(name, &err);
                self.cookies().session = Outcome::Remove;
            }
        }
        self.user_from_remember(headers, now).await
    }

    /// The user of a valid login session cookie.
    async fn user_from_session(
        &self,
        headers: &HeaderMap,
        opened: OpenedCookie<LoginState>,
        now: OffsetDateTime,
    ) -> Result<Resolved, LoaderFailure> {
        let state = opened.data;
        let Some(user) = self.load_matching(&state.uid, state.hsh.as_ref()).await? else {
            self.forget_both();
            return Ok(Resolved::Anonymous);
        };
        let settings = &self.shared.settings;
        if settings.session_cookie.refresh_each_request {
            self.set_session(&state, now);
        }
        if settings.remember_cookie.refresh_each_request {
            self.refresh_remember(headers, &state.uid, user.digest.as_ref(), now);
        }
        Ok(Resolved::User {
            user: user.user,
            fresh: state.fresh,
        })
    }

    /// The user of a valid remember-me cookie, restored: a new login session (not fresh) is sent,
    /// so later requests do not need the remember-me cookie.
    async fn user_from_remember(
        &self,
        headers: &HeaderMap,
        now: OffsetDateTime,
    ) -> Result<Resolved, LoaderFailure> {
        let settings = &self.shared.settings;
        let name = settings.remember_cookie.name.as_str();
        let token = match first_valid_cookie(headers, name, |value| self.open_remember(value, now))
        {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(Resolved::Anonymous),
            Err(err) => {
                invalid_cookie(name, &err);
                self.cookies().remember = Outcome::Remove;
                return Ok(Resolved::Anonymous);
            }
        };
        let Some(user) = self
            .load_matching(&token.subject, token.digest.as_ref())
            .await?
        else {
            self.forget_both();
            return Ok(Resolved::Anonymous);
        };
        let state = match new_state(token.subject, false, user.digest.clone()) {
            Ok(state) => state,
            Err(err) => {
                tracing::error!(error = %err, "login session for a restored user not sealed");
                return Ok(Resolved::User {
                    user: user.user,
                    fresh: false,
                });
            }
        };
        self.set_session(&state, now);
        if settings.remember_cookie.refresh_each_request {
            self.set_remember(&state.uid, user.digest.as_ref(), now);
        }
        Ok(Resolved::User {
            user: user.user,
            fresh: false,
        })
    }

    /// Opens a login session cookie value: the token's own checks, and an age within the cookie's
    /// current lifetime.
    fn open_session(
        &self,
        value: &str,
        now: OffsetDateTime,
    ) -> crate::Result<OpenedCookie<LoginState>> {
        let settings = &self.shared.settings;
        let cookie = &settings.session_cookie;
        open_cookie_at(
            &settings.session_keys,
            LOGIN_PURPOSE,
            &cookie.name,
            value,
            cookie.token_lifetime(),
            now,
        )
    }

    /// Opens a remember-me cookie value: the token's own checks, and an age within the cookie's
    /// current lifetime.
    fn open_remember(&self, value: &str, now: OffsetDateTime) -> crate::Result<RememberToken> {
        let settings = &self.shared.settings;
        let cookie = &settings.remember_cookie;
        open_remember(
            &settings.remember_keys,
            &cookie.name,
            value,
            cookie.token_lifetime(),
            now,
        )
    }

    /// Loads the user with id `id`; `None` when there is none, or when their auth hash is no
    /// longer the one the cookie was sealed with (a password change logs out everywhere).
    async fn load_matching(
        &self,
        id: &str,
        sealed: Option<&AuthDigest>,
    ) -> Result<Option<LoadedUser>, LoaderFailure> {
        let Some(user) = self.shared.loader.load(id).await? else {
            tracing::info!(
                id,
                "a login cookie names a user that does not exist; logged out"
            );
            return Ok(None);
        };
        if !AuthDigest::matches(sealed, user.digest.as_ref()) {
            tracing::info!(
                id,
                "the user's auth hash changed since the cookie was sealed; logged out"
            );
            return Ok(None);
        }
        Ok(Some(user))
    }

    /// Re-seals the request's remember-me cookie with a fresh expiry, if it is valid and names
    /// the logged-in user; deletes it if it is invalid or names someone else.
    fn refresh_remember(
        &self,
        headers: &HeaderMap,
        uid: &str,
        digest: Option<&AuthDigest>,
        now: OffsetDateTime,
    ) {
        let settings = &self.shared.settings;
        let name = settings.remember_cookie.name.as_str();
        match first_valid_cookie(headers, name, |value| self.open_remember(value, now)) {
            // Only a token that would log this user in is extended (same user, same auth hash).
            Ok(Some(token))
                if token.subject == uid && AuthDigest::matches(token.digest.as_ref(), digest) =>
            {
                self.set_remember(uid, digest, now);
            }
            Ok(None) => {}
            Ok(Some(_)) => self.cookies().remember = Outcome::Remove,
            Err(err) => {
                invalid_cookie(name, &err);
                self.cookies().remember = Outcome::Remove;
            }
        }
    }

    /// Logs `user` in (fresh), with a new login session id, and sets or deletes the remember-me
    /// cookie.
    pub(crate) fn login<U: AuthUser>(&self, user: &U, remember: bool) -> Result<(), LoginError> {
        let (loader_type, loader_name) = self.user_type();
        if TypeId::of::<U>() != loader_type {
            return Err(LoginError::WrongUserType {
                loader: loader_name,
                given: std::any::type_name::<U>(),
            });
        }
        let now = OffsetDateTime::now_utc();
        let settings = &self.shared.settings;
        let digest = user.auth_hash().map(AuthDigest::of);
        let state = new_state(user.id().to_string(), true, digest).map_err(LoginError::Seal)?;
        let session = self.seal_session(&state, now).map_err(LoginError::Seal)?;
        let remember = if remember {
            Outcome::Set(
                seal_remember(
                    &settings.remember_keys,
                    &settings.remember_cookie.name,
                    &state.uid,
                    state.hsh.as_ref(),
                    settings.remember_cookie.token_lifetime(),
                    now,
                )
                .map_err(LoginError::Seal)?,
            )
        } else {
            // Not remembered: no remember-me cookie of an earlier login may outlive this one.
            Outcome::Remove
        };
        let mut cookies = self.cookies();
        cookies.session = Outcome::Set(session);
        cookies.remember = remember;
        Ok(())
    }

    /// Deletes both login cookies.
    pub(crate) fn forget_both(&self) {
        let mut cookies = self.cookies();
        cookies.session = Outcome::Remove;
        cookies.remember = Outcome::Remove;
    }

    fn seal_session(&self, state: &LoginState, now: OffsetDateTime) -> crate::Result<String> {
        let settings = &self.shared.settings;
        seal_cookie_at(
            &settings.session_keys,
            LOGIN_PURPOSE,
            &settings.session_cookie.name,
            state,
            settings.session_cookie.token_lifetime(),
            now,
        )
    }

    /// Schedules a login session cookie for `state` (logging a failure to seal it).
    fn set_session(&self, state: &LoginState, now: OffsetDateTime) {
        match self.seal_session(state, now) {
            Ok(value) => self.cookies().session = Outcome::Set(value),
            Err(err) => tracing::error!(error = %err, "login session cookie not sealed"),
        }
    }

    /// Schedules a new remember-me cookie for `uid` (logging a failure to seal it).
    fn set_remember(&self, uid: &str, digest: Option<&AuthDigest>, now: OffsetDateTime) {
        let settings = &self.shared.settings;
        match seal_remember(
            &settings.remember_keys,
            &settings.remember_cookie.name,
            uid,
            digest,
            settings.remember_cookie.token_lifetime(),
            now,
        ) {
            Ok(value) => self.cookies().remember = Outcome::Set(value),
            Err(err) => tracing::error!(error = %err, "remember-me cookie not sealed"),
        }
    }

    fn cookies(&self) -> MutexGuard<'_, Cookies> {
        self.request
            .cookies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds the login cookies' `Set-Cookie` headers and `Vary: Cookie` to a response.
    pub(crate) fn write_cookies(&self, headers: &mut HeaderMap) {
        let cookies = std::mem::take(&mut *self.cookies());
        let settings = &self.shared.settings;
        for (outcome, attributes) in [
            (cookies.session, settings.session_cookie.attributes()),
            (cookies.remember, settings.remember_cookie.attributes()),
        ] {
            if let Some(text) = set_cookie_text(outcome, &attributes) {
                // The settings were checked and the values are base64url tokens.
                match HeaderValue::try_from(text) {
                    Ok(value) => {
                        headers.append(SET_COOKIE, value);
                    }
                    Err(_) => tracing::error!(cookie = attributes.name, "invalid Set-Cookie value"),
                }
            }
        }
        add_vary_cookie(headers);
    }
}

fn set_cookie_text(outcome: Outcome, attributes: &CookieAttributes<'_>) -> Option<String> {
    match outcome {
        Outcome::Keep => None,
        Outcome::Set(value) => Some(set_cookie(attributes, &value)),
        Outcome::Remove => Some(removal_cookie(attributes)),
        Outcome::Failed(err) => {
            tracing::error!(error = %err, "login cookie not written");
            None
        }
    }
}

/// A login session for user id `uid`, with a new random session id.
fn new_state(uid: String, fresh: bool, hsh: Option<AuthDigest>) -> crate::Result<LoginState> {
    Ok(LoginState {
        uid,
        fresh,
        sid: random_id()?,
        hsh,
    })
}

fn invalid_cookie(cookie: &str, err: &Error) {
    tracing::warn!(
        cookie,
        kind = %err.kind(),
        error = %err,
        "invalid login cookie deleted; treating the request as not logged in"
    );
}
