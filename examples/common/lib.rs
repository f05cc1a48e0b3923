//! What the examples share: serving and logging ([`serve`]), where revocations live
//! ([`store`]), the token examples' state and keys ([`tokens`]), and the login examples' cookie
//! settings and page escaping ([`pages`]). The examples are the package's `[[example]]` targets;
//! the integration tests include them, and use this library.

pub mod pages;
pub mod serve;
pub mod store;
pub mod tokens;
