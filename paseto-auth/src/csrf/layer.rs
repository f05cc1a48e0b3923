//! [`CsrfLayer`]: CSRF protection for the forms of session and login apps, and the
//! [`CsrfToken`] handlers put in them.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};
use tracing::Level;

use super::{CsrfSettings, CsrfValue, value};
use crate::cookie::{CookieOptions, has_host_prefix, request_cookies};
use crate::http::media_type::{self, FORM};
use crate::http::origin::{Policy, is_cross_site};
use crate::logs::{Refusal, refusal};
use crate::settings::Settings;
use crate::{CsrfError, Error, Result};

/// The largest form body read for its CSRF field (64 KiB); a bigger one must send the header.
const DEFAULT_MAX_FORM_SIZE: usize = 64 * 1024;

/// CSRF protection for form posts (synchronizer token in a cookie of its own): a response whose
/// handler took the [`CsrfToken`] (to put it in a form) leaves a random value in a cookie, if the
/// browser had none; a request with an unsafe method must send it back in the form field
/// (`csrf_token`) or the header (`X-CSRF-Token`), or be refused with 403. Unsafe requests that
/// are not shown to come from the site's own pages (see [`crate::csrf`]) are refused before
/// that, and so are unsafe requests with two cookies of the CSRF cookie's name (one was planted:
/// neither is picked).
///
/// Add it outside the routes that post forms (`Router::layer`). The value's cookie is
/// `__Host-csrf` (`Secure`, `Path=/`, no `Domain`), which no other site or subdomain can set; an
/// application served over plain http turns that off with [`secure(false)`](Self::secure) (or
/// `PASETO_CSRF_FORM_COOKIE_SECURE=false`, [`from_env`](Self::from_env)) and gets the cookie
/// `csrf`, with a warning at start-up.
///
/// Logging in and out rotate the value: [`Session::renew`](crate::session::Session::renew) and
/// [`clear`](crate::session::Session::clear), and the login manager's
/// [`LoginSession`](crate::login::LoginSession), call [`CsrfToken::rotate`].
///
/// ```
/// use axum::{Router, response::Html, routing::get};
/// use paseto_auth::csrf::{CsrfLayer, CsrfToken};
///
/// async fn form(csrf: CsrfToken) -> Html<String> {
///     Html(format!(r#"<form method="post">{}<button>Go</button></form>"#, csrf.form_field()))
/// }
///
/// let app: Router = Router::new()
///     .route("/", get(form).post(|| async { "posted" }))
///     .layer(CsrfLayer::new());
/// ```
#[derive(Clone, Debug)]
pub struct CsrfLayer {
    config: Arc<FormCsrf>,
    /// Whether the start-up warning about a cookie other sites can plant was logged.
    warned: Arc<AtomicBool>,
}

#[derive(Debug, Clone)]
struct FormCsrf {
    settings: CsrfSettings,
    /// The value's cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, no `Domain`, ending with the
    /// browser session; `Secure` and its name as set.
    cookie: CookieOptions,
    /// Whether the cookie was named ([`CsrfLayer::cookie_name`]); if not, its name follows
    /// `secure`.
    named: bool,
    max_form_size: usize,
}

/// The cookie's name when not named otherwise: one no other site or subdomain can set, which
/// needs `Secure`.
const fn default_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-csrf" } else { "csrf" }
}

impl FormCsrf {
    fn cookie_name(&self) -> &str {
        &self.cookie.name
    }

    /// Logs, at start-up, that the cookie has no `__Host-` prefix: any subdomain of the site can
    /// then set a cookie of its name (OWASP's cookie tossing), so the setting to turn on is named.
    fn warn_if_plantable(&self) {
        let name = self.cookie_name();
        if has_host_prefix(name) {
            return;
        }
        if self.cookie.secure {
            tracing::warn!(
                cookie = name,
                "the CSRF cookie has no __Host- prefix, so a sibling subdomain can plant one: \
                 name it __Host-… (or keep CsrfLayer's default name)"
            );
        } else {
            tracing::warn!(
                cookie = name,
                "the CSRF cookie is not Secure and has no __Host- prefix, so a sibling \
                 subdomain can plant one: serve over HTTPS with CsrfLayer::secure(true) \
                 (PASETO_CSRF_FORM_COOKIE_SECURE=true), the default, for the __Host-csrf cookie"
            );
        }
    }
}

impl Default for CsrfLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrfLayer {
    /// Default settings ([`CsrfSettings::new`]), cookie `__Host-csrf` (`Secure`, HttpOnly,
    /// `SameSite=Lax`, `Path=/`).
    pub fn new() -> Self {
        CsrfLayer {
            config: Arc::new(FormCsrf {
                settings: CsrfSettings::new(),
                cookie: CookieOptions::new(default_cookie_name(true)),
                named: false,
                max_form_size: DEFAULT_MAX_FORM_SIZE,
            }),
            warned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The layer of the environment's settings: [`CsrfSettings::from_env`], and
    /// `PASETO_CSRF_FORM_COOKIE_SECURE` (`true`/`false`, default `true`; see
    /// [`secure`](Self::secure)). A bad value is an error naming its setting.
    pub fn from_env() -> Result<Self> {
        Self::from_settings(&Settings::env())
    }

    /// [`CsrfLayer::from_env`] with the settings from `settings` (an unknown name of
    /// [`CsrfSettings::NAMESPACE`] is an error).
    pub fn from_settings(settings: &Settings) -> Result<Self> {
        let mut layer = Self::new().settings(CsrfSettings::from_settings(settings)?);
        if let Some(secure) = settings.bool("PASETO_CSRF_FORM_COOKIE_SECURE")? {
            layer = layer.secure(secure);
        }
        Ok(layer)
    }

    fn with(self, change: impl FnOnce(&mut FormCsrf)) -> Self {
        let mut config = FormCsrf::clone(&self.config);
        change(&mut config);
        CsrfLayer {
            config: Arc::new(config),
            warned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// These settings (methods, header and field names, trusted origins).
    #[must_use]
    pub fn settings(self, settings: CsrfSettings) -> Self {
        self.with(|c| c.settings = settings)
    }

    /// Whether the application is served over HTTPS (the default): the cookie is then `Secure`
    /// and named `__Host-csrf` (unless named otherwise), a name browsers let no other site or
    /// subdomain set. `false`, for plain http only (development), names it `csrf`: a sibling
    /// subdomain can then plant a cookie of that name (cookie tossing), which the layer answers
    /// by refusing unsafe requests that carry two, and the layer logs a warning at start-up.
    #[must_use]
    pub fn secure(self, secure: bool) -> Self {
        self.with(|c| {
            c.cookie.secure = secure;
            if !c.named {
                c.cookie.name = default_cookie_name(secure).into();
            }
        })
    }

    /// Names the cookie; the name is checked (with its `__Host-`/`__Secure-` rules). A name
    /// without the `__Host-` prefix gets the start-up warning.
    pub fn cookie_name(self, name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let layer = self.with(|c| {
            c.cookie.name = name.into();
            c.named = true;
        });
        layer.check()?;
        Ok(layer)
    }

    /// The largest form body read for the field; a bigger request is refused with 413 unless it
    /// sends the header.
    #[must_use]
    pub fn max_form_size(self, bytes: usize) -> Self {
        self.with(|c| c.max_form_size = bytes)
    }

    fn check(&self) -> Result<()> {
        self.config
            .cookie
            .check()
            .map_err(|problem| Error::Setup(format!("CSRF cookie: {problem}")))
    }
}

impl<S> Layer<S> for CsrfLayer {
    type Service = CsrfService<S>;

    /// Wraps `inner`; the first time, at start-up, warns when the cookie is one another site
    /// can plant.
    fn layer(&self, inner: S) -> Self::Service {
        if !self.warned.swap(true, Ordering::Relaxed) {
            self.config.warn_if_plantable();
        }
        CsrfService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service [`CsrfLayer`] wraps routes in.
#[derive(Clone, Debug)]
pub struct CsrfService<S> {
    inner: S,
    config: Arc<FormCsrf>,
}

impl<S> Service<Request> for CsrfService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let config = self.config.clone();
        Box::pin(async move {
            let (request, admitted) = match admit(&config, request).await {
                Ok(admitted) => admitted,
                Err(refused) => return Ok(refused),
            };
            let mut response = inner.call(request).await?;
            if let Some(set_cookie) = admitted.set_cookie(&config) {
                response.headers_mut().append(SET_COOKIE, set_cookie);
            }
            Ok(response)
        })
    }
}

/// A request let through: its token, and whether the value is new (the request had no usable
/// cookie).
struct Admitted {
    token: CsrfToken,
    new: bool,
}

impl Admitted {
    /// The `Set-Cookie` the response needs: the new value of a rotation (or the cookie's removal,
    /// if no new value could be made), or a value new to this browser that a handler handed out
    /// (only a response with a form needs the cookie holding its value).
    fn set_cookie(&self, config: &FormCsrf) -> Option<HeaderValue> {
        let state = &self.token.0;
        let cookie = &config.cookie;
        if state.rotation_failed.load(Ordering::Relaxed) {
            cookie.removal()
        } else if let Some(rotated) = state.rotated.get() {
            cookie.set_cookie(rotated.as_str())
        } else if self.new && state.handed_out.load(Ordering::Relaxed) {
            cookie.set_cookie(state.value.as_str())
        } else {
            None
        }
    }
}

/// Checks `request`; on success, it goes on with its [`CsrfToken`]: the cookie's value, or a
/// new one when it had none (or two).
async fn admit(
    config: &Arc<FormCsrf>,
    request: Request,
) -> std::result::Result<(Request, Admitted), Response> {
    let (mut parts, body) = request.into_parts();
    let cookie = request_cookie(&parts, config.cookie_name());
    let body = if config.settings.protects(&parts.method) {
        verify(config, &parts, &cookie, body).await?
    } else {
        body
    };
    let (value, new) = match cookie {
        RequestCookie::One(Some(value)) => (value, false),
        _ => {
            let value = CsrfValue::generate().map_err(|err| {
                tracing::error!(error = %err, "no CSRF value could be made");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            })?;
            (value, true)
        }
    };
    let token = CsrfToken(Arc::new(TokenState {
        value,
        field: Arc::from(config.settings.field()),
        handed_out: AtomicBool::new(false),
        rotated: OnceLock::new(),
        rotation_failed: AtomicBool::new(false),
    }));
    parts.extensions.insert(token.clone());
    Ok((Request::from_parts(parts, body), Admitted { token, new }))
}

/// The request's cookies of the CSRF cookie's name.
enum RequestCookie {
    /// None or one; its value if it has the shape of one.
    One(Option<CsrfValue>),
    /// Two or more: a browser sends two when another site planted one (with another `Domain`
    /// or a longer `Path`), and which is ours cannot be told.
    Several,
}

fn request_cookie(parts: &Parts, name: &str) -> RequestCookie {
    let mut values = request_cookies(&parts.headers, name);
    let first = values.next();
    if values.next().is_some() {
        return RequestCookie::Several;
    }
    RequestCookie::One(first.and_then(CsrfValue::parse))
}

/// The checks of an unsafe request: not cross-site, one CSRF cookie, and the value sent back
/// (header, else form field) is the cookie's. Gives the body back (read, for a form) or the
/// refusal.
async fn verify(
    config: &FormCsrf,
    parts: &Parts,
    cookie: &RequestCookie,
    body: Body,
) -> std::result::Result<Body, Response> {
    if is_cross_site(parts, config.settings.trusted_origins(), Policy::Csrf) {
        return Err(refuse(Error::Csrf(CsrfError::CrossSiteRequest)));
    }
    let cookie = match cookie {
        RequestCookie::Several => {
            return Err(refuse(Error::Csrf(CsrfError::CsrfTokenInvalid(
                "two CSRF cookies were sent (one planted by another site?)",
            ))));
        }
        RequestCookie::One(cookie) => cookie.as_ref(),
    };
    let (sent, body) = match parts.headers.get(config.settings.header()) {
        Some(header) => (Some(header.as_bytes().to_vec()), body),
        None if media_type::is(&parts.headers, FORM) => {
            let bytes = axum::body::to_bytes(body, config.max_form_size)
                .await
                .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
            let field = form_urlencoded::parse(&bytes)
                .find(|(name, _)| name == config.settings.field())
                .map(|(_, value)| value.into_owned().into_bytes());
            (field, Body::from(bytes))
        }
        None => (None, body),
    };
    let Some(cookie) = cookie else {
        return Err(refuse(Error::Csrf(CsrfError::CsrfTokenInvalid(
            "the CSRF cookie is missing",
        ))));
    };
    let Some(sent) = sent else {
        return Err(refuse(Error::Csrf(CsrfError::CsrfTokenInvalid(
            "no CSRF value was sent",
        ))));
    };
    if !value::same(&sent, cookie.as_str().as_bytes()) {
        return Err(refuse(Error::Csrf(CsrfError::CsrfTokenInvalid(
            "the CSRF value sent does not match the cookie",
        ))));
    }
    Ok(body)
}

/// 403 with `{"error": KIND}`, logged within the refusal budget.
pub(crate) fn refuse(err: Error) -> Response {
    refusal!(Level::WARN, Refusal::Csrf, "CSRF check failed", kind = %err.kind(), error = %err);
    let body = serde_json::json!({ "error": err.kind().as_str() });
    (StatusCode::FORBIDDEN, Json(body)).into_response()
}

/// The request's CSRF value, from [`CsrfLayer`]: put it in every form that posts
/// ([`form_field`](Self::form_field)), or give it to a script that sends it in the header.
///
/// Clones share the request's value: after [`rotate`](Self::rotate), every clone gives the new
/// one.
#[derive(Clone)]
pub struct CsrfToken(Arc<TokenState>);

/// One request's CSRF value, shared by the layer and the handler's [`CsrfToken`]s.
struct TokenState {
    /// The cookie's value, or a new one when the request had no usable cookie.
    value: CsrfValue,
    field: Arc<str>,
    /// Set when a handler takes the token: a new value's cookie is then sent.
    handed_out: AtomicBool,
    /// The value that replaces `value` (login, logout), sent in a new cookie.
    rotated: OnceLock<CsrfValue>,
    /// A rotation found no randomness: the cookie is deleted rather than kept.
    rotation_failed: AtomicBool,
}

impl CsrfToken {
    /// The request's token, for the session and login extractors (a handler that has not asked
    /// for it gets no cookie for a new value, unless the value is rotated).
    pub(crate) fn of(extensions: &Extensions) -> Option<CsrfToken> {
        extensions.get::<CsrfToken>().cloned()
    }

    /// The value (the new one after [`rotate`](Self::rotate)).
    pub fn value(&self) -> &str {
        let state = &self.0;
        state.rotated.get().unwrap_or(&state.value).as_str()
    }

    /// The form field's name (`csrf_token`).
    pub fn field_name(&self) -> &str {
        &self.0.field
    }

    /// `<input type="hidden" name="csrf_token" value="…">`, escaped for HTML.
    pub fn form_field(&self) -> String {
        format!(
            r#"<input type="hidden" name="{}" value="{}">"#,
            html_escape(&self.0.field),
            html_escape(self.value())
        )
    }

    /// Replaces the value with a new random one, sent in a new cookie with the response; the
    /// old value no longer passes once the browser has it. Call it when who is logged in
    /// changes, as OWASP recommends, so that a value fixed before a login (planted by an
    /// attacker, say) is not the logged-in user's: [`Session::renew`] and [`Session::clear`], and
    /// the login manager's login and logouts, call it for you. Forms already rendered in other
    /// tabs carry the old value, and are refused until reloaded.
    ///
    /// Once per request is enough (the value is new); a second call changes nothing. Render
    /// forms after rotating, since they show [`value`](Self::value) as it is when they are
    /// rendered. If no randomness is available, the cookie is deleted instead (and an error
    /// logged): the next page with a form sets a new one.
    ///
    /// [`Session::renew`]: crate::session::Session::renew
    /// [`Session::clear`]: crate::session::Session::clear
    pub fn rotate(&self) {
        let state = &self.0;
        if state.rotated.get().is_some() {
            return;
        }
        match CsrfValue::generate() {
            Ok(value) => {
                // Another clone rotating at the same moment made a value as new as this one.
                let _ = state.rotated.set(value);
            }
            Err(err) => {
                tracing::error!(error = %err, "no new CSRF value; the CSRF cookie is deleted");
                state.rotation_failed.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// The value is left out, as [`CsrfValue`]'s `Debug` leaves it out.
impl fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsrfToken")
            .field("field", &self.0.field)
            .field("rotated", &self.0.rotated.get().is_some())
            .finish_non_exhaustive()
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> std::result::Result<Self, Response> {
        let token = CsrfToken::of(&parts.extensions);
        if let Some(token) = &token {
            token.0.handed_out.store(true, Ordering::Relaxed);
        }
        token.ok_or_else(|| {
            tracing::error!(
                "CsrfToken needs CsrfLayer around the route: add .layer(CsrfLayer::new())"
            );
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<CsrfLayer> {
        CsrfLayer::from_settings(&Settings::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_cookie_is_a_host_cookie_unless_the_environment_says_plain_http() {
        let layer = from(&[]).unwrap();
        assert_eq!(layer.config.cookie_name(), "__Host-csrf");
        assert!(layer.config.cookie.secure);
        let layer = from(&[
            ("PASETO_CSRF_FORM_COOKIE_SECURE", "false"),
            ("PASETO_CSRF_FIELD_NAME", "_csrf"),
        ])
        .unwrap();
        assert_eq!(layer.config.cookie_name(), "csrf");
        assert!(!layer.config.cookie.secure);
        assert_eq!(layer.config.settings.field(), "_csrf");
        for (name, value) in [
            ("PASETO_CSRF_FORM_COOKIE_SECURE", "maybe"),
            ("PASETO_CSRF_TRUSTED_ORIGINS", "admin.example"),
        ] {
            let err = from(&[(name, value)]).unwrap_err();
            assert!(
                matches!(&err, Error::Config { setting, .. } if setting == name),
                "{name}: {err}"
            );
        }
    }
}
