//! What a request gets when a login is required and missing (or not fresh): a redirect to the
//! login page with `next` for browsers, 401 for API clients, or the application's own response.

use std::fmt;

use axum::extract::OriginalUri;
use axum::http::header::{ACCEPT, CACHE_CONTROL, LOCATION, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::manager::Settings;
use super::user::LoaderFailure;
use crate::reply::{error_response, internal_error};

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
    /// No [`LoginManagerLayer`](super::LoginManagerLayer) around the route: 500.
    MissingLayer,
    /// `CurrentUser<U>` asks for another user type than the loader's: 500.
    WrongUserType {
        /// The loader's user type.
        loader: &'static str,
        /// The type asked for.
        requested: &'static str,
    },
    /// The [`UserLoader`](super::UserLoader) failed: 500 (the error is logged, not sent).
    Loader(LoaderFailure),
}

impl LoginRejection {
    /// The HTTP status the rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            LoginRejection::Refused { response, .. } => response.status(),
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
            LoginRejection::MissingLayer => f.write_str(
                "no LoginManagerLayer around this route: add .layer(LoginManagerLayer::new(manager)?) to the router",
            ),
            LoginRejection::WrongUserType { loader, requested } => write!(
                f,
                "CurrentUser<{requested}> asked for, but the login manager's loader loads {loader}"
            ),
            LoginRejection::Loader(err) => write!(f, "the user could not be loaded: {err}"),
        }
    }
}

impl std::error::Error for LoginRejection {}

/// A refusal's own response; otherwise 500 with `{"error": "internal_error"}` (the cause is
/// logged, not sent: no type names or loader errors reach the client).
impl IntoResponse for LoginRejection {
    fn into_response(self) -> Response {
        match self {
            LoginRejection::Refused { response, .. } => *response,
            other => internal_error(&other),
        }
    }
}

/// The response to a refused request, as the manager's settings say.
pub(crate) fn refuse(settings: &Settings, parts: &Parts, refusal: Refusal) -> LoginRejection {
    let response = match &settings.on_refused {
        Some(handler) => handler(parts, refusal),
        None => default_response(settings, parts, refusal),
    };
    LoginRejection::Refused {
        refusal,
        response: Box::new(response),
    }
}

fn default_response(settings: &Settings, parts: &Parts, refusal: Refusal) -> Response {
    let target = match refusal {
        Refusal::NotLoggedIn => settings.login_url.as_deref(),
        Refusal::NotFresh => settings
            .refresh_url
            .as_deref()
            .or(settings.login_url.as_deref()),
    };
    let redirect = target.filter(|_| match settings.redirect {
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
    if settings.redirect == RedirectPolicy::Browsers && target.is_some() {
        // The answer depends on `Accept`; caches must not give a browser's redirect to an API
        // client or the other way round.
        headers.append(VARY, HeaderValue::from_static("Accept"));
    }
    response
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
