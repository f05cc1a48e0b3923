//! [`KeyError`]: key material that cannot be used.

use super::kind::ErrorKind;

/// Key material is refused: it does not parse, is of the wrong version or purpose, a protected
/// PASERK does not open, or opening it would cost more than allowed. These are start-up and API
/// errors; a guard never meets one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Key material could not be parsed or has the wrong version or purpose.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A protected PASERK (`local-wrap.pie`, `secret-wrap.pie`, `local-pw`, `secret-pw`, `seal`)
    /// did not open: its authentication tag does not verify under the wrapping key, password or
    /// secret key given. The PASERK was protected with another one, or it was altered; the two
    /// cannot be told apart (see [`crate::key::protected`]).
    #[error("the key cannot be unwrapped: {0}, or the PASERK was altered")]
    UnwrapFailed(&'static str),
    /// A password-protected PASERK asks for more work than the limits allow (checked before any
    /// is done), or a wrap was asked for costs the algorithm refuses (see
    /// [`crate::key::protected::PwLimits`]).
    #[error("password hashing cost refused: {0}")]
    PasswordCost(String),
}

impl KeyError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeyError::InvalidKey(_) => ErrorKind::INVALID_KEY,
            KeyError::UnwrapFailed(_) => ErrorKind::UNWRAP_FAILED,
            KeyError::PasswordCost(_) => ErrorKind::PASSWORD_COST,
        }
    }
}
