//! TEMPORARY STUB: replaced by the real v3.local codec.
use crate::error::Error;
pub(crate) const NONCE_LEN: usize = 32;
pub(crate) const TAG_LEN: usize = 48;
pub(crate) fn seal(_key: &[u8; 32], _m: &[u8], _f: &[u8], _i: &[u8]) -> Result<Vec<u8>, Error> {
    Err(Error::Crypto("stub".into()))
}
pub(crate) fn open(_key: &[u8; 32], _b: &[u8], _f: &[u8], _i: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    Err(Error::Crypto("stub".into()))
}
