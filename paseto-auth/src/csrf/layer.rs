//! [`CsrfLayer`]: CSRF protection for the forms of session and login apps, and the
//! [`CsrfToken`] handlers put in them.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};
use tracing::Level;

use super::{CsrfSettings, CsrfValue, is_cross_site, value};
use crate::cookie::{CookieAttributes, SameSite, request_cookies};
use crate::error::{Error, Result};
use crate::logs::{Refusal, refusal};

/// The largest form body read for its CSRF field (64 KiB); a bigger one must send the header.
const DEFAULT_MAX_FORM_SIZE: usize = 64 * 1024;

/// CSRF protection for form posts (synchronizer token in a cookie of its own): a response whose
/// handler took the [`CsrfToken`] (to put it in a form) leaves a random value in a cookie, if the
/// browser had none; a
/// request with an unsafe method must send it back in the form field (`csrf_token`) or the
/// header (`X-CSRF-Token`), or be refused with 403. Unsafe requests that the browser marks as
/// cross-site are refused before that.
///
/// Add it outside the routes that post forms (`Router::layer`); the value's cookie is `csrf`, or
/// `__Host-csrf` with [`secure`](Self::secure) (which a subdomain cannot overwrite).
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
}

#[derive(Debug, Clone)]
struct FormCsrf {
    settings: CsrfSettings,
    cookie_name: Option<String>,
    secure: bool,
    same_site: SameSite,
    max_form_size: usize,
}

impl FormCsrf {
    fn cookie_name(&self) -> &str {
        match (&self.cookie_name, self.secure) {
            (Some(name), _) => name,
            (None, true) => "__Host-csrf",
            (None, false) => "csrf",
        }
    }

    fn attributes(&self) -> CookieAttributes<'_> {
        CookieAttributes {
            name: self.cookie_name(),
            max_age: None,
            path: "/",
            domain: None,
            secure: self.secure,
            http_only: true,
            same_site: self.same_site,
        }
    }
}

impl Default for CsrfLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrfLayer {
    /// Default settings ([`CsrfSettings::new`]), cookie `csrf` (HttpOnly, `SameSite=Lax`, not
    /// `Secure`).
    pub fn new() -> Self {
        CsrfLayer {
            config: Arc::new(FormCsrf {
                settings: CsrfSettings::new(),
                cookie_name: None,
                secure: false,
                same_site: SameSite::Lax,
                max_form_size: DEFAULT_MAX_FORM_SIZE,
            }),
        }
    }

    fn with(self, change: impl FnOnce(&mut FormCsrf)) -> Self {
        let mut config = FormCsrf::clone(&self.config);
        change(&mut config);
        CsrfLayer {
            config: Arc::new(config),
        }
    }

    /// These settings (methods, header and field names, trusted origins).
    #[must_use]
    pub fn settings(self, settings: CsrfSettings) -> Self {
        self.with(|c| c.settings = settings)
    }

    /// Sends the cookie over HTTPS only, named `__Host-csrf` unless named otherwise.
    #[must_use]
    pub fn secure(self, secure: bool) -> Self {
        self.with(|c| c.secure = secure)
    }

    /// Names the cookie; the name is checked (with its `__Host-`/`__Secure-` rules).
    pub fn cookie_name(self, name: impl Into<String>) -> Result<Self> {
        let layer = self.with(|c| c.cookie_name = Some(name.into()));
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
            .attributes()
            .check()
            .map_err(|problem| Error::Setup(format!("CSRF cookie: {}", problem.message())))
    }
}

impl<S> Layer<S> for CsrfLayer {
    type Service = CsrfService<S>;

    fn layer(&self, inner: S) -> Self::Service {
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
            let (request, set_cookie) = match admit(&config, request).await {
                Ok(admitted) => admitted,
                Err(refused) => return Ok(refused),
            };
            let mut response = inner.call(request).await?;
            // Only a response that handed the value out (a form) needs the cookie holding it.
            if let Some((set_cookie, handed_out)) = set_cookie
                && handed_out.load(Ordering::Relaxed)
            {
                response.headers_mut().append(SET_COOKIE, set_cookie);
            }
            Ok(response)
        })
    }
}

/// A new value's `Set-Cookie`, and whether a handler took the value (to send it only then).
type NewCookie = (HeaderValue, Arc<AtomicBool>);

/// Checks `request`; on success, it goes on with its [`CsrfToken`], and with the `Set-Cookie`
/// of a new value when it had none.
async fn admit(
    config: &Arc<FormCsrf>,
    request: Request,
) -> std::result::Result<(Request, Option<NewCookie>), Response> {
    let (mut parts, body) = request.into_parts();
    let cookie = request_cookies(&parts.headers, config.cookie_name()).find_map(CsrfValue::parse);
    let body = if config.settings.protects(&parts.method) {
        verify(config, &parts, cookie.as_ref(), body).await?
    } else {
        body
    };
    let handed_out = Arc::new(AtomicBool::new(false));
    let (value, new_cookie) = match cookie {
        Some(value) => (value, None),
        None => {
            let value = CsrfValue::generate().map_err(|err| {
                tracing::error!(error = %err, "no CSRF value could be made");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            })?;
            let set_cookie = config.attributes().set_cookie(value.as_str());
            (value, set_cookie.map(|header| (header, handed_out.clone())))
        }
    };
    parts.extensions.insert(CsrfToken {
        value,
        field: Arc::from(config.settings.field()),
        handed_out,
    });
    Ok((Request::from_parts(parts, body), new_cookie))
}

/// The checks of an unsafe request: not cross-site, and the value sent back (header, else form
/// field) is the cookie's. Gives the body back (read, for a form) or the refusal.
async fn verify(
    config: &FormCsrf,
    parts: &Parts,
    cookie: Option<&CsrfValue>,
    body: Body,
) -> std::result::Result<Body, Response> {
    if is_cross_site(parts, &config.settings) {
        return Err(refuse(Error::CrossSiteRequest));
    }
    let (sent, body) = match parts.headers.get(config.settings.header()) {
        Some(header) => (Some(header.as_bytes().to_vec()), body),
        None if is_form(parts) => {
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
        return Err(refuse(Error::CsrfTokenInvalid(
            "the CSRF cookie is missing",
        )));
    };
    let Some(sent) = sent else {
        return Err(refuse(Error::CsrfTokenInvalid("no CSRF value was sent")));
    };
    if !value::same(&sent, cookie.as_str().as_bytes()) {
        return Err(refuse(Error::CsrfTokenInvalid(
            "the CSRF value sent does not match the cookie",
        )));
    }
    Ok(body)
}

fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// 403 with `{"error": KIND}`, logged within the refusal budget.
pub(crate) fn refuse(err: Error) -> Response {
    refusal!(Level::WARN, Refusal::Csrf, "CSRF check failed", kind = %err.kind(), error = %err);
    let body = serde_json::json!({ "error": err.kind().as_str() });
    (StatusCode::FORBIDDEN, Json(body)).into_response()
}

/// The request's CSRF value, from [`CsrfLayer`]: put it in every form that posts
/// ([`form_field`](Self::form_field)), or give it to a script that sends it in the header.
#[derive(Clone, Debug)]
pub struct CsrfToken {
    value: CsrfValue,
    field: Arc<str>,
    /// Set when a handler takes the token: the response then sets a new value's cookie.
    handed_out: Arc<AtomicBool>,
}

impl CsrfToken {
    /// The value.
    pub fn value(&self) -> &str {
        self.value.as_str()
    }

    /// The form field's name (`csrf_token`).
    pub fn field_name(&self) -> &str {
        &self.field
    }

    /// `<input type="hidden" name="csrf_token" value="…">`, escaped for HTML.
    pub fn form_field(&self) -> String {
        format!(
            r#"<input type="hidden" name="{}" value="{}">"#,
            html_escape(&self.field),
            html_escape(self.value.as_str())
        )
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
        let token = parts.extensions.get::<CsrfToken>().cloned();
        if let Some(token) = &token {
            token.handed_out.store(true, Ordering::Relaxed);
        }
        token.ok_or_else(|| {
            tracing::error!(
                "CsrfToken needs CsrfLayer around the route: add .layer(CsrfLayer::new())"
            );
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        })
    }
}
