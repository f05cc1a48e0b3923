//! What the examples with HTML pages and a login manager (`login_manager`, `full_service`) share:
//! the login cookies' keys and the remember-me cookie's settings from the environment, for plain
//! http, the login form and where a login goes next, and escaping for the pages.

use paseto_auth::Version;
use paseto_auth::cookie::SameSite;
use paseto_auth::login::{CookieSettings, LoginKeys, safe_next};
use serde::Deserialize;

/// `PASETO_SESSION_KEY` and `REMEMBER_COOKIE_PASETO_KEY`, or generated keys (with a warning).
pub fn login_keys_from_env() -> paseto_auth::Result<LoginKeys> {
    if let Some(keys) = LoginKeys::from_env()? {
        return Ok(keys);
    }
    eprintln!(
        "warning: PASETO_SESSION_KEY and REMEMBER_COOKIE_PASETO_KEY are not set; using generated \
         keys, so logins end when the server restarts (set each to a k4.local PASERK: the `local` \
         field of `paseto-auth keygen v4.local`)"
    );
    LoginKeys::generate(Version::V4)
}

/// The remember-me cookie of Flask-Login's `REMEMBER_COOKIE_*` settings, not `Secure` unless
/// `REMEMBER_COOKIE_SECURE` says so (or `SameSite=None`, which needs it), so that it works over
/// plain http (curl, http://127.0.0.1); keep the default (on) when serving over https.
pub fn remember_cookie_from_env() -> paseto_auth::Result<CookieSettings> {
    let mut remember_cookie = CookieSettings::remember_from_env()?;
    if std::env::var_os("REMEMBER_COOKIE_SECURE").is_none()
        && remember_cookie.options.same_site != SameSite::None
    {
        remember_cookie.options.secure = false;
    }
    Ok(remember_cookie)
}

/// `next` from the query string of `GET /login`: where the login manager sent the browser from.
#[derive(Debug, Default, Deserialize)]
pub struct Next {
    /// The path, as the query string has it (not yet checked).
    pub next: Option<String>,
}

/// Where a login goes: `next` when it is a local path ([`safe_next`]), else `default`. Only such a
/// path goes into the login form, and after login into `Location` (no open redirect).
pub fn next_page<'a>(next: Option<&'a str>, default: &'a str) -> &'a str {
    next.and_then(safe_next).unwrap_or(default)
}

/// The form a login page posts (`POST /login`).
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// The account's email.
    pub email: String,
    /// Its password.
    pub password: String,
    /// `on` when "Remember me" is ticked.
    pub remember: Option<String>,
    /// Where to go after logging in, as the login page was given it.
    pub next: Option<String>,
}

impl LoginForm {
    /// Whether "Remember me" is ticked.
    pub fn remember(&self) -> bool {
        self.remember.as_deref() == Some("on")
    }

    /// Where the login goes: `next` when it is a local path, else `default` ([`next_page`]).
    pub fn next_page<'a>(&'a self, default: &'a str) -> &'a str {
        next_page(self.next.as_deref(), default)
    }
}

/// `text` escaped for HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_and_no_way_out_of_an_attribute() {
        assert_eq!(
            escape(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("plain text"), "plain text");
    }

    #[test]
    fn a_login_goes_next_only_to_a_local_path() {
        assert_eq!(next_page(Some("/notes?page=2"), "/"), "/notes?page=2");
        for elsewhere in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
            assert_eq!(next_page(Some(elsewhere), "/home"), "/home", "{elsewhere}");
        }
        assert_eq!(next_page(None, "/home"), "/home");
    }
}
