//! The full_service example: every route with the `testing` helpers (`TestAuth`'s issuer and
//! tokens for the API, `LoginManagerLayer::login_cookie` for the pages), its OpenAPI document, one
//! `Revocations` serving the guards, the refresh endpoint and the login manager, and the
//! walk-through at the top of its file: each of its curl lines, read from the file, is a step whose
//! method, path and status the app's answers must match, in order (with the memory store, and with
//! Redis when `PASETO_TEST_REDIS_URL` names one).

#[path = "../examples/full_service.rs"]
mod example;
mod support;

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::{Method, Request, StatusCode};
use axum::response::Response;
use paseto_auth::Version;
use paseto_auth::login::{CookieSettings, LoginKeys, LoginManagerLayer, REMEMBER_COOKIE};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::testing::TestAuth;
use paseto_auth::{PairOptions, TokenPair};
use serde_json::{Value, json};

use example::{USERS, User};
use support::http::{body_string, send, set_cookies};

/// The app with `TestAuth`'s keys (its error bodies plain, as in production), and its login
/// layer, for `login_cookie`.
struct Service {
    app: Router,
    test: TestAuth,
    login: LoginManagerLayer<User>,
}

fn service() -> Service {
    service_with(Revocations::new(MemoryStore::new()))
}

/// The app with `revocations` shared by its guards, refresh endpoint and login manager.
fn service_with(revocations: Revocations) -> Service {
    let test = TestAuth::new();
    let keys = LoginKeys::generate(Version::V4).unwrap();
    let remember = CookieSettings::new(REMEMBER_COOKIE.secure(false));
    let login = example::login_layer(keys, remember, revocations.clone()).unwrap();
    let auth = test.auth().detailed_errors(false);
    let app = example::app(test.issuer().clone(), auth, revocations, login.clone()).unwrap();
    Service { app, test, login }
}

/// What an answer said: status, `Location`, body.
async fn answer(app: &Router, request: Request<Body>) -> (StatusCode, Option<String>, String) {
    let response = send(app, request).await;
    let location = response
        .headers()
        .get(LOCATION)
        .map(|value| value.to_str().unwrap().to_owned());
    (response.status(), location, body_string(response).await)
}

fn json_post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn bearer(method: Method, path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// A form post from a browser holding `cookie` (a `Cookie` header's value).
fn form_post(path: &str, cookie: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(COOKIE, cookie)
        .body(Body::from(form.to_owned()))
        .unwrap()
}

/// The form CSRF value a browser holds in the `csrf` cookie and posts back.
const CSRF: &str = "test-csrf-value-0123456789abcdefghijklmnopq";

/// A token's claims as `/auth/login` issues them to `user`.
fn claims_of(user: &User) -> Value {
    json!({ "email": user.email, "role": user.role, "sub": user.id.to_string(), "aud": "api" })
}

/// `POST /auth/login` as `email` with `password`: the status and the body.
async fn api_login(app: &Router, email: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({ "email": email, "password": password });
    let (status, _, body) = answer(app, json_post("/auth/login", &body)).await;
    (status, serde_json::from_str(&body).unwrap())
}

#[tokio::test]
async fn the_api_login_answers_a_pair_for_the_api_or_invalid_grant() {
    let Service { app, test, .. } = service();
    let (status, body) = api_login(&app, "admin@example.com", "user-password").await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({ "error": "invalid_grant" }))
    );
    let (status, pair) = api_login(&app, "admin@example.com", "admin-password").await;
    assert_eq!(status, StatusCode::OK, "{pair}");
    let pair: TokenPair = serde_json::from_value(pair).unwrap();
    assert_eq!((pair.token_type.as_str(), pair.expires_in), ("Bearer", 900));
    // The access token: the account's claims, its id as `sub`, for the audience `api`.
    let verified = test
        .auth()
        .verifier()
        .verify::<Value>(&pair.access_token)
        .unwrap();
    assert_eq!(verified.claims["email"], "admin@example.com");
    assert_eq!(verified.claims["role"], "admin");
    assert_eq!(verified.registered.sub.as_deref(), Some("2"));
    assert_eq!(verified.registered.aud, ["api"]);
}

#[tokio::test]
async fn api_me_and_admin_are_behind_the_layer_and_admin_behind_its_handler_too() {
    let Service { app, test, .. } = service();
    let [user, admin] = USERS;
    let (status, _, body) = answer(&app, test.get("/api/me", &claims_of(&user))).await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&body).unwrap()),
        (
            StatusCode::OK,
            json!({ "email": "user@example.com", "role": "user" })
        )
    );
    let (status, _, body) = answer(&app, test.get("/api/admin", &claims_of(&admin))).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "Hello, administrator admin@example.com")
    );
    // The handler's check: the role.
    let (status, _, body) = answer(&app, test.get("/api/admin", &claims_of(&user))).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::FORBIDDEN, r#"{"error":"insufficient_scope"}"#)
    );
    // The layer's check, on both: the audience.
    let no_audience = json!({ "email": admin.email, "role": "admin" });
    for path in ["/api/me", "/api/admin"] {
        let (status, _, _) = answer(&app, test.get(path, &no_audience)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let request = Request::get(path).body(Body::empty()).unwrap();
        let (status, _, body) = answer(&app, request).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::UNAUTHORIZED, r#"{"error":"unauthorized"}"#),
            "{path}"
        );
    }
}

#[tokio::test]
async fn refresh_and_logout_share_the_guards_revocations() {
    let Service { app, test, .. } = service();
    let pair = test
        .issuer()
        .issue_pair(
            &json!({ "email": "user@example.com", "role": "user" }),
            PairOptions::new().subject("1").audience("api"),
        )
        .unwrap();
    let refresh = |token: &str| json_post("/auth/refresh", &json!({ "refresh_token": token }));
    let (status, _, body) = answer(&app, refresh(&pair.refresh_token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let renewed: TokenPair = serde_json::from_str(&body).unwrap();
    // A token without a login family cannot be logged out: the route says which claim it needs.
    let lone = test.token(&claims_of(&USERS[0]));
    let (status, _, _) = answer(&app, bearer(Method::POST, "/auth/logout", &lone)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let logout = bearer(Method::POST, "/auth/logout", &renewed.access_token);
    assert_eq!(answer(&app, logout).await.0, StatusCode::NO_CONTENT);
    // The whole login ends: both access tokens at the guards, the refresh token at the endpoint.
    for token in [&pair.access_token, &renewed.access_token] {
        let (status, _, body) = answer(&app, bearer(Method::GET, "/api/me", token)).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::UNAUTHORIZED, r#"{"error":"invalid_token"}"#)
        );
    }
    let (status, _, body) = answer(&app, refresh(&renewed.refresh_token)).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::BAD_REQUEST, r#"{"error":"invalid_grant"}"#)
    );
}

#[tokio::test]
async fn the_login_page_logs_in_with_remember_me_and_csrf() {
    let Service { app, .. } = service();
    let (status, _, body) = answer(
        &app,
        Request::get("/login?next=/notes")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(r#"<input type="hidden" name="next" value="/notes">"#),
        "{body}"
    );
    assert!(body.contains(r#"name="csrf_token""#), "{body}");

    let browser = format!("csrf={CSRF}");
    let form = |password: &str, csrf: &str| {
        format!("email=user%40example.com&password={password}&remember=on&csrf_token={csrf}")
    };
    let forged = answer(
        &app,
        form_post("/login", &browser, &form("user-password", "x")),
    )
    .await;
    assert_eq!(forged.0, StatusCode::FORBIDDEN);
    let wrong = answer(&app, form_post("/login", &browser, &form("nope", CSRF))).await;
    assert_eq!(
        (wrong.0, wrong.2.as_str()),
        (StatusCode::UNAUTHORIZED, "Wrong email or password")
    );
    let response = send(
        &app,
        form_post("/login", &browser, &form("user-password", CSRF)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/notes");
    let set: Vec<String> = set_cookies(&response).into_iter().map(|c| c.name).collect();
    for name in ["login_session", "remember_token", "csrf"] {
        assert!(set.iter().any(|set| set == name), "{name} not in {set:?}");
    }
}

#[tokio::test]
async fn notes_need_a_login_and_a_csrf_value_and_logout_revokes_the_cookie() {
    let Service { app, login, .. } = service();
    let user = &USERS[0];
    let browser = format!("{}; csrf={CSRF}", login.login_cookie(user).unwrap());
    let notes = |cookie: &str| {
        Request::get("/notes")
            .header(COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, body) = answer(&app, notes(&browser)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(r#"<p id="who">user@example.com (user)</p>"#),
        "{body}"
    );

    let added = answer(
        &app,
        form_post(
            "/notes",
            &browser,
            &format!("text=%3Cb%3Ehi&csrf_token={CSRF}"),
        ),
    )
    .await;
    assert_eq!(
        (added.0, added.1.as_deref()),
        (StatusCode::SEE_OTHER, Some("/notes"))
    );
    let forged = answer(&app, form_post("/notes", &browser, "text=forged")).await;
    assert_eq!(forged.0, StatusCode::FORBIDDEN);
    let (_, _, body) = answer(&app, notes(&browser)).await;
    assert!(body.contains("<li>&lt;b&gt;hi</li>"), "{body}");
    assert!(!body.contains("forged"), "{body}");
    // Each user sees their own notes.
    let other = format!("{}; csrf={CSRF}", login.login_cookie(&USERS[1]).unwrap());
    let (_, _, body) = answer(&app, notes(&other)).await;
    assert!(!body.contains("<li>"), "{body}");

    // Nobody logged in: 401 for an API client, the login page for a browser.
    let (status, _, _) = answer(&app, notes("")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut from_a_browser = notes("");
    from_a_browser
        .headers_mut()
        .insert(ACCEPT, "text/html".parse().unwrap());
    let (status, location, _) = answer(&app, from_a_browser).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/login?next=%2Fnotes"));

    let out = answer(
        &app,
        form_post("/logout", &browser, &format!("csrf_token={CSRF}")),
    )
    .await;
    assert_eq!(
        (out.0, out.1.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
    // The logout revoked the cookie's login in the shared store: a copy of it is refused.
    let (status, _, _) = answer(&app, notes(&browser)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_has_every_auth_and_api_route_with_its_security() {
    let Service { app, .. } = service();
    let request = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let (status, _, body) = answer(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["info"]["title"], "full_service");
    assert_eq!(doc["info"]["version"], "1.0.0");
    let mut operations = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations.insert(format!("{method} {path}"), operation["security"].clone());
        }
    }
    let token = json!([{ "paseto": [] }]);
    assert_eq!(
        operations,
        BTreeMap::from([
            ("get /api/admin".to_owned(), token.clone()),
            ("get /api/me".to_owned(), token.clone()),
            ("post /auth/login".to_owned(), Value::Null),
            ("post /auth/logout".to_owned(), token),
            ("post /auth/refresh".to_owned(), json!([])),
        ])
    );
    let schemas: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        schemas,
        [
            "ApiClaims",
            "Credentials",
            "OAuthError",
            "PasetoError",
            "RefreshRequest",
            "TokenPair"
        ]
    );
    let pair = json!({ "$ref": "#/components/schemas/TokenPair" });
    for path in ["/auth/login", "/auth/refresh"] {
        let ok = &doc["paths"][path]["post"]["responses"]["200"];
        assert_eq!(ok["content"]["application/json"]["schema"], pair, "{path}");
    }
    // The admin route: the layer's audience and the handler's role, in one requirement.
    let admin = &doc["paths"]["/api/admin"]["get"];
    assert_eq!(
        admin["summary"],
        "For administrators: the `/api` layer's check, then this handler's (both apply)."
    );
    assert_eq!(
        admin["description"],
        "PASETO token required.\n- audience: `api`\n\n\
         PASETO token required.\n- claim `role`: `\"admin\"`"
    );
}

#[test]
fn the_service_stays_one_file_to_read_under_400_lines() {
    let lines = include_str!("../examples/full_service.rs").lines().count();
    assert!(lines < 400, "examples/full_service.rs has {lines} lines");
}

/// One request of the walk-through: `METHOD /path`, and the status it is answered with.
type Step = (String, u16);

/// The curl commands of the walk-through at the top of the example, each as a [`Step`]: the path
/// from its URL, `POST` when it sends data (`-d`, `-X POST`), and the status its comment gives.
fn walk_through_steps() -> Vec<Step> {
    let source = include_str!("../examples/full_service.rs");
    let block = source
        .split("//! ```text\n")
        .nth(1)
        .and_then(|rest| rest.split("//! ```\n").next())
        .expect("the walk-through block");
    // Whole commands: a line ending with `\` goes on in the next.
    let mut commands = vec![String::new()];
    for line in block.lines() {
        let line = line.trim_start_matches("//!").trim();
        let command = commands.last_mut().unwrap();
        match line.strip_suffix('\\') {
            Some(part) => command.push_str(part),
            None => {
                command.push_str(line);
                commands.push(String::new());
            }
        }
    }
    let origin = "http://127.0.0.1:3000";
    commands
        .iter()
        .filter(|command| command.contains("curl "))
        .map(|command| {
            let at = command.find(origin).expect("a URL") + origin.len();
            let path: String = command[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ')')
                .collect();
            let post = command.contains(" -d ") || command.contains("-X POST");
            let method = if post { "POST" } else { "GET" };
            let comment = command.rsplit_once("  # ").expect("a status comment").1;
            let status = comment[..3].parse().expect("a status first in the comment");
            (format!("{method} {path}"), status)
        })
        .collect()
}

/// A curl with a cookie jar (`-b jar -c jar`), recording each step.
struct Curl {
    app: Router,
    jar: BTreeMap<String, String>,
    steps: Vec<Step>,
}

impl Curl {
    /// Sends `request`, with the jar's cookies when `cookies` (`-b jar`), keeping what it sets
    /// when `keep` (`-c jar`).
    async fn send(&mut self, mut request: Request<Body>, cookies: bool, keep: bool) -> Response {
        let step = format!("{} {}", request.method(), request.uri());
        if cookies && !self.jar.is_empty() {
            let header: Vec<String> = self.jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
            request
                .headers_mut()
                .insert(COOKIE, header.join("; ").parse().unwrap());
        }
        let response = send(&self.app, request).await;
        if keep {
            for cookie in set_cookies(&response) {
                if cookie.value.is_empty() {
                    self.jar.remove(&cookie.name);
                } else {
                    self.jar.insert(cookie.name, cookie.value);
                }
            }
        }
        self.steps.push((step, response.status().as_u16()));
        response
    }

    async fn json(&mut self, request: Request<Body>) -> Value {
        serde_json::from_str(&body_string(self.send(request, false, false).await).await).unwrap()
    }

    fn csrf(&self) -> String {
        self.jar["csrf"].clone()
    }
}

#[tokio::test]
async fn the_walk_through_at_the_top_of_the_example_does_what_it_says() {
    walk_through(service().app).await;
}

#[tokio::test]
async fn the_walk_through_with_revocations_in_redis() {
    let Some(store) = support::redis::shared_store().await else {
        return;
    };
    walk_through(service_with(Revocations::new(store)).app).await;
}

/// Runs the walk-through's commands against `app`, and compares the steps with the file's.
async fn walk_through(app: Router) {
    let mut curl = Curl {
        app,
        jar: BTreeMap::new(),
        steps: Vec::new(),
    };
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let login = |email: &str, password: &str| {
        json_post(
            "/auth/login",
            &json!({ "email": email, "password": password }),
        )
    };

    let doc = curl.json(get("/openapi.json")).await;
    assert!(
        doc["paths"]
            .as_object()
            .unwrap()
            .contains_key("/auth/refresh")
    );
    let pair = curl
        .json(login("admin@example.com", "admin-password"))
        .await;
    let (token, refresh) = (
        pair["access_token"].as_str().unwrap(),
        pair["refresh_token"].as_str().unwrap(),
    );
    curl.send(bearer(Method::GET, "/api/me", token), false, false)
        .await;
    curl.send(bearer(Method::GET, "/api/admin", token), false, false)
        .await;
    let renewed = curl
        .json(json_post(
            "/auth/refresh",
            &json!({ "refresh_token": refresh }),
        ))
        .await;
    assert!(renewed["access_token"].is_string(), "{renewed}");
    curl.send(bearer(Method::POST, "/auth/logout", token), false, false)
        .await;
    curl.send(bearer(Method::GET, "/api/me", token), false, false)
        .await;
    let user = curl.json(login("user@example.com", "user-password")).await;
    let user = user["access_token"].as_str().unwrap();
    curl.send(bearer(Method::GET, "/api/admin", user), false, false)
        .await;

    curl.send(get("/login"), false, true).await;
    let form = format!(
        "email=user%40example.com&password=user-password&remember=on&csrf_token={}",
        curl.csrf()
    );
    let logged_in = curl.send(form_post("/login", "", &form), true, true).await;
    assert_eq!(logged_in.headers()[LOCATION], "/notes");
    let add = format!("text=Buy+milk&csrf_token={}", curl.csrf());
    curl.send(form_post("/notes", "", &add), true, true).await;
    let page = curl.send(get("/notes"), true, false).await;
    assert!(body_string(page).await.contains("<li>Buy milk</li>"));
    curl.send(form_post("/notes", "", "text=Forged"), true, false)
        .await;
    let out = format!("csrf_token={}", curl.csrf());
    let logout = curl.send(form_post("/logout", "", &out), true, true).await;
    assert_eq!(logout.headers()[LOCATION], "/login");
    curl.send(get("/notes"), true, false).await;

    assert_eq!(curl.steps, walk_through_steps());
}
