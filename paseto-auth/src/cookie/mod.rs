//! Tokens in cookies, the ground both [`session`](crate::session) and [`login`](crate::login)
//! stand on (this module imports neither):
//!
//! - [`CookieKeys`]: the keys that seal and open cookie tokens, one primary and any old ones;
//! - sealing data into a `local` token bound to a purpose and a cookie name, and opening one with
//!   every check (size before any crypto, header, tag, binding, times; see the `token` module);
//! - [`CookieOptions`], the one type every cookie's name and attributes are set with, their
//!   checks ([`SameSite`], the `__Host-`/`__Secure-` prefixes, the 400-day cap) and the
//!   `Set-Cookie` values written from them (with the `cookie` crate);
//! - reading the request's `Cookie` header (hand-written: it runs on every request);
//! - [`CookieService`], the one write-back service under both layers.
//!
//! # The token in a cookie
//!
//! The payload is `{"pur":PURPOSE,"cky":COOKIE,"iat":…,"exp":…,"dat":DATA}` with RFC 3339 times
//! (remember-me tokens carry their own claims beside `pur`, `cky`, `iat` and `exp`). On v3/v4 the
//! implicit assertion `paseto-auth:PURPOSE:COOKIE` binds the token to its purpose and cookie name
//! cryptographically; v2 has no implicit assertions, so there the `pur`/`cky` claims, checked after
//! decryption, do. Either way a session cookie cannot be replayed as a remember-me cookie, nor as
//! another session type's cookie, and — since a verifier refuses any token carrying `pur` — never
//! as an API token.

mod header;
mod keys;
mod layer;
mod options;
#[cfg(test)]
mod tests;
pub(crate) mod token;

pub use keys::CookieKeys;
pub use layer::CookieService;
pub use options::{CookieOptions, DEFAULT_BROWSER_SESSION_LIFETIME, SameSite};
pub use token::MAX_COOKIE_SIZE;

pub(crate) use header::request_cookies;
pub(crate) use layer::{CookieChanges, CookieLayer, Outcome};
pub(crate) use options::{CookieProblem, has_host_prefix, is_cookie_name};
