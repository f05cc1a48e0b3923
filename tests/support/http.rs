//! Requests through a `Router` with `oneshot`, and what tests read of the responses: the
//! body and the `Set-Cookie` headers.

use std::fmt;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Method};
use axum::response::Response;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Sends `request` through a clone of `app`.
pub(crate) async fn send(app: &Router, request: Request) -> Response {
    app.clone().oneshot(request).await.unwrap()
}

/// `GET uri` with `cookies` (`name=value` pairs) in one `Cookie` header, or none if empty.
pub(crate) fn get_with(uri: &str, cookies: &[&str]) -> Request {
    let mut request = Request::get(uri).body(Body::empty()).unwrap();
    if !cookies.is_empty() {
        let header = HeaderValue::try_from(cookies.join("; ")).unwrap();
        request.headers_mut().insert(COOKIE, header);
    }
    request
}

/// `method uri` with `Authorization: Bearer token`.
pub(crate) fn bearer(method: &str, uri: &str, token: &str) -> Request {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// `POST uri` with `body` and `cookies` as in [`get_with`] (no `Content-Type`: add your own).
pub(crate) fn post_with(uri: &str, cookies: &[&str], body: impl Into<Body>) -> Request {
    let mut request = get_with(uri, cookies);
    *request.method_mut() = Method::POST;
    *request.body_mut() = body.into();
    request
}

/// `POST uri` of the form `form` (may be empty) and its `csrf_token` field `field`, from a browser
/// holding `cookies` and the form CSRF value `cookie` in its `csrf` cookie: what the examples'
/// pages post.
pub(crate) fn form_with_csrf(
    uri: &str,
    form: &str,
    cookies: &[&str],
    cookie: &str,
    field: &str,
) -> Request {
    let csrf = format!("csrf={cookie}");
    let cookies: Vec<&str> = cookies.iter().copied().chain([csrf.as_str()]).collect();
    let body = match form {
        "" => format!("csrf_token={field}"),
        form => format!("{form}&csrf_token={field}"),
    };
    let mut request = post_with(uri, &cookies, body);
    request.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    request
}

/// The whole body of `response`, as UTF-8 text.
pub(crate) async fn body_string(response: Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// One `Set-Cookie` header split at its `; ` separators; `Display` gives the header back as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetCookie {
    /// The cookie's name.
    pub(crate) name: String,
    /// Its value, empty in a removal.
    pub(crate) value: String,
    /// The attributes in order, as sent: `["HttpOnly", "SameSite=Lax", "Path=/"]`.
    pub(crate) attributes: Vec<String>,
}

impl SetCookie {
    /// Splits a `Set-Cookie` header; panics if it does not start with `name=`.
    pub(crate) fn parse(header: &str) -> SetCookie {
        let mut parts = header.split("; ");
        let pair = parts.next().unwrap_or_default();
        let (name, value) = pair
            .split_once('=')
            .unwrap_or_else(|| panic!("no `name=value` in Set-Cookie {header:?}"));
        SetCookie {
            name: name.to_owned(),
            value: value.to_owned(),
            attributes: parts.map(str::to_owned).collect(),
        }
    }

    /// `name=value`, as a browser sends the cookie back in `Cookie`.
    pub(crate) fn pair(&self) -> String {
        format!("{}={}", self.name, self.value)
    }
}

impl fmt::Display for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.value)?;
        self.attributes
            .iter()
            .try_for_each(|attribute| write!(f, "; {attribute}"))
    }
}

/// Every `Set-Cookie` header of `response`, in order.
pub(crate) fn set_cookies(response: &Response) -> Vec<SetCookie> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|value| SetCookie::parse(value.to_str().unwrap()))
        .collect()
}

/// The single `Set-Cookie` header of `response`; panics unless there is exactly one.
pub(crate) fn the_set_cookie(response: &Response) -> SetCookie {
    let mut all = set_cookies(response);
    assert_eq!(all.len(), 1, "expected one Set-Cookie, got {all:?}");
    all.remove(0)
}
