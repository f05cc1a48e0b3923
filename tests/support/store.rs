//! The stores a test runs against: the real ones (memory, and Redis where there is one), and a
//! store that fails, for failure injection beside them.

use std::sync::Arc;

use paseto_auth::store::{
    MemoryStore, RevokedBy, Rotated, Rotation, StoreError, StoreFuture, TokenRef, TokenStore,
};
use time::OffsetDateTime;

/// A memory store, and stores on the shared test Redis (under prefixes of their own) and the
/// shared test PostgreSQL (in schemas of their own), each with and without a mirror, where there
/// are, each named.
pub(crate) async fn stores() -> Vec<(&'static str, Arc<dyn TokenStore>)> {
    let mut stores: Vec<(&'static str, Arc<dyn TokenStore>)> =
        vec![("memory", Arc::new(MemoryStore::new()))];
    if let Some(redis) = super::redis::shared_store().await {
        stores.push(("redis", Arc::new(redis)));
    }
    if let Some(redis) = super::redis::shared_store_without_mirror().await {
        stores.push(("redis without mirror", Arc::new(redis)));
    }
    if let Some(postgres) = super::postgres::shared_store(true).await {
        stores.push(("postgres", Arc::new(postgres)));
    }
    if let Some(postgres) = super::postgres::shared_store(false).await {
        stores.push(("postgres without mirror", Arc::new(postgres)));
    }
    stores
}

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
    fn rotate<'a>(&'a self, _: Rotation<'a>) -> StoreFuture<'a, Rotated> {
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
