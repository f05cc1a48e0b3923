//! What the examples share: serving and logging ([`serve`]), where revocations live
//! ([`store`]), and the token examples' state and keys ([`tokens`]). The examples are the
//! package's `[[example]]` targets; the integration tests include them, and use this library.

pub mod serve;
pub mod store;
pub mod tokens;
