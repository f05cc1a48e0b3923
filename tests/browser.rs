//! The login manager and session examples in a real headless Chromium (WebDriver through
//! chromedriver; see `support::browser` for how it is found and when the tests skip): log in
//! with remember-me, the cookies' attributes as the browser keeps them, a browser restart that
//! drops the session cookie and restores the login, the fresh-login redirect with `next`,
//! logout by POST with its CSRF value, a cross-site form post refused, and a tampered cookie
//! giving the anonymous page.

// Both examples include their shared `serve` module; neither is used here.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/login_manager.rs"]
mod login_example;
#[path = "../examples/cookie_session.rs"]
mod session_example;
mod support;

use axum::response::Html;
use axum::routing::get;
use cookie::{Cookie, SameSite};
use fantoccini::{Client, Locator};
use paseto_auth::Version;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::login::{CookieSettings, LoginKeys, REMEMBER_COOKIE};
use paseto_auth::store::{MemoryStore, Revocations};

use support::browser::{Driver, serve};

/// The text of the element `css`, once the page has one.
async fn text_of(browser: &Client, css: &str) -> String {
    let element = browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("no {css} on the page: {err}"));
    element.text().await.unwrap()
}

/// The page's path and query, after any redirects.
async fn location(browser: &Client) -> String {
    let url = browser.current_url().await.unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Waits (up to five seconds) until the page holds `text`: a page's body may be drawn after
/// WebDriver says it loaded.
async fn wait_for_text(browser: &Client, text: &str) {
    let mut page = String::new();
    for _ in 0..50 {
        page = browser.source().await.unwrap();
        if page.contains(text) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never said {text:?}: {page}");
}

/// Waits (up to five seconds) until the browser is on `path`: a form posted by a script.
async fn wait_for_path(browser: &Client, path: &str) {
    for _ in 0..50 {
        if browser.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the browser never reached {path}");
}

async fn cookie(browser: &Client, name: &str) -> Option<Cookie<'static>> {
    let cookies = browser.get_all_cookies().await.unwrap();
    cookies.into_iter().find(|c| c.name() == name)
}

/// Fills the login form on the current page and submits it.
async fn log_in(browser: &Client, remember: bool) {
    let field = |css: &'static str| browser.find(Locator::Css(css));
    field("input[name=email]")
        .await
        .unwrap()
        .send_keys("foo@example.com")
        .await
        .unwrap();
    field("input[name=password]")
        .await
        .unwrap()
        .send_keys("mysecret")
        .await
        .unwrap();
    if remember {
        field("input[name=remember]")
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    field("input[type=submit]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks the page's logout button (a form posting with the page's CSRF value) and checks the
/// answer.
async fn log_out(browser: &Client) {
    let button = browser.find(Locator::Css("#logout")).await.unwrap();
    button.click().await.unwrap();
    wait_for_path(browser, "/logout").await;
    wait_for_text(browser, "Logged out").await;
}

/// Replaces the value of cookie `name` with one whose middle character is changed: the
/// browser visits [`tampering`]'s route, whose response overwrites the (HttpOnly) cookie, as a
/// script could not and WebDriver will not for an IP host.
async fn tamper(browser: &Client, origin: &str, name: &str) {
    assert!(
        cookie(browser, name).await.is_some(),
        "no {name} to tamper with"
    );
    browser
        .goto(&format!("{origin}/test-only/tamper/{name}"))
        .await
        .unwrap();
    wait_for_text(browser, "tampered").await;
}

/// `app` with the route [`tamper`] uses: it answers with the request's cookie `name`, one
/// character changed.
fn tampering(app: axum::Router) -> axum::Router {
    async fn tampered(
        axum::extract::Path(name): axum::extract::Path<String>,
        headers: axum::http::HeaderMap,
    ) -> impl axum::response::IntoResponse {
        let cookies = headers
            .get(axum::http::header::COOKIE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let value = cookies
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_default();
        let mut chars: Vec<char> = value.chars().collect();
        let middle = chars.len() / 2;
        chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
        let value: String = chars.into_iter().collect();
        let set_cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        ([(axum::http::header::SET_COOKIE, set_cookie)], "tampered")
    }
    app.route("/test-only/tamper/{name}", get(tampered))
}

#[tokio::test]
async fn the_login_manager_in_a_browser() {
    let Some(driver) = Driver::start("login_manager") else {
        return;
    };
    let app = login_example::app(
        login_example::Users::demo(),
        LoginKeys::generate(Version::V4).unwrap(),
        CookieSettings::new(REMEMBER_COOKIE.secure(false)),
        Revocations::new(MemoryStore::new()),
    )
    .unwrap();
    let origin = serve(tampering(app), "127.0.0.1").await;
    let browser = driver.browser().await;

    // Anonymous: a browser is sent to the login page, with where it was going.
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    assert_eq!(location(&browser).await, "/login?next=%2Fprotected");
    log_in(&browser, true).await;
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );
    assert_eq!(location(&browser).await, "/protected");

    // The cookies as the browser keeps them.
    let session = cookie(&browser, "login_session")
        .await
        .expect("login_session");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(session.same_site(), Some(SameSite::Lax));
    assert_eq!(session.expires(), None, "a browser-session cookie");
    assert!(session.value().starts_with("v4.local."));
    let remember = cookie(&browser, "remember_token")
        .await
        .expect("remember_token");
    assert_eq!(remember.http_only(), Some(true));
    let expires = remember.expires_datetime().expect("a persistent cookie");
    let days = (expires - time::OffsetDateTime::now_utc()).whole_days();
    assert!(
        (364..=365).contains(&days),
        "remember-me for a year, not {days} days"
    );
    let csrf = cookie(&browser, "csrf").await.expect("the CSRF cookie");
    assert_eq!(csrf.http_only(), Some(true));

    // A browser restart drops the session cookie; the remember-me cookie restores the login,
    // not freshly: the fresh page sends the browser to log in again, and back.
    browser.close().await.unwrap();
    let browser = driver.browser().await;
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );
    browser
        .goto(&format!("{origin}/protected/fresh"))
        .await
        .unwrap();
    assert_eq!(location(&browser).await, "/login?next=%2Fprotected%2Ffresh");
    log_in(&browser, false).await;
    assert_eq!(
        text_of(&browser, "#who").await,
        "Fresh login as: foo@example.com"
    );

    // A form on another site (localhost is another site than 127.0.0.1) posting to our logout
    // is refused, and logs nobody out.
    let page = format!(
        r#"<form id="f" method="post" action="{origin}/logout"><input name="csrf_token" value="guess"></form>
<script>document.getElementById("f").submit()</script>"#
    );
    let attacker = axum::Router::new().route("/", get(move || async move { Html(page) }));
    let attacker = serve(attacker, "localhost").await;
    browser.goto(&format!("{attacker}/")).await.unwrap();
    wait_for_path(&browser, "/logout").await;
    wait_for_text(&browser, "cross_site_request").await;
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );

    // Logout is the page's button: a POST with the page's CSRF value.
    log_out(&browser).await;
    assert!(cookie(&browser, "login_session").await.is_none());
    assert!(cookie(&browser, "remember_token").await.is_none());
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    assert_eq!(location(&browser).await, "/login?next=%2Fprotected");

    // A tampered login cookie is an anonymous visit (and the cookie is deleted), never an error.
    log_in(&browser, false).await;
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );
    tamper(&browser, &origin, "login_session").await;
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    assert_eq!(location(&browser).await, "/login?next=%2Fprotected");
    assert!(cookie(&browser, "login_session").await.is_none());
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_session_example_in_a_browser() {
    let Some(driver) = Driver::start("cookie_session") else {
        return;
    };
    let app = session_example::app(CookieKeys::generate(Version::V4).unwrap());
    let origin = serve(tampering(app), "127.0.0.1").await;
    let browser = driver.browser().await;

    browser.goto(&format!("{origin}/login")).await.unwrap();
    log_in(&browser, false).await;
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );
    let session = cookie(&browser, "session")
        .await
        .expect("the session cookie");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(session.same_site(), Some(SameSite::Lax));

    let before = session.value().to_owned();
    tamper(&browser, &origin, "session").await;
    let after = cookie(&browser, "session")
        .await
        .expect("the tampered cookie");
    assert_ne!(after.value(), before);
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    wait_for_text(&browser, "Unauthorized").await;

    browser.goto(&format!("{origin}/login")).await.unwrap();
    log_in(&browser, false).await;
    assert_eq!(
        text_of(&browser, "#who").await,
        "Logged in as: foo@example.com"
    );
    log_out(&browser).await;
    browser.goto(&format!("{origin}/protected")).await.unwrap();
    wait_for_text(&browser, "Unauthorized").await;
    browser.close().await.unwrap();
}
