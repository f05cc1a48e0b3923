//! One request's login state: who is logged in (worked out once, on first use), and what the
//! login cookies become when the response goes out. It is typed by the loader's user type: the
//! layer puts a `LoginContext<U>` in the request extensions, and `CurrentUser<U>` and
//! `LoginSession<U>` find it by that type; the `#[login_required]` guard, which knows no user type,
//! finds the same state behind a [`Gate`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use tokio::sync::OnceCell;

use super::keys::LoginKeys;
use super::refusal::{Refusals, Unresolved};
use super::remember::{RememberToken, open_remember, seal_remember};
use super::settings::CookieSettings;
use super::state::{AuthDigest, LOGIN_PURPOSE, LoginState};
use super::user::{AuthUser, LoadUser, LoadedUser, LoaderFailure};
use crate::Error;
use crate::claims::random_id;
use crate::cookie::token::{
    IAT_LEEWAY, OpenedCookie, first_valid_cookie, open_cookie_at, seal_cookie_at,
};
use crate::cookie::{CookieChanges, Outcome};
use crate::logs::{Refusal, refusal};
use crate::metrics::{CookieKind, CookieOutcome};
use crate::reply::{internal_error, unavailable};
use crate::store::{Revocations, TokenRef};
use tracing::Level;

/// Why [`LoginSession::login`](super::LoginSession::login) or a logout failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// A login cookie could not be sealed.
    #[error("login cookie not sealed: {0}")]
    Seal(#[source] crate::Error),
    /// A revocation could not be written: the store failed
    /// ([`Error::StoreUnavailable`](crate::Error::StoreUnavailable)), or the login manager has
    /// none ([`Error::Setup`](crate::Error::Setup); see
    /// [`LoginManager::revocations`](super::LoginManager::revocations)).
    #[error("logout not recorded: {0}")]
    Revocation(#[source] crate::Error),
}

/// A failed login or logout answers 500, or 503 when the revocation store is down (the cause is
/// logged, not sent).
impl IntoResponse for LoginError {
    fn into_response(self) -> Response {
        match &self {
            LoginError::Revocation(err) if err.kind().is_unavailable() => {
                tracing::error!("{self}");
                unavailable()
            }
            _ => internal_error(&self),
        }
    }
}

/// What every request's [`LoginContext`] shares: the loader, the cookies' keys and settings, and
/// what refused requests get.
pub(crate) struct Shared<U> {
    pub(crate) loader: Box<dyn LoadUser<U>>,
    pub(crate) keys: LoginKeys,
    pub(crate) session_cookie: CookieSettings,
    pub(crate) remember_cookie: CookieSettings,
    pub(crate) refusals: Refusals,
    pub(crate) revocations: Option<Revocations>,
}

/// Who is logged in for this request.
pub(crate) enum Resolved<U> {
    /// Nobody.
    Anonymous,
    /// This user.
    User {
        user: Arc<U>,
        /// From a password (`login`), not restored from the remember-me cookie.
        fresh: bool,
    },
}

impl<U> Clone for Resolved<U> {
    fn clone(&self) -> Self {
        match self {
            Resolved::Anonymous => Resolved::Anonymous,
            Resolved::User { user, fresh } => Resolved::User {
                user: user.clone(),
                fresh: *fresh,
            },
        }
    }
}

/// What to send for each login cookie.
#[derive(Default)]
struct Cookies {
    session: Outcome,
    remember: Outcome,
}

struct RequestState<U> {
    resolved: OnceCell<Result<Resolved<U>, Unresolved>>,
    cookies: Mutex<Cookies>,
}

/// The login state the layer puts in the request extensions. Cloning shares it.
pub(crate) struct LoginContext<U> {
    pub(crate) shared: Arc<Shared<U>>,
    request: Arc<RequestState<U>>,
}

impl<U> Clone for LoginContext<U> {
    fn clone(&self) -> Self {
        LoginContext {
            shared: self.shared.clone(),
            request: self.request.clone(),
        }
    }
}

/// Whether someone is logged in, for the guard (which knows no user type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Anonymous,
    LoggedIn { fresh: bool },
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request's login state with its user type erased: what the `#[login_required]` guard reads.
pub(crate) trait LoginGate: Send + Sync {
    /// Who is logged in (resolving the login, once per request, if nobody asked yet).
    fn status<'a>(&'a self, headers: &'a HeaderMap) -> BoxFuture<'a, Result<Status, Unresolved>>;

    /// What refused requests get.
    fn refusals(&self) -> &Refusals;

    /// The name of the user type the layer loads, for messages.
    fn user_type(&self) -> &'static str;
}

/// The request's [`LoginGate`], in the request extensions beside its `LoginContext<U>`.
#[derive(Clone)]
pub(crate) struct Gate(pub(crate) Arc<dyn LoginGate>);

impl<U: AuthUser> LoginGate for LoginContext<U> {
    fn status<'a>(&'a self, headers: &'a HeaderMap) -> BoxFuture<'a, Result<Status, Unresolved>> {
        Box::pin(async move {
            Ok(match self.resolve(headers).await? {
                Resolved::Anonymous => Status::Anonymous,
                Resolved::User { fresh, .. } => Status::LoggedIn { fresh },
            })
        })
    }

    fn refusals(&self) -> &Refusals {
        &self.shared.refusals
    }

    fn user_type(&self) -> &'static str {
        std::any::type_name::<U>()
    }
}

impl<U: AuthUser> LoginContext<U> {
    pub(crate) fn new(shared: Arc<Shared<U>>) -> Self {
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
    pub(crate) async fn resolve(&self, headers: &HeaderMap) -> Result<Resolved<U>, Unresolved> {
        self.request
            .resolved
            .get_or_init(|| self.resolve_now(headers, OffsetDateTime::now_utc()))
            .await
            .clone()
    }

    async fn resolve_now(
        &self,
        headers: &HeaderMap,
        now: OffsetDateTime,
    ) -> Result<Resolved<U>, Unresolved> {
        let name = self.shared.session_cookie.options.name.as_ref();
        match first_valid_cookie(headers, name, |value| self.open_session(value, now)) {
            Ok(Some(opened)) => {
                let session = TokenRef {
                    token_id: Some(&opened.data.sid),
                    family: Some(opened.data.family()),
                    subject: Some(&opened.data.uid),
                    issued_at: Some(opened.issued_at),
                    key_id: None,
                };
                if self.not_revoked(CookieKind::Login, name, session).await? {
                    return self.user_from_session(headers, opened, now).await;
                }
                self.cookies().session = Outcome::Remove;
            }
            Ok(None) => {}
            Err(err) => {
                invalid_cookie(CookieKind::Login, name, &err);
                self.cookies().session = Outcome::Remove;
            }
        }
        self.user_from_remember(headers, now).await
    }

    /// Whether the cookie `name`'s token is not revoked (true without a store). A revoked one is
    /// logged; a store failure, unless the store fails open, is the request's error.
    async fn not_revoked(
        &self,
        kind: CookieKind,
        name: &str,
        token: TokenRef<'_>,
    ) -> Result<bool, Unresolved> {
        let valid = match &self.shared.revocations {
            None => true,
            Some(revocations) => match revocations.check(token).await {
                Ok(()) => true,
                Err(Error::StoreUnavailable(err)) => return Err(Unresolved::Store(err)),
                Err(err) => {
                    invalid_cookie(kind, name, &err);
                    false
                }
            },
        };
        if valid {
            crate::metrics::cookie(kind, CookieOutcome::Valid);
        }
        Ok(valid)
    }

    /// The user of a valid login session cookie.
    async fn user_from_session(
        &self,
        headers: &HeaderMap,
        opened: OpenedCookie<LoginState>,
        now: OffsetDateTime,
    ) -> Result<Resolved<U>, Unresolved> {
        let state = opened.data;
        let Some(user) = self.load_matching(&state.uid, state.hsh.as_ref()).await? else {
            self.forget_both();
            return Ok(Resolved::Anonymous);
        };
        let shared = &self.shared;
        if shared.session_cookie.refresh_each_request {
            self.set_session(&state, now);
        }
        if shared.remember_cookie.refresh_each_request {
            self.refresh_remember(headers, &state, now).await?;
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
    ) -> Result<Resolved<U>, Unresolved> {
        let shared = &self.shared;
        let name = shared.remember_cookie.options.name.as_ref();
        let token = match first_valid_cookie(headers, name, |value| self.open_remember(value, now))
        {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(Resolved::Anonymous),
            Err(err) => {
                invalid_cookie(CookieKind::Remember, name, &err);
                self.cookies().remember = Outcome::Remove;
                return Ok(Resolved::Anonymous);
            }
        };
        if !self
            .not_revoked(CookieKind::Remember, name, remembered(&token))
            .await?
        {
            self.cookies().remember = Outcome::Remove;
            return Ok(Resolved::Anonymous);
        }
        let Some(user) = self
            .load_matching(&token.subject, token.digest.as_ref())
            .await?
        else {
            self.forget_both();
            return Ok(Resolved::Anonymous);
        };
        let family = Some(token.family);
        let state = match new_state(token.subject, false, user.digest.clone(), family) {
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
        if shared.remember_cookie.refresh_each_request {
            self.set_remember(&state, now);
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
        let cookie = &self.shared.session_cookie.options;
        open_cookie_at(
            &self.shared.keys.session,
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
        let cookie = &self.shared.remember_cookie.options;
        open_remember(
            &self.shared.keys.remember,
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
    ) -> Result<Option<LoadedUser<U>>, LoaderFailure> {
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

    /// Re-seals the request's remember-me cookie with a fresh expiry, for the login `login`, if
    /// it is valid, names the logged-in user and is not revoked; deletes it otherwise.
    async fn refresh_remember(
        &self,
        headers: &HeaderMap,
        login: &LoginState,
        now: OffsetDateTime,
    ) -> Result<(), Unresolved> {
        let name = self.shared.remember_cookie.options.name.as_ref();
        let token = match first_valid_cookie(headers, name, |value| self.open_remember(value, now))
        {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(()),
            Err(err) => {
                invalid_cookie(CookieKind::Remember, name, &err);
                self.cookies().remember = Outcome::Remove;
                return Ok(());
            }
        };
        // Only a token that would log this user in is extended (same user, same auth hash) ...
        let extend = token.subject == login.uid
            && AuthDigest::matches(token.digest.as_ref(), login.hsh.as_ref())
            // ... and never a revoked one: of another login than the session's (whose family
            // was just checked), it is checked on its own.
            && (token.family == login.family() || self.not_revoked(CookieKind::Remember, name, remembered(&token)).await?);
        if extend {
            self.set_remember(login, now);
        } else {
            self.cookies().remember = Outcome::Remove;
        }
        Ok(())
    }

    /// Logs `user` in (fresh), with a new login session id, and sets or deletes the remember-me
    /// cookie.
    pub(crate) fn login(&self, user: &U, remember: bool) -> Result<(), LoginError> {
        let now = OffsetDateTime::now_utc();
        let shared = &self.shared;
        let digest = user.auth_hash().map(AuthDigest::of);
        let state =
            new_state(user.id().to_string(), true, digest, None).map_err(LoginError::Seal)?;
        let session = self.seal_session(&state, now).map_err(LoginError::Seal)?;
        let remember = if remember {
            Outcome::Set(
                seal_remember(
                    &shared.keys.remember,
                    &shared.remember_cookie.options.name,
                    &state,
                    shared.remember_cookie.options.token_lifetime(),
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

    /// Deletes both login cookies and, with a revocation store, revokes the families of the
    /// logins the request's cookies belong to, so every copy of them (re-sealed ones and stolen
    /// ones included) stops working on every instance too. When the store fails the cookies are
    /// kept (no half-done logout): the error's 503 tells the client the logout may not have
    /// happened, and it may send it again.
    pub(crate) async fn logout(&self, headers: &HeaderMap) -> Result<(), LoginError> {
        let Some(revocations) = &self.shared.revocations else {
            self.forget_both();
            return Ok(());
        };
        let now = OffsetDateTime::now_utc();
        let shared = &self.shared;
        let session = first_valid_cookie(headers, &shared.session_cookie.options.name, |value| {
            self.open_session(value, now)
        });
        let remember = first_valid_cookie(headers, &shared.remember_cookie.options.name, |value| {
            self.open_remember(value, now)
        });
        let session = session.ok().flatten();
        let remember = remember.ok().flatten();
        let mut families = [
            session.as_ref().map(|cookie| cookie.data.family()),
            remember.as_ref().map(|token| token.family.as_str()),
        ];
        if families[0] == families[1] {
            families[1] = None;
        }
        let until = self.family_end(now);
        for family in families.into_iter().flatten() {
            revocations
                .revoke_family(family, until)
                .await
                .map_err(|err| LoginError::Revocation(Error::StoreUnavailable(err)))?;
        }
        // Only now: a logout the store did not confirm keeps the cookies, so the browser is not
        // shown logged out while copies of its cookies still work, and can send it again.
        self.forget_both();
        Ok(())
    }

    /// When the last cookie of a login family that exists at `now` expires: a copy may have been
    /// re-sealed up to now (by another instance, whose clock may be ahead by up to the leeway),
    /// and lives a cookie lifetime from then, whatever the request's own copy says.
    fn family_end(&self, now: OffsetDateTime) -> OffsetDateTime {
        let shared = &self.shared;
        let lifetime = (shared.session_cookie.options.token_lifetime())
            .max(shared.remember_cookie.options.token_lifetime());
        let lifetime = time::Duration::try_from(lifetime).unwrap_or(time::Duration::MAX);
        now.saturating_add(lifetime).saturating_add(IAT_LEEWAY)
    }

    /// Logs the request's user out on every device and instance: revokes every token of theirs
    /// issued until now (login sessions, remember-me cookies, and API tokens whose `sub` is
    /// their id), and deletes this browser's cookies.
    pub(crate) async fn logout_everywhere(&self, headers: &HeaderMap) -> Result<(), LoginError> {
        let Some(revocations) = &self.shared.revocations else {
            return Err(LoginError::Revocation(Error::Setup(
                "logging out everywhere needs a revocation store: LoginManager::revocations".into(),
            )));
        };
        let user = match self.resolve(headers).await {
            Ok(Resolved::User { user, .. }) => Some(user),
            Ok(Resolved::Anonymous) => None,
            Err(Unresolved::Loader(err)) => {
                return Err(LoginError::Revocation(Error::Setup(format!(
                    "the user could not be loaded: {err}"
                ))));
            }
            Err(Unresolved::Store(err)) => {
                return Err(LoginError::Revocation(Error::StoreUnavailable(err)));
            }
        };
        if let Some(user) = user {
            revocations
                .revoke_subject(&user.id().to_string(), OffsetDateTime::now_utc())
                .await
                .map_err(|err| LoginError::Revocation(Error::StoreUnavailable(err)))?;
        }
        self.forget_both();
        Ok(())
    }

    /// Deletes both login cookies.
    pub(crate) fn forget_both(&self) {
        let mut cookies = self.cookies();
        cookies.session = Outcome::Remove;
        cookies.remember = Outcome::Remove;
    }

    fn seal_session(&self, state: &LoginState, now: OffsetDateTime) -> crate::Result<String> {
        seal_session(&self.shared, state, now)
    }

    /// Schedules a login session cookie for `state` (logging a failure to seal it).
    fn set_session(&self, state: &LoginState, now: OffsetDateTime) {
        match self.seal_session(state, now) {
            Ok(value) => self.cookies().session = Outcome::Set(value),
            Err(err) => tracing::error!(error = %err, "login session cookie not sealed"),
        }
    }

    /// Schedules a new remember-me cookie for the login `login` (logging a failure to seal it).
    fn set_remember(&self, login: &LoginState, now: OffsetDateTime) {
        let cookie = &self.shared.remember_cookie.options;
        match seal_remember(
            &self.shared.keys.remember,
            &cookie.name,
            login,
            cookie.token_lifetime(),
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

    /// Records what the login cookies become when the response goes out.
    pub(crate) fn finish(&self, changes: &mut CookieChanges) {
        let cookies = std::mem::take(&mut *self.cookies());
        changes.record(&self.shared.session_cookie.options, cookies.session);
        changes.record(&self.shared.remember_cookie.options, cookies.remember);
    }
}

/// The login session cookie's value for `state`.
fn seal_session<U>(
    shared: &Shared<U>,
    state: &LoginState,
    now: OffsetDateTime,
) -> crate::Result<String> {
    let cookie = &shared.session_cookie.options;
    seal_cookie_at(
        &shared.keys.session,
        LOGIN_PURPOSE,
        &cookie.name,
        state,
        cookie.token_lifetime(),
        now,
    )
}

/// `name=value` of a login session cookie of `user`, freshly logged in, as
/// [`LoginContext::login`] seals it (for tests: feature `testing`).
#[cfg(feature = "testing")]
pub(crate) fn login_cookie<U: AuthUser>(shared: &Shared<U>, user: &U) -> crate::Result<String> {
    let digest = user.auth_hash().map(AuthDigest::of);
    let state = new_state(user.id().to_string(), true, digest, None)?;
    let value = seal_session(shared, &state, OffsetDateTime::now_utc())?;
    Ok(format!("{}={value}", shared.session_cookie.options.name))
}

/// A login session for user id `uid`, with a new random session id, in `family` (a new one when
/// `None`: a login).
fn new_state(
    uid: String,
    fresh: bool,
    hsh: Option<AuthDigest>,
    family: Option<String>,
) -> crate::Result<LoginState> {
    Ok(LoginState {
        uid,
        fresh,
        sid: random_id()?,
        fam: Some(match family {
            Some(family) => family,
            None => random_id()?,
        }),
        hsh,
    })
}

/// What the revocation store checks of a remember-me token.
fn remembered(token: &RememberToken) -> TokenRef<'_> {
    TokenRef {
        token_id: Some(&token.jti),
        family: Some(&token.family),
        subject: Some(&token.subject),
        issued_at: Some(token.issued_at),
        key_id: None,
    }
}

/// Counts and logs (within the log budget) a login cookie that is invalid or revoked.
fn invalid_cookie(kind: CookieKind, cookie: &str, err: &Error) {
    let outcome = match err {
        Error::Revoked(_) => CookieOutcome::Revoked,
        _ => CookieOutcome::Invalid,
    };
    crate::metrics::cookie(kind, outcome);
    refusal!(
        Level::WARN,
        Refusal::LoginCookie,
        "invalid login cookie deleted; treating the request as not logged in",
        cookie,
        kind = %err.kind(),
        error = %err
    );
}
