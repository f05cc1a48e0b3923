//! [`RefreshEndpoint`]: [`RefreshTokens`] as a token endpoint, a tower service answering `POST`
//! requests that carry a refresh token in a JSON body (`{"refresh_token": "…"}`), a form
//! (`grant_type=refresh_token&refresh_token=…`, RFC 6749 section 6) or the refresh cookie, with a
//! new pair.
//!
//! Answers, as RFC 6749 section 5.2 has a token endpoint answer: 200 with the pair
//! (`Cache-Control: no-store`); 400 `{"error":"invalid_grant"}` for a refresh token that is used,
//! revoked, expired, forged or of the wrong kind (the reason is logged, not sent); 400
//! `invalid_request` for a request without one (or with two refresh cookies: one was planted),
//! or `unsupported_grant_type`; 403 `invalid_request` for a cookie refresh without
//! `X-Requested-With` or not shown to come from this origin (`Sec-Fetch-Site`, `Origin`); 405
//! for a method other than `POST`; 503 `temporarily_unavailable` with `Retry-After: 1` when the
//! store is down (a retry within the reuse grace gets the pair even if the first try was
//! recorded: see [`crate::refresh`], "Retries"); 500 when a pair cannot be made. No answer carries
//! `WWW-Authenticate`: the endpoint authenticates no client, so RFC 6750's challenge does not
//! apply (it is the guards' 401s that carry one). Every answer has `Cache-Control: no-store`. A
//! refresh token that came in the cookie goes back in the cookie, never in the body, and a
//! refused one is deleted.
//!
//! Cookie refreshes need `X-Requested-With` because the browser sends the cookie by itself: a
//! header a page cannot add across origins without a CORS preflight is what makes a forged
//! request (two of which would look like a replay and end the login) impossible. They must also
//! pass the crate's origin policy in its strict form: a browser that sends Fetch Metadata must
//! say `same-origin`, and an `Origin`, when sent without it, must be the request's own; an origin
//! trusted by the CSRF settings given with [`RefreshEndpoint::csrf`]
//! (`PASETO_CSRF_TRUSTED_ORIGINS`) passes both.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ALLOW, CACHE_CONTROL, PRAGMA, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::RefreshTokens;
use super::cookie::refresh_cookie;
use crate::TokenPair;
use crate::cookie::{CookieOptions, MAX_COOKIE_SIZE, request_cookies};
use crate::csrf::CsrfSettings;
use crate::extract::PasetoAuth;
use crate::http::media_type::{self, FORM, JSON};
use crate::http::origin::{Policy, is_cross_site};
use crate::logs::{Refusal, refusal};
use crate::reply::{error_response, internal_error, unavailable};
use crate::{Error, Result};
use crate::{Paseto, Verifier};
use tracing::Level;

/// The largest request body read: a refresh token is well under 1 KiB.
const MAX_BODY: usize = 16 * 1024;

/// Where the request's refresh token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Body,
    Cookie,
}

/// What is wrong with a request that carries no usable refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadRequest {
    /// Not a `POST`.
    Method,
    /// No refresh token, a body that does not parse, one too large, or two refresh cookies.
    InvalidRequest,
    /// A form whose `grant_type` is not `refresh_token`.
    UnsupportedGrantType,
    /// A cookie refresh a page of another origin could have sent.
    CrossOrigin,
}

impl BadRequest {
    fn response(self) -> Response {
        match self {
            BadRequest::Method => {
                let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
                response
                    .headers_mut()
                    .insert(ALLOW, HeaderValue::from_static("POST"));
                response
            }
            BadRequest::InvalidRequest => {
                error_response(StatusCode::BAD_REQUEST, "invalid_request")
            }
            BadRequest::UnsupportedGrantType => {
                error_response(StatusCode::BAD_REQUEST, "unsupported_grant_type")
            }
            BadRequest::CrossOrigin => error_response(StatusCode::FORBIDDEN, "invalid_request"),
        }
    }
}

#[derive(Deserialize)]
struct JsonBody {
    refresh_token: String,
    #[serde(default)]
    grant_type: Option<String>,
}

/// The answer of a token endpoint with `pair`: the pair as JSON, never cached (RFC 6749,
/// section 5.1). What a login route answers when refresh tokens are not kept in a cookie.
pub fn pair_response(pair: TokenPair) -> Response {
    no_store(axum::Json(pair).into_response())
}

/// Marks a response that holds tokens, or answers about them, as never to be stored.
fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The token endpoint: [`RefreshTokens`] answering `POST` requests. Mount it with
/// `post_service`.
///
/// ```
/// use paseto_auth::refresh::{RefreshEndpoint, RefreshTokens};
/// # fn app(refresh: RefreshTokens) -> axum::Router {
/// axum::Router::new().route("/token/refresh", axum::routing::post_service(RefreshEndpoint::new(refresh)))
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RefreshEndpoint {
    tokens: RefreshTokens,
    cookie: Option<Arc<CookieOptions>>,
    /// Origins a cookie refresh may come from besides this one (the CSRF settings').
    trusted_origins: Arc<[String]>,
}

impl From<RefreshTokens> for RefreshEndpoint {
    fn from(tokens: RefreshTokens) -> Self {
        RefreshEndpoint::new(tokens)
    }
}

impl RefreshEndpoint {
    /// The endpoint of `tokens`, taking refresh tokens from the request's body.
    pub fn new(tokens: RefreshTokens) -> Self {
        RefreshEndpoint {
            tokens,
            cookie: None,
            trusted_origins: Arc::from([]),
        }
    }

    /// The rule it applies.
    pub fn tokens(&self) -> &RefreshTokens {
        &self.tokens
    }

    /// A guard state for the access tokens of these pairs: `verifier`, checking the same
    /// revocations (so the family a replay revokes is refused at once).
    pub fn auth(&self, verifier: Verifier) -> PasetoAuth {
        PasetoAuth::new(verifier).revocations(self.tokens.revocations().clone())
    }

    /// Ends the family of `token` (an access or refresh token of a pair: a logout); see
    /// [`RefreshTokens::end_family`].
    pub async fn end_family(&self, token: &Paseto) -> Result<()> {
        self.tokens.end_family(&token.clone().into()).await
    }

    /// Takes refresh tokens from the cookie `cookie` as well ([`REFRESH_COOKIE`] or options
    /// changed from it), and answers a refresh that came in it by setting the new refresh token
    /// there (the body then holds the access token only). Its `Max-Age`, unless set, is the
    /// refresh token's lifetime. Fails when the cookie is not `HttpOnly` or browsers would refuse
    /// it.
    ///
    /// [`REFRESH_COOKIE`]: super::REFRESH_COOKIE
    pub fn cookie(mut self, cookie: CookieOptions) -> Result<Self> {
        let lifetime = self.tokens.issuer().pair_lifetimes().refresh;
        self.cookie = Some(Arc::new(refresh_cookie(cookie, lifetime)?));
        Ok(self)
    }

    /// Lets cookie refreshes come from the trusted origins of `settings` too
    /// ([`CsrfSettings::trusted_origin`], `PASETO_CSRF_TRUSTED_ORIGINS`): the origins the CSRF
    /// checks trust. Only those are read: the cookie's checks are the endpoint's own and always
    /// on.
    #[must_use]
    pub fn csrf(mut self, settings: &CsrfSettings) -> Self {
        self.trusted_origins = Arc::from(settings.trusted_origins());
        self
    }

    /// The answer that hands `pair` to a browser: its refresh token in the refresh cookie, the
    /// rest as JSON. For a login route, when refresh tokens live in a cookie. A refresh token too
    /// large for a cookie (claims of over 3 KiB) is a 500, logged: browsers would drop it.
    pub fn respond_with_cookie(&self, pair: TokenPair) -> Response {
        match &self.cookie {
            Some(cookie) => self.in_cookie(cookie, pair),
            None => pair_response(pair),
        }
    }

    fn in_cookie(&self, cookie: &CookieOptions, pair: TokenPair) -> Response {
        let fits = cookie.name.len() + 1 + pair.refresh_token.len() <= MAX_COOKIE_SIZE;
        let Some(set) = fits
            .then(|| cookie.set_cookie(&pair.refresh_token))
            .flatten()
        else {
            return internal_error(
                &"the refresh token does not fit in a cookie (claims too large)",
            );
        };
        let body = serde_json::json!({
            "access_token": pair.access_token,
            "token_type": pair.token_type,
            "expires_in": pair.expires_in,
            "refresh_expires_in": pair.refresh_expires_in,
        });
        let mut response = no_store(axum::Json(body).into_response());
        response.headers_mut().append(SET_COOKIE, set);
        response
    }

    /// Answers one request of the endpoint.
    async fn answer(&self, request: Request) -> Response {
        let (token, carrier) = match self.presented(request).await {
            Ok(presented) => presented,
            Err(bad) => return bad.response(),
        };
        match (self.tokens.refresh(&token).await, carrier, &self.cookie) {
            (Ok(pair), Carrier::Cookie, Some(cookie)) => self.in_cookie(cookie, pair),
            (Ok(pair), _, _) => pair_response(pair),
            (Err(err), carrier, _) => self.refused(&err, carrier),
        }
    }

    /// The answer to a refresh that failed.
    fn refused(&self, err: &Error, carrier: Carrier) -> Response {
        if err.kind().is_unavailable() {
            tracing::error!(error = %err, "refresh refused: the token store failed");
            return unavailable();
        }
        if is_server_side(err) {
            return internal_error(&format_args!("no pair could be made: {err}"));
        }
        // Within the log budget: anyone can send garbage here.
        refusal!(Level::INFO, Refusal::RefreshToken, "refresh token refused", kind = %err.kind(), error = %err);
        let mut response = error_response(StatusCode::BAD_REQUEST, "invalid_grant");
        let headers = response.headers_mut();
        if let (Carrier::Cookie, Some(cookie)) = (carrier, &self.cookie)
            && let Some(removal) = cookie.removal()
        {
            headers.append(SET_COOKIE, removal);
        }
        no_store(response)
    }

    /// The request's refresh token: from the body (JSON or form), else from the cookie.
    async fn presented(
        &self,
        request: Request,
    ) -> std::result::Result<(String, Carrier), BadRequest> {
        let (parts, body) = request.into_parts();
        if parts.method != Method::POST {
            return Err(BadRequest::Method);
        }
        if let Some(token) = from_body(&parts.headers, body).await? {
            return Ok((token, Carrier::Body));
        }
        let cookie = self.cookie.as_ref().ok_or(BadRequest::InvalidRequest)?;
        let mut values = request_cookies(&parts.headers, &cookie.name);
        let (Some(token), None) = (values.next(), values.next()) else {
            // None, or two: a second one was planted (a sibling domain's, say). Touch neither.
            return Err(BadRequest::InvalidRequest);
        };
        if token.is_empty() {
            return Err(BadRequest::InvalidRequest);
        }
        let from_a_page = parts.headers.contains_key("x-requested-with");
        if !from_a_page || is_cross_site(&parts, &self.trusted_origins, Policy::SameOrigin) {
            return Err(BadRequest::CrossOrigin);
        }
        Ok((token.to_owned(), Carrier::Cookie))
    }
}

/// Whether a refresh failed on the server's side (a pair the issuer cannot make, no randomness)
/// rather than for the token: a 500, not the client's `invalid_grant`.
fn is_server_side(err: &Error) -> bool {
    matches!(err, Error::Setup(_) | Error::Crypto(_))
}

/// The refresh token of a JSON or form body; `None` for an empty body (the cookie may hold it).
async fn from_body(
    headers: &HeaderMap,
    body: Body,
) -> std::result::Result<Option<String>, BadRequest> {
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| BadRequest::InvalidRequest)?;
    if bytes.is_empty() {
        return Ok(None);
    }
    let (token, grant_type) = if media_type::is(headers, JSON) {
        let body: JsonBody =
            serde_json::from_slice(&bytes).map_err(|_| BadRequest::InvalidRequest)?;
        (Some(body.refresh_token), body.grant_type)
    } else if media_type::is(headers, FORM) {
        let (mut token, mut grant_type) = (None, None);
        for (name, value) in form_urlencoded::parse(&bytes) {
            match name.as_ref() {
                "refresh_token" => token = Some(value.into_owned()),
                "grant_type" => grant_type = Some(value.into_owned()),
                _ => {}
            }
        }
        (token, grant_type)
    } else {
        return Err(BadRequest::InvalidRequest);
    };
    if grant_type.is_some_and(|grant| grant != "refresh_token") {
        return Err(BadRequest::UnsupportedGrantType);
    }
    match token {
        Some(token) if !token.is_empty() => Ok(Some(token)),
        _ => Err(BadRequest::InvalidRequest),
    }
}

/// The token endpoint as a tower service (`post_service`).
impl tower::Service<Request> for RefreshEndpoint {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::result::Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(no_store(this.answer(request).await)) })
    }
}
