//! What the application provides: its user type ([`AuthUser`]) and a way to load users by id
//! ([`UserLoader`]), and the type-erased loader the login manager keeps.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;

use super::state::AuthDigest;

/// A user that can log in: an id to find them again, and optionally an auth hash.
///
/// ```
/// use paseto_auth::login::AuthUser;
///
/// struct User {
///     id: u64,
///     password_hash: String,
/// }
///
/// impl AuthUser for User {
///     type Id = u64;
///     fn id(&self) -> u64 {
///         self.id
///     }
///     fn auth_hash(&self) -> Option<&[u8]> {
///         Some(self.password_hash.as_bytes())
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a user type for the login manager",
    label = "`{Self}` does not implement `AuthUser`",
    note = "implement `paseto_auth::login::AuthUser` for `{Self}` (an `id`, and optionally an `auth_hash`)"
)]
pub trait AuthUser: Send + Sync + 'static {
    /// The user's id. It is written into cookies as text ([`fmt::Display`]) and read back with
    /// [`FromStr`]; text that does not parse back means "no such user".
    type Id: fmt::Display + FromStr + Send + Sync + 'static;

    /// The id the [`UserLoader`] finds this user by.
    fn id(&self) -> Self::Id;

    /// Bytes that change when the user's credentials do, such as the password hash.
    ///
    /// A digest of it is sealed into the login session and remember-me cookies; when the user is
    /// loaded with a different hash (after a password change), those cookies no longer log them
    /// in: the user is logged out everywhere. `None` (the default) turns this off.
    fn auth_hash(&self) -> Option<&[u8]> {
        None
    }
}

/// Finds users by id: the application's user store.
///
/// The login manager calls it at most once per request, when a handler or guard first asks who
/// is logged in. `Ok(None)` means there is no such user (deleted, say): the request is then
/// anonymous and the login cookies are deleted. An `Err` (the store is down) makes the request
/// fail with 500 rather than look logged out.
///
/// ```
/// use std::collections::HashMap;
/// use std::convert::Infallible;
/// use paseto_auth::login::{AuthUser, UserLoader};
///
/// #[derive(Clone)]
/// struct User {
///     name: String,
/// }
///
/// impl AuthUser for User {
///     type Id = String;
///     fn id(&self) -> String {
///         self.name.clone()
///     }
/// }
///
/// struct Users(HashMap<String, User>);
///
/// impl UserLoader for Users {
///     type User = User;
///     type Error = Infallible;
///     async fn load_user(&self, id: &String) -> Result<Option<User>, Infallible> {
///         Ok(self.0.get(id).cloned())
///     }
/// }
/// ```
pub trait UserLoader: Send + Sync + 'static {
    /// The user type.
    type User: AuthUser;
    /// Why loading failed (not "no such user", which is `Ok(None)`).
    type Error: StdError + Send + Sync + 'static;

    /// The user with this id, if there is one.
    fn load_user(
        &self,
        id: &<Self::User as AuthUser>::Id,
    ) -> impl Future<Output = Result<Option<Self::User>, Self::Error>> + Send;
}

/// A user loaded for a request.
pub(crate) struct LoadedUser<U> {
    pub(crate) user: Arc<U>,
    /// The digest of the user's current auth hash.
    pub(crate) digest: Option<AuthDigest>,
}

/// Why the loader failed; cheap to clone, so one failure answers every extractor of a request.
#[derive(Clone)]
pub struct LoaderFailure(Arc<dyn StdError + Send + Sync>);

impl fmt::Debug for LoaderFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for LoaderFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A [`UserLoader`] of `U`s, with the loader's own type erased, so the layer is typed by the
/// user type alone (which is all `CurrentUser<U>` knows).
pub(crate) trait LoadUser<U>: Send + Sync {
    /// Loads the user whose id is written `id`.
    fn load<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<LoadedUser<U>>, LoaderFailure>>;
}

impl<L: UserLoader> LoadUser<L::User> for L {
    fn load<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<LoadedUser<L::User>>, LoaderFailure>> {
        Box::pin(async move {
            let Ok(parsed) = id.parse::<<L::User as AuthUser>::Id>() else {
                tracing::warn!(id, "a login cookie names a user id that does not parse");
                return Ok(None);
            };
            match self.load_user(&parsed).await {
                Ok(Some(user)) => Ok(Some(LoadedUser {
                    digest: user.auth_hash().map(AuthDigest::of),
                    user: Arc::new(user),
                })),
                Ok(None) => Ok(None),
                Err(err) => Err(LoaderFailure(Arc::new(err))),
            }
        })
    }
}
