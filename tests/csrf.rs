//! CSRF protection over HTTP: a token in a cookie must come with its `csrf` value in the header
//! on unsafe methods (double submit, as Flask-JWT-Extended), a bearer token needs nothing, and
//! `CsrfLayer` guards form posts with a value of its own cookie. Each attack is shown failing.

mod support;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, COOKIE, WWW_AUTHENTICATE};
use axum::http::{Method, StatusCode};
use axum::response::Html;
use axum::routing::get;
use paseto_auth::csrf::{CsrfLayer, CsrfSettings, CsrfToken, TokenCookie};
use paseto_auth::extract::{PasetoAuth, TokenSource};
use paseto_auth::{Issuer, Paseto, TokenOptions, paseto_required};
use serde_json::{Value, json};

use support::http::{SetCookie, body_string, send, set_cookies};
use support::v4_issuer_and_verifier;

#[paseto_required]
async fn orders(token: Paseto<Value>) -> String {
    format!("orders of {}", token.claims["user"])
}

struct TokenApp {
    app: Router,
    issuer: Issuer,
    cookie: TokenCookie,
}

fn token_app(settings: CsrfSettings) -> TokenApp {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let source = TokenSource::any_of([TokenSource::cookie("paseto"), TokenSource::Header]);
    let auth = PasetoAuth::new(verifier)
        .token_source(source)
        .csrf(settings.clone());
    let app = Router::new()
        .route(
            "/orders",
            get(orders)
                .post(orders)
                .put(orders)
                .patch(orders)
                .delete(orders),
        )
        .with_state(auth);
    let cookie = TokenCookie::new("paseto").unwrap().csrf_settings(settings);
    TokenApp {
        app,
        issuer,
        cookie,
    }
}

impl TokenApp {
    /// Logs `user` in: the token cookie and the CSRF cookie, as the browser stores them.
    fn log_in(&self, user: &str) -> (SetCookie, SetCookie) {
        let issued = self
            .cookie
            .issue(&self.issuer, &json!({ "user": user }), TokenOptions::new())
            .unwrap();
        let response = axum::response::IntoResponse::into_response((issued, "ok"));
        let mut cookies = set_cookies(&response);
        assert_eq!(cookies.len(), 2, "{cookies:?}");
        let csrf = cookies.remove(1);
        (cookies.remove(0), csrf)
    }

    async fn request(&self, method: Method, headers: &[(&str, &str)]) -> (StatusCode, String) {
        let mut request = Request::builder().method(method).uri("/orders");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = send(&self.app, request.body(Body::empty()).unwrap()).await;
        let status = response.status();
        assert!(
            status != StatusCode::FORBIDDEN || response.headers().get(WWW_AUTHENTICATE).is_none(),
            "a CSRF refusal asks for no other credentials"
        );
        (status, body_string(response).await)
    }
}

const CSRF_INVALID: &str = r#"{"error":"csrf_token_invalid"}"#;
const CROSS_SITE: &str = r#"{"error":"cross_site_request"}"#;

#[tokio::test]
async fn the_issuer_writes_the_token_http_only_and_its_csrf_value_readable() {
    let app = token_app(CsrfSettings::new());
    let (token, csrf) = app.log_in("alice");
    assert_eq!(token.name, "paseto");
    assert_eq!(token.attributes, ["HttpOnly", "SameSite=Lax", "Path=/"]);
    assert_eq!(csrf.name, "csrf_access_token");
    assert_eq!(csrf.attributes, ["SameSite=Lax", "Path=/"]);
    assert_eq!(csrf.value.len(), 43);
    // The value inside the token is the cookie's: the header with it passes.
    let (status, body) = app
        .request(
            Method::POST,
            &[("cookie", &token.pair()), ("x-csrf-token", &csrf.value)],
        )
        .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "orders of \"alice\"")
    );
}

#[tokio::test]
async fn unsafe_methods_with_a_cookie_token_need_the_csrf_header() {
    let app = token_app(CsrfSettings::new());
    let (token, csrf) = app.log_in("alice");
    let cookie = token.pair();
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let refused = (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned());
        assert_eq!(
            app.request(method.clone(), &[("cookie", &cookie)]).await,
            refused
        );
        assert_eq!(
            app.request(
                method.clone(),
                &[("cookie", &cookie), ("x-csrf-token", "guess")]
            )
            .await,
            refused
        );
        let (status, _) = app
            .request(
                method.clone(),
                &[("cookie", &cookie), ("X-CSRF-Token", &csrf.value)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{method}");
    }
    // Safe methods are not checked.
    assert_eq!(
        app.request(Method::GET, &[("cookie", &cookie)]).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_bearer_token_needs_no_csrf_header() {
    let app = token_app(CsrfSettings::new());
    let (token, _) = app.log_in("alice");
    let bearer = format!("Bearer {}", token.value);
    let (status, _) = app
        .request(Method::POST, &[("authorization", &bearer)])
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn attack_another_users_csrf_value_or_a_token_without_one_is_refused() {
    let app = token_app(CsrfSettings::new());
    let (victim, _) = app.log_in("victim");
    // The attacker knows the CSRF value of their own login, not the victim's.
    let (_, attackers) = app.log_in("attacker");
    assert_eq!(
        app.request(
            Method::POST,
            &[
                ("cookie", &victim.pair()),
                ("x-csrf-token", &attackers.value)
            ]
        )
        .await,
        (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned())
    );
    // A token issued for the header (no csrf claim) is refused from a cookie on unsafe methods.
    let plain = app.issuer.issue(&json!({"user": "victim"})).unwrap();
    assert_eq!(
        app.request(
            Method::POST,
            &[("cookie", &format!("paseto={plain}")), ("x-csrf-token", "")]
        )
        .await,
        (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned())
    );
}

#[tokio::test]
async fn attack_a_cross_site_post_is_refused_even_with_the_value() {
    let app = token_app(CsrfSettings::new());
    let (token, csrf) = app.log_in("alice");
    let cookie = token.pair();
    let sent = [
        ("cookie", cookie.as_str()),
        ("x-csrf-token", csrf.value.as_str()),
    ];
    for marks in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("host", "app.example"), ("origin", "https://evil.example")],
        vec![("host", "app.example"), ("origin", "null")],
    ] {
        let headers: Vec<(&str, &str)> = sent.iter().copied().chain(marks).collect();
        assert_eq!(
            app.request(Method::POST, &headers).await,
            (StatusCode::FORBIDDEN, CROSS_SITE.to_owned())
        );
    }
    let same_origin: Vec<(&str, &str)> = sent
        .iter()
        .copied()
        .chain([("host", "app.example"), ("origin", "http://app.example")])
        .collect();
    assert_eq!(
        app.request(Method::POST, &same_origin).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn settings_choose_the_methods_and_the_header() {
    let settings = CsrfSettings::new()
        .methods([Method::DELETE])
        .header_name("X-XSRF-Token")
        .unwrap();
    let app = token_app(settings);
    let (token, csrf) = app.log_in("alice");
    let cookie = token.pair();
    assert_eq!(
        app.request(Method::POST, &[("cookie", &cookie)]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.request(
            Method::DELETE,
            &[("cookie", &cookie), ("x-csrf-token", &csrf.value)]
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.request(
            Method::DELETE,
            &[("cookie", &cookie), ("x-xsrf-token", &csrf.value)]
        )
        .await
        .0,
        StatusCode::OK
    );
    let off = token_app(CsrfSettings::new().disabled());
    let (token, _) = off.log_in("alice");
    assert_eq!(
        off.request(Method::POST, &[("cookie", &token.pair())])
            .await
            .0,
        StatusCode::OK
    );
}

// ---- forms: CsrfLayer ----

async fn form_page(csrf: CsrfToken) -> Html<String> {
    Html(format!(
        r#"<form method="post">{}<input name="note"></form>"#,
        csrf.form_field()
    ))
}

async fn posted(body: String) -> String {
    body
}

fn form_app(layer: CsrfLayer) -> Router {
    Router::new()
        .route("/form", get(form_page).post(posted))
        .route("/plain", get(|| async { "no form here" }))
        .layer(layer)
}

/// The CSRF cookie and the value of the hidden field of a fresh `GET /form`.
async fn fetch_form(app: &Router) -> (SetCookie, String) {
    let response = send(app, Request::get("/form").body(Body::empty()).unwrap()).await;
    let cookie = support::http::the_set_cookie(&response);
    let page = body_string(response).await;
    let value = page
        .split(r#"name="csrf_token" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    (cookie, value)
}

async fn post_form(app: &Router, headers: &[(&str, &str)], body: String) -> (StatusCode, String) {
    let mut request =
        Request::post("/form").header(CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = send(app, request.body(Body::from(body)).unwrap()).await;
    (response.status(), body_string(response).await)
}

#[tokio::test]
async fn a_form_carries_the_value_of_the_csrf_cookie_and_posts_with_it() {
    let app = form_app(CsrfLayer::new());
    let (cookie, value) = fetch_form(&app).await;
    assert_eq!(cookie.name, "csrf");
    assert_eq!(cookie.attributes, ["HttpOnly", "SameSite=Lax", "Path=/"]);
    assert_eq!(cookie.value, value);

    let body = format!("note=hello&csrf_token={value}");
    // The handler still reads the whole form.
    assert_eq!(
        post_form(&app, &[("cookie", &cookie.pair())], body.clone()).await,
        (StatusCode::OK, body)
    );
    // A script may send the header instead.
    let (status, _) = post_form(
        &app,
        &[("cookie", &cookie.pair()), ("x-csrf-token", &value)],
        "note=hello".into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A page seen again keeps the cookie it has; a response without a form sets none.
    let again = send(&app, support::http::get_with("/form", &[&cookie.pair()])).await;
    assert!(set_cookies(&again).is_empty());
    let plain = send(&app, support::http::get_with("/plain", &[])).await;
    assert!(set_cookies(&plain).is_empty());
}

#[tokio::test]
async fn attack_forged_form_posts_are_refused() {
    let app = form_app(CsrfLayer::new());
    let (cookie, value) = fetch_form(&app).await;
    let (_, other) = fetch_form(&app).await;
    let refused = (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned());
    // No field, another session's value, no cookie at all.
    assert_eq!(
        post_form(&app, &[("cookie", &cookie.pair())], "note=x".into()).await,
        refused
    );
    assert_eq!(
        post_form(
            &app,
            &[("cookie", &cookie.pair())],
            format!("csrf_token={other}")
        )
        .await,
        refused
    );
    assert_eq!(
        post_form(&app, &[], format!("csrf_token={value}")).await,
        refused
    );
    // A planted cookie value of the wrong shape is no value.
    assert_eq!(
        post_form(&app, &[(COOKIE.as_str(), "csrf=x")], "csrf_token=x".into()).await,
        refused
    );
    // Cross-site, with everything right.
    assert_eq!(
        post_form(
            &app,
            &[("cookie", &cookie.pair()), ("sec-fetch-site", "cross-site")],
            format!("csrf_token={value}")
        )
        .await,
        (StatusCode::FORBIDDEN, CROSS_SITE.to_owned())
    );
}

#[tokio::test]
async fn an_oversized_form_is_413_and_a_secure_layer_uses_a_host_cookie() {
    let app = form_app(CsrfLayer::new().max_form_size(64));
    let (cookie, value) = fetch_form(&app).await;
    let body = format!("note={}&csrf_token={value}", "x".repeat(100));
    assert_eq!(
        post_form(&app, &[("cookie", &cookie.pair())], body).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let secure = form_app(CsrfLayer::new().secure(true));
    let (cookie, _) = fetch_form(&secure).await;
    assert_eq!(cookie.name, "__Host-csrf");
    assert_eq!(
        cookie.attributes,
        ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"]
    );
}

#[tokio::test]
async fn csrf_token_without_the_layer_is_a_500() {
    let app = Router::new().route("/form", get(form_page));
    let response = send(&app, Request::get("/form").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}
