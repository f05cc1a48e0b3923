//! What the crate reads from requests the same way wherever it reads it: where an unsafe request
//! comes from ([`origin`]: the one origin policy, of the CSRF checks and of the refresh cookie)
//! and which media type a body has ([`media_type`]).

pub(crate) mod media_type;
pub(crate) mod origin;
