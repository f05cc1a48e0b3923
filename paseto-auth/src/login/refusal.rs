//! What a request gets when a login is required and missing (or not fresh): a redirect to the
//! login page with `next` for browsers, 401 for API clients, or the application's own response.

use std::fmt;
use std::sync::Arc;

use axum::extract::OriginalUri;
use axum::http::header::{ACCEPT, CACHE_CONTROL, LOCATION, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::user::LoaderFailure;
use crate::reply::{error_response, internal_error, unavailable};
use crate::store::StoreError;
use crate::{Error, Result, untrusted};

/// Why a request that needs a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// Nobody is logged in (Flask-Login's `unauthorized`).
    NotLoggedIn,
    /// Someone is, but the login was restored from the remember-me cookie and the route needs a
    /// fresh one, from a password (Flask-Login's `needs_refresh`).
    NotFresh,
}

impl Refusal {
    /// In words: `"login required"` or `"fresh login required"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Refusal::NotLoggedIn => "login required",
            Refusal::NotFresh => "fresh login required",
        }
    }

    /// The code of the 401 body `{"error": CODE}`: `login_required` or `fresh_login_required`.
    pub const fn code(self) -> &'static str {
        match self {
            Refusal::NotLoggedIn => "login_required",
            Refusal::NotFresh => "fresh_login_required",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whom a refused request is redirected to the login (or refresh) URL; the others get 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RedirectPolicy {
    /// Browsers: requests that accept `text/html` or are top-level navigations
    /// (`Sec-Fetch-Mode: navigate`). API clients get 401. The default.
    #[default]
    Browsers,
    /// Every request (Flask-Login's behaviour when a login view is set).
    Always,
    /// No request: always 401.
    Never,
}

/// Why a login extractor or `#[login_required]` refused a request; it answers with
/// [`LoginRejection::into_response`].
#[derive(Debug)]
#[non_exhaustive]
pub enum LoginRejection {
    /// A login is required and missing (or not fresh): the redirect or 401 the login manager's
    /// settings give.
    Refused {
        /// Why.
        refusal: Refusal,
        /// The response (a 303 to the login URL, a 401, or the `on_refused` handler's).
        response: Box<Response>,
    },
    /// No [`LoginManagerLayer`](super::LoginManagerLayer) of this user type around the route
    /// (none at all, or one whose loader loads another type): 500.
    MissingLayer {
        /// The user type asked for (`CurrentUser<U>`, `LoginSession<U>`); `None` for the
        /// `#[login_required]` guard, which asks for any.
        requested: Option<&'static str>,
        /// The user type of the layer that is there, if one is.
        present: Option<&'static str>,
    },
    /// The [`UserLoader`](super::UserLoader) failed: 500 (the error is logged, not sent).
    Loader(LoaderFailure),
    /// The revocation store failed, and fails closed: 503 (logged).
    StoreUnavailable(StoreError),
}

impl LoginRejection {
    /// The HTTP status the rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            LoginRejection::Refused { response, .. } => response.status(),
            LoginRejection::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The refusal, when the rejection is one.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            LoginRejection::Refused { refusal, .. } => Some(*refusal),
            _ => None,
        }
    }
}

impl fmt::Display for LoginRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginRejection::Refused { refusal, .. } => write!(f, "{refusal}"),
            LoginRejection::MissingLayer { requested, present } => {
                match requested {
                    Some(user) => write!(
                        f,
                        "no LoginManagerLayer loading {user} users around this route"
                    )?,
                    None => f.write_str("no LoginManagerLayer around this route")?,
                }
                match present {
                    Some(user) => write!(
                        f,
                        "; the layer here loads {user}: take CurrentUser<{user}> and LoginSession<{user}>"
                    ),
                    None => {
                        f.write_str(": add .layer(LoginManagerLayer::new(manager)?) to the router")
                    }
                }
            }
            LoginRejection::Loader(err) => write!(f, "the user could not be loaded: {err}"),
            LoginRejection::StoreUnavailable(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for LoginRejection {}

impl From<Unresolved> for LoginRejection {
    fn from(unresolved: Unresolved) -> Self {
        match unresolved {
            Unresolved::Loader(err) => LoginRejection::Loader(err),
            Unresolved::Store(err) => LoginRejection::StoreUnavailable(err),
        }
    }
}

/// A refusal's own response; a 503 (`temporarily_unavailable`) when the revocation store is
/// down; otherwise 500 with `{"error": "internal_error"}` (the cause is logged, not sent: no type
/// names or loader errors reach the client).
impl IntoResponse for LoginRejection {
    fn into_response(self) -> Response {
        match self {
            LoginRejection::Refused { response, .. } => *response,
            LoginRejection::StoreUnavailable(err) => {
                tracing::error!("login not checked: {err}");
                unavailable()
            }
            other => internal_error(&other),
        }
    }
}

/// Why the login could not be worked out: the loader failed, or the revocation store did (and
/// fails closed). Cheap to clone, so one failure answers every extractor of a request.
#[derive(Clone)]
pub(crate) enum Unresolved {
    Loader(LoaderFailure),
    Store(StoreError),
}

impl From<LoaderFailure> for Unresolved {
    fn from(failure: LoaderFailure) -> Self {
        Unresolved::Loader(failure)
    }
}

/// Where refused requests go: the login manager's refusal settings.
#[derive(Default)]
pub(crate) struct Refusals {
    pub(crate) login_url: Option<String>,
    pub(crate) refresh_url: Option<String>,
    pub(crate) redirect: RedirectPolicy,
    pub(crate) on_refused: Option<RefusalHandler>,
}

/// Builds the response to a refused request (see
/// [`LoginManager::on_refused`](super::LoginManager::on_refused)).
pub(crate) type RefusalHandler = Arc<dyn Fn(&Parts, Refusal) -> Response + Send + Sync>;

impl fmt::Debug for Refusals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refusals")
            .field("login_url", &self.login_url)
            .field("refresh_url", &self.refresh_url)
            .field("redirect", &self.redirect)
            .field("on_refused", &self.on_refused.is_some())
            .finish()
    }
}

impl Refusals {
    /// Checks the URLs, naming the setting: a path (`/login`) or an absolute http(s) URL.
    pub(crate) fn check(&self) -> Result<()> {
        check_url("login_url", self.login_url.as_deref())?;
        check_url("refresh_url", self.refresh_url.as_deref())
    }

    /// The response to a refused request, as the settings say.
    pub(crate) fn refuse(&self, parts: &Parts, refusal: Refusal) -> LoginRejection {
        let response = match &self.on_refused {
            Some(handler) => handler(parts, refusal),
            None => self.default_response(parts, refusal),
        };
        LoginRejection::Refused {
            refusal,
            response: Box::new(response),
        }
    }

    fn default_response(&self, parts: &Parts, refusal: Refusal) -> Response {
        let target = match refusal {
            Refusal::NotLoggedIn => self.login_url.as_deref(),
            Refusal::NotFresh => self.refresh_url.as_deref().or(self.login_url.as_deref()),
        };
        let redirect = target.filter(|_| match self.redirect {
            RedirectPolicy::Always => true,
            RedirectPolicy::Never => false,
            RedirectPolicy::Browsers => is_browser(&parts.headers),
        });
        let mut response = match redirect {
            Some(target) => {
                let location = with_next(target, request_target(parts));
                match HeaderValue::try_from(location) {
                    Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
                    // Checked when the layer was built; unreachable in practice, and 401 is right.
                    Err(_) => error_response(StatusCode::UNAUTHORIZED, refusal.code()),
                }
            }
            None => error_response(StatusCode::UNAUTHORIZED, refusal.code()),
        };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.redirect == RedirectPolicy::Browsers && target.is_some() {
            // The answer depends on `Accept`; caches must not give a browser's redirect to an API
            // client or the other way round.
            headers.append(VARY, HeaderValue::from_static("Accept"));
        }
        response
    }
}

/// A redirect target: a path (`/login`) or an absolute http(s) URL, valid in a header.
fn check_url(setting: &str, url: Option<&str>) -> Result<()> {
    let Some(url) = url else {
        return Ok(());
    };
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    // A path must be one `safe_next` would accept (no `//host`, no `/\host`); any URL must be a
    // valid header value with no space, backslash or fragment.
    let shaped = absolute || safe_next(url).is_some();
    let clean = url
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'\\' && b != b'#');
    if !shaped || !clean || HeaderValue::try_from(url).is_err() {
        return Err(Error::config(
            setting,
            format!(
                "expected a path such as /login or an absolute http(s) URL without a fragment, got \"{}\"",
                untrusted(url)
            ),
        ));
    }
    Ok(())
}

/// Whether the request comes from a browser page load rather than an API client.
fn is_browser(headers: &HeaderMap) -> bool {
    let navigate = headers
        .get("sec-fetch-mode")
        .is_some_and(|mode| mode.as_bytes().eq_ignore_ascii_case(b"navigate"));
    navigate
        || headers.get_all(ACCEPT).iter().any(|accept| {
            accept.to_str().is_ok_and(|text| {
                text.split(',').any(|item| {
                    item.split(';')
                        .next()
                        .is_some_and(|media| media.trim().eq_ignore_ascii_case("text/html"))
                })
            })
        })
}

/// The path and query the client asked for (before any `nest`), for `next`.
fn request_target(parts: &Parts) -> &str {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    uri.path_and_query().map_or("/", |pq| pq.as_str())
}

/// `url` with `next=<target>` added to its query, form-encoded.
fn with_next(url: &str, target: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", target)
        .finish();
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{query}")
}

/// `next` if it is safe to redirect to after login: a path on this site (`/…`), not a
/// protocol-relative URL (`//evil.example`), with no backslash or control character (browsers
/// read `/\evil.example` and `/\t/evil.example` as `//evil.example`). Otherwise `None`: redirect
/// to a default page instead, never to where an attacker's link points (an open redirect).
///
/// ```
/// use paseto_auth::login::safe_next;
///
/// assert_eq!(safe_next("/protected?tab=2"), Some("/protected?tab=2"));
/// assert_eq!(safe_next("https://evil.example/"), None);
/// assert_eq!(safe_next("//evil.example/"), None);
/// assert_eq!(safe_next("/\\evil.example/"), None);
/// ```
pub fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//");
    let clean = next.bytes().all(|b| b != b'\\' && !b.is_ascii_control());
    (local && clean).then_some(next)
}
