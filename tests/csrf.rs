//! CSRF protection over HTTP: a token in a cookie must come with its `csrf` value in the header
//! on unsafe methods (double submit, as Flask-JWT-Extended), a bearer token needs nothing, and
//! `CsrfLayer` guards form posts with a value of its own cookie. Each attack is shown failing,
//! the issue's (a sibling subdomain planting the form's CSRF cookie) against the login_manager
//! example on a real local server.

#[path = "../examples/login_manager.rs"]
mod login_example;
mod support;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE, WWW_AUTHENTICATE};
use axum::http::{Method, StatusCode};
use axum::response::Html;
use axum::routing::get;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use paseto_auth::csrf::{CsrfLayer, CsrfSettings, CsrfToken, TokenCookie};
use paseto_auth::extract::{PasetoAuth, TokenSource};
use paseto_auth::login::{CookieSettings, LoginKeys};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::{Issuer, Paseto, TokenOptions, Version, paseto_required};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use login_example::Users;

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
        // A sibling subdomain is the same site, not the same origin.
        vec![
            ("sec-fetch-site", "same-site"),
            ("host", "app.example.com"),
            ("origin", "https://evil.example.com"),
        ],
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
    let same_site_from_itself: Vec<(&str, &str)> = sent
        .iter()
        .copied()
        .chain([
            ("sec-fetch-site", "same-site"),
            ("host", "app.example"),
            ("origin", "http://app.example"),
        ])
        .collect();
    assert_eq!(
        app.request(Method::POST, &same_site_from_itself).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn attack_a_trusted_origin_is_matched_whole_never_by_its_prefix() {
    // `https://admin.example` is trusted; `https://admin.example.evil.com` starts with it and is
    // someone else's.
    let settings = CsrfSettings::new()
        .trusted_origin("https://admin.example")
        .unwrap();
    let app = token_app(settings);
    let (token, csrf) = app.log_in("alice");
    let cookie = token.pair();
    let from = |origin: &'static str| {
        vec![
            ("cookie", cookie.clone()),
            ("x-csrf-token", csrf.value.clone()),
            ("sec-fetch-site", "cross-site".to_owned()),
            ("host", "app.example".to_owned()),
            ("origin", origin.to_owned()),
        ]
    };
    for (origin, expected) in [
        ("https://admin.example", StatusCode::OK),
        ("https://ADMIN.example", StatusCode::OK),
        ("https://admin.example.evil.com", StatusCode::FORBIDDEN),
        ("https://admin.example:8443", StatusCode::FORBIDDEN),
        ("https://admin.exampl", StatusCode::FORBIDDEN),
    ] {
        let headers = from(origin);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        assert_eq!(
            app.request(Method::POST, &headers).await.0,
            expected,
            "{origin}"
        );
    }
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
    assert_eq!(cookie.name, "__Host-csrf");
    assert_eq!(
        cookie.attributes,
        ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"]
    );
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
    let app = form_app(CsrfLayer::new().secure(false));
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
    // Cross-site, or from a sibling subdomain, with everything right.
    for marks in [
        vec![("sec-fetch-site", "cross-site")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("host", "app.example.com"),
            ("origin", "https://evil.example.com"),
        ],
    ] {
        let cookie = cookie.pair();
        let headers: Vec<(&str, &str)> = [("cookie", cookie.as_str())]
            .into_iter()
            .chain(marks)
            .collect();
        assert_eq!(
            post_form(&app, &headers, format!("csrf_token={value}")).await,
            (StatusCode::FORBIDDEN, CROSS_SITE.to_owned())
        );
    }
}

/// A browser sends two cookies of one name when another site planted one (with its own `Domain`
/// or a longer `Path`): which is ours cannot be told, so an unsafe request with two is refused,
/// whichever value it sends; a page asked for then gets a value of neither.
#[tokio::test]
async fn attack_two_csrf_cookies_are_refused_never_picked() {
    let app = form_app(CsrfLayer::new().secure(false));
    let (cookie, value) = fetch_form(&app).await;
    let planted = "A".repeat(43);
    let refused = (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned());
    for (cookies, sent) in [
        (format!("csrf={planted}; {}", cookie.pair()), &planted),
        (format!("csrf={planted}; {}", cookie.pair()), &value),
        (format!("{}; csrf={planted}", cookie.pair()), &value),
        (format!("{}; {}", cookie.pair(), cookie.pair()), &value),
    ] {
        assert_eq!(
            post_form(&app, &[("cookie", &cookies)], format!("csrf_token={sent}")).await,
            refused,
            "{cookies}"
        );
    }
    let two = format!("csrf={planted}; {}", cookie.pair());
    let page = send(&app, support::http::get_with("/form", &[&two])).await;
    let fresh = support::http::the_set_cookie(&page);
    assert_eq!(fresh.name, "csrf");
    assert!(fresh.value != planted && fresh.value != value);
}

/// `CsrfToken::rotate` replaces the value: the response sets the new one (even from a handler
/// that renders no form), the token gives it to forms rendered after, and the old value no
/// longer passes once the browser holds the new cookie.
#[tokio::test]
async fn a_rotated_value_is_sent_in_a_new_cookie_and_the_old_one_stops_passing() {
    async fn rotate(csrf: CsrfToken) -> String {
        let before = csrf.value().to_owned();
        csrf.rotate();
        let after = csrf.value().to_owned();
        csrf.rotate(); // once per request is enough: nothing changes
        assert_eq!(csrf.value(), after);
        assert!(csrf.form_field().contains(&after));
        assert_ne!(before, after);
        after
    }
    let app = form_app(CsrfLayer::new().secure(false)).merge(
        Router::new()
            .route("/login", axum::routing::post(rotate))
            .layer(CsrfLayer::new().secure(false)),
    );
    let (cookie, old) = fetch_form(&app).await;
    let request = Request::post("/login")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(COOKIE, cookie.pair())
        .body(Body::from(format!("csrf_token={old}")))
        .unwrap();
    let response = send(&app, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let rotated = support::http::the_set_cookie(&response);
    assert_eq!(rotated.name, "csrf");
    assert_eq!(rotated.attributes, ["HttpOnly", "SameSite=Lax", "Path=/"]);
    assert_eq!(body_string(response).await, rotated.value);
    assert_ne!(rotated.value, old);
    assert_eq!(
        post_form(
            &app,
            &[("cookie", &rotated.pair())],
            format!("csrf_token={old}")
        )
        .await,
        (StatusCode::FORBIDDEN, CSRF_INVALID.to_owned())
    );
    assert_eq!(
        post_form(
            &app,
            &[("cookie", &rotated.pair())],
            format!("csrf_token={}", rotated.value)
        )
        .await
        .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_oversized_form_is_413() {
    let app = form_app(CsrfLayer::new().max_form_size(64));
    let (cookie, value) = fetch_form(&app).await;
    let body = format!("note={}&csrf_token={value}", "x".repeat(100));
    assert_eq!(
        post_form(&app, &[("cookie", &cookie.pair())], body).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// Over plain http (`secure(false)`) the cookie is `csrf`, which a sibling subdomain can plant:
/// the layer says so at start-up (when it wraps the routes), naming the setting to turn on.
#[tokio::test]
async fn a_plain_http_layer_uses_csrf_and_warns_at_start_up() {
    let logs = support::logs::capture();
    let _secure = form_app(CsrfLayer::new());
    assert!(logs.text().is_empty(), "{}", logs.text());
    let app = form_app(CsrfLayer::new().secure(false));
    let warnings: Vec<String> = logs
        .lines()
        .into_iter()
        .filter(|line| line.contains("WARN"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning for the layer: {warnings:?}");
    for named in [
        "CsrfLayer::secure(true)",
        "PASETO_CSRF_FORM_COOKIE_SECURE=true",
        "cookie=\"csrf\"",
    ] {
        assert!(warnings[0].contains(named), "{named}: {}", warnings[0]);
    }
    let (cookie, _) = fetch_form(&app).await;
    assert_eq!(cookie.name, "csrf");
    assert_eq!(cookie.attributes, ["HttpOnly", "SameSite=Lax", "Path=/"]);
}

#[tokio::test]
async fn csrf_token_without_the_layer_is_a_500() {
    let app = Router::new().route("/form", get(form_page));
    let response = send(&app, Request::get("/form").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

// ---- a sibling subdomain's attack on the login_manager example, over a real connection ----

/// What a browser sends and keeps for one site: its cookies for the app's host (as `Set-Cookie`
/// left them), over a real HTTP connection to the example served on a local port.
struct Browser {
    server: String,
    client: Client<HttpConnector, Full<Bytes>>,
    cookies: Vec<(String, String)>,
}

/// What the app answered.
struct Answer {
    status: StatusCode,
    cookies: Vec<SetCookie>,
    body: String,
}

impl Browser {
    fn new(server: &str) -> Browser {
        Browser {
            server: server.to_owned(),
            client: Client::builder(TokioExecutor::new()).build_http(),
            cookies: Vec::new(),
        }
    }

    /// The `Cookie` header the browser sends the app: `planted` first (a cookie of a narrower
    /// path comes first), then its own.
    fn cookie_header(&self, planted: &[&str]) -> String {
        planted
            .iter()
            .map(|pair| (*pair).to_owned())
            .chain(
                self.cookies
                    .iter()
                    .map(|(name, value)| format!("{name}={value}")),
            )
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sends `method path` to `app.example.com` with these headers (a form body when given),
    /// and keeps the cookies the answer sets.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        planted: &[&str],
        form: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.server))
            .header("host", "app.example.com");
        let cookie = self.cookie_header(planted);
        if !cookie.is_empty() {
            request = request.header(COOKIE, cookie);
        }
        if form.is_some() {
            request = request.header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = Full::new(Bytes::from(form.unwrap_or_default().to_owned()));
        let response = self
            .client
            .request(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let cookies: Vec<SetCookie> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|value| SetCookie::parse(value.to_str().unwrap()))
            .collect();
        for set in &cookies {
            self.cookies.retain(|(name, _)| *name != set.name);
            if !set.value.is_empty() {
                self.cookies.push((set.name.clone(), set.value.clone()));
            }
        }
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            cookies,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }

    /// A page of the app, opened by the user.
    async fn open(&mut self, path: &str) -> Answer {
        let headers = [("sec-fetch-site", "none"), ("sec-fetch-mode", "navigate")];
        self.send(Method::GET, path, &headers, &[], None).await
    }

    /// A form of the app's own page, posted with the page's CSRF value.
    async fn post_own_form(&mut self, path: &str, form: &str) -> Answer {
        let csrf = self.cookie("csrf").expect("a CSRF cookie").to_owned();
        let headers = [
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://app.example.com"),
        ];
        let form = format!("{form}&csrf_token={csrf}");
        self.send(Method::POST, path, &headers, &[], Some(&form))
            .await
    }
}

/// Serves the login_manager example on a free local port; returns `http://127.0.0.1:PORT`.
async fn serve_login_example() -> String {
    let app = login_example::app(
        Users::demo(),
        LoginKeys::generate(Version::V4).unwrap(),
        CookieSettings::remember(),
        Revocations::new(MemoryStore::new()),
    )
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The issue's attack: a page on `evil.example.com` (a sibling of `app.example.com`, so the same
/// site) plants `csrf=AAAA…` for `Domain=example.com; Path=/protected` and posts a new password
/// with the same value. The victim's browser sends both `csrf` cookies (the planted one first,
/// its path being longer), `Sec-Fetch-Site: same-site` and the sibling's `Origin`. The example
/// is served over plain http, so its cookie is the plantable `csrf` (over HTTPS it is
/// `__Host-csrf`, which no sibling can set): the checks must stop the attack without that.
#[tokio::test]
async fn attack_a_sibling_subdomain_s_planted_csrf_cookie_changes_no_password() {
    let server = serve_login_example().await;
    let mut victim = Browser::new(&server);
    assert_eq!(victim.open("/login").await.status, StatusCode::OK);
    let login = victim
        .post_own_form("/login", "email=foo%40example.com&password=mysecret")
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    let page = victim.open("/protected/fresh").await.body;
    assert!(page.contains("Fresh login as: foo@example.com"), "{page}");

    let planted_value = "A".repeat(43);
    let planted = format!("csrf={planted_value}");
    let form = format!("password=pwned&csrf_token={planted_value}");
    let from_the_sibling = [
        ("sec-fetch-site", "same-site"),
        ("sec-fetch-mode", "navigate"),
        ("origin", "https://evil.example.com"),
    ];
    let answer = victim
        .send(
            Method::POST,
            "/protected/fresh",
            &from_the_sibling,
            &[&planted],
            Some(&form),
        )
        .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::FORBIDDEN, CROSS_SITE)
    );
    assert!(answer.cookies.is_empty(), "{:?}", answer.cookies);
    // A browser without Fetch Metadata or Origin: the two `csrf` cookies are refused, neither is
    // picked.
    let answer = victim
        .send(
            Method::POST,
            "/protected/fresh",
            &[],
            &[&planted],
            Some(&form),
        )
        .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::FORBIDDEN, CSRF_INVALID)
    );

    // The password is unchanged: the attacker's does not log in, the victim's does.
    let mut attacker = Browser::new(&server);
    attacker.open("/login").await;
    let answer = attacker
        .post_own_form("/login", "email=foo%40example.com&password=pwned")
        .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::UNAUTHORIZED, "Bad login")
    );
    assert_eq!(attacker.cookie("login_session"), None);
    assert_eq!(
        victim.open("/protected").await.status,
        StatusCode::OK,
        "the victim is still logged in"
    );
    let mut again = Browser::new(&server);
    again.open("/login").await;
    let answer = again
        .post_own_form("/login", "email=foo%40example.com&password=mysecret")
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}
