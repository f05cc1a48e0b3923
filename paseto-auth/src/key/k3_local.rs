//! TEMPORARY STUB
use crate::error::Error;
pub(crate) fn to_paserk(_key: &[u8; 32]) -> String { String::new() }
pub(crate) fn from_paserk(_s: &str) -> Result<zeroize::Zeroizing<[u8; 32]>, Error> { Err(Error::InvalidKey("stub".into())) }
pub(crate) fn lid(_key: &[u8; 32]) -> String { String::new() }
