//! Refreshing token pairs: the core's rule ([`RefreshTokens`]: each refresh token used once,
//! reuse detection, retries within the reuse grace; see [`paseto_auth_core::refresh`]), and, with
//! the `axum` feature, [`RefreshEndpoint`]: the rule as a token endpoint, `POST /token/refresh`,
//! taking the refresh token from a JSON body, a form or an `HttpOnly` cookie ([`REFRESH_COOKIE`]).

#[cfg(feature = "axum")]
mod cookie;
#[cfg(feature = "axum")]
mod service;

#[doc(inline)]
pub use paseto_auth_core::refresh::*;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use cookie::REFRESH_COOKIE;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use service::{RefreshEndpoint, pair_response};
