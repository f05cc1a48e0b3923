//! What the benches and `benches/load_server.rs` share: each measured path beside its
//! hand-written pasetors reference. Each includer uses only part of it.
#![allow(dead_code)]

pub(crate) mod session;
pub(crate) mod verify;
