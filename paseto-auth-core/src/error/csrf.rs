//! [`CsrfError`]: a request whose credentials are fine and whose provenance is not.

use super::kind::ErrorKind;

/// An unsafe request with credentials in a cookie is refused for where it came from (see
/// `paseto_auth::csrf`). Over HTTP, 403 with the kind as its error code and no challenge.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CsrfError {
    /// An unsafe request with credentials in a cookie did not send back the right CSRF value
    /// (see `paseto_auth::csrf`; HTTP 403).
    #[error("CSRF check failed: {0}")]
    CsrfTokenInvalid(&'static str),
    /// An unsafe request with credentials in a cookie came from another site, as the browser
    /// says (`Sec-Fetch-Site`, `Origin`; HTTP 403).
    #[error("cross-site request refused")]
    CrossSiteRequest,
}

impl CsrfError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CsrfError::CsrfTokenInvalid(_) => ErrorKind::CSRF_TOKEN_INVALID,
            CsrfError::CrossSiteRequest => ErrorKind::CROSS_SITE_REQUEST,
        }
    }
}
