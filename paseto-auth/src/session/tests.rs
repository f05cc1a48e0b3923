//! Unit tests of session specs: the checks browsers' rules make, and the cookie they write.

use std::time::Duration;

use super::*;
use crate::cookie::{DEFAULT_BROWSER_SESSION_LIFETIME, SameSite};

#[test]
fn set_cookie_has_the_spec_attributes() {
    let spec = SessionSpec::new("session");
    assert_eq!(
        spec.options().set_cookie("v").unwrap(),
        "session=v; HttpOnly; SameSite=Lax; Secure; Path=/"
    );
    let spec = SessionSpec::new("cart")
        .max_age(Duration::from_secs(60))
        .path("/shop")
        .domain("example.com")
        .secure(false)
        .http_only(false)
        .same_site(SameSite::Strict);
    assert_eq!(
        spec.options().set_cookie("v").unwrap(),
        "cart=v; SameSite=Strict; Path=/shop; Domain=example.com; Max-Age=60"
    );
    assert_eq!(
        spec.options().removal().unwrap(),
        "cart=; SameSite=Strict; Path=/shop; Domain=example.com; Max-Age=0; \
         Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    );
}

#[test]
fn specs_are_checked() {
    assert!(SessionSpec::new("session").check().is_ok());
    for bad in ["", "a b", "a;b", "a=b", "sé", "a,b", "(a)"] {
        assert!(SessionSpec::new(bad).check().is_err(), "{bad:?}");
    }
    assert!(SessionSpec::new("s").path("shop").check().is_err());
    assert!(SessionSpec::new("s").path("/a;b").check().is_err());
    assert!(SessionSpec::new("s").domain("a b").check().is_err());
    assert!(
        SessionSpec::new("s")
            .max_age(Duration::ZERO)
            .check()
            .is_err()
    );
    let none_insecure = SessionSpec::new("s")
        .same_site(SameSite::None)
        .secure(false);
    assert!(none_insecure.check().is_err());
    assert!(
        SessionSpec::new("s")
            .same_site(SameSite::None)
            .check()
            .is_ok()
    );
    assert_eq!(
        SessionSpec::new("s").token_lifetime(),
        DEFAULT_BROWSER_SESSION_LIFETIME
    );
}

#[test]
fn cookie_prefixes_are_matched_ignoring_case_as_browsers_do() {
    for name in ["__Host-s", "__host-s", "__HOST-s", "__hOsT-s"] {
        let insecure = SessionSpec::new(name).secure(false).check().unwrap_err();
        assert!(insecure.contains("__Host-"), "{name}: {insecure}");
        assert!(
            SessionSpec::new(name).path("/app").check().is_err(),
            "{name}"
        );
        assert!(SessionSpec::new(name).check().is_ok(), "{name}");
    }
    for name in ["__Secure-s", "__secure-s", "__SECURE-s"] {
        let insecure = SessionSpec::new(name).secure(false).check().unwrap_err();
        assert!(insecure.contains("__Secure-"), "{name}: {insecure}");
        assert!(SessionSpec::new(name).check().is_ok(), "{name}");
    }
    // Not a prefix: the rules do not apply.
    assert!(SessionSpec::new("_Host-s").secure(false).check().is_ok());
}
