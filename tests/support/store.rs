//! A store that fails, for failure injection beside the real ones (memory, Redis).

use paseto_auth::store::{RevokedBy, StoreError, StoreFuture, TokenRef, TokenStore};
use time::OffsetDateTime;

/// A store that never answers (a hung connection), or fails at once.
pub(crate) struct Broken {
    pub(crate) hangs: bool,
}

impl TokenStore for Broken {
    fn revoke_token<'a>(&'a self, _: &'a str, _: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.fail()
    }
    fn revoke_family<'a>(&'a self, _: &'a str, _: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.fail()
    }
    fn revoke_subject<'a>(&'a self, _: &'a str, _: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.fail()
    }
    fn revoke_key<'a>(&'a self, _: &'a str) -> StoreFuture<'a, ()> {
        self.fail()
    }
    fn check<'a>(&'a self, _: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        self.fail()
    }
    fn consume<'a>(&'a self, _: &'a str, _: OffsetDateTime) -> StoreFuture<'a, bool> {
        self.fail()
    }
}

impl Broken {
    fn fail<T: Send + 'static>(&self) -> StoreFuture<'_, T> {
        let hangs = self.hangs;
        Box::pin(async move {
            if hangs {
                std::future::pending::<()>().await;
            }
            Err(StoreError::Full(0))
        })
    }
}
