//! What CSRF protection checks and under which names.

use axum::http::{HeaderName, Method};

use crate::settings::{Namespace, Settings};
use crate::{Error, Result};

/// CSRF settings: which methods are checked, where the value is sent back, and which origins
/// may post across sites. [`CsrfSettings::new`] has Flask-JWT-Extended's defaults.
///
/// ```
/// use paseto_auth::csrf::CsrfSettings;
/// let settings = CsrfSettings::new()
///     .header_name("X-XSRF-Token")?
///     .trusted_origin("https://admin.example")?;
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CsrfSettings {
    protect: bool,
    methods: Vec<Method>,
    header_name: HeaderName,
    cookie_name: String,
    field_name: String,
    trusted_origins: Vec<String>,
}

impl Default for CsrfSettings {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrfSettings {
    /// On; POST, PUT, PATCH and DELETE checked; header `X-CSRF-Token`, readable cookie
    /// `csrf_access_token`, form field `csrf_token`; no trusted cross-site origin.
    pub fn new() -> Self {
        CsrfSettings {
            protect: true,
            methods: vec![Method::POST, Method::PUT, Method::PATCH, Method::DELETE],
            header_name: HeaderName::from_static("x-csrf-token"),
            cookie_name: "csrf_access_token".to_owned(),
            field_name: "csrf_token".to_owned(),
            trusted_origins: Vec::new(),
        }
    }

    /// The names CSRF protection owns in a file of settings: `PASETO_CSRF_*` and
    /// `PASETO_COOKIE_CSRF_PROTECT` (see [`crate::settings`]), [`CsrfLayer`](super::CsrfLayer)'s
    /// `PASETO_CSRF_FORM_COOKIE_SECURE` among them.
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_CSRF_", "PASETO_COOKIE_CSRF_"],
        except: &[],
        names: &[
            "PASETO_COOKIE_CSRF_PROTECT",
            "PASETO_CSRF_METHODS",
            "PASETO_CSRF_HEADER_NAME",
            "PASETO_CSRF_COOKIE_NAME",
            "PASETO_CSRF_FIELD_NAME",
            "PASETO_CSRF_TRUSTED_ORIGINS",
            "PASETO_CSRF_FORM_COOKIE_SECURE",
        ],
    };

    /// The settings from the environment, over the defaults: `PASETO_COOKIE_CSRF_PROTECT`
    /// (`true`/`false`), `PASETO_CSRF_METHODS` (e.g. `POST,PUT,PATCH,DELETE`),
    /// `PASETO_CSRF_HEADER_NAME`, `PASETO_CSRF_COOKIE_NAME`, `PASETO_CSRF_FIELD_NAME` and
    /// `PASETO_CSRF_TRUSTED_ORIGINS` (comma-separated origins). A bad value is an error naming
    /// its setting.
    pub fn from_env() -> Result<Self> {
        Self::from_settings(&Settings::env())
    }

    /// [`CsrfSettings::from_env`] with the settings from `source`; an unknown name of the
    /// [`NAMESPACE`](Self::NAMESPACE) is an error.
    pub fn from_settings(source: &Settings) -> Result<Self> {
        source.check_names(&Self::NAMESPACE)?;
        let mut settings = Self::new();
        if let Some(protect) = source.bool("PASETO_COOKIE_CSRF_PROTECT")? {
            settings.protect = protect;
        }
        if let Some(methods) = source.words("PASETO_CSRF_METHODS")? {
            settings.methods = methods
                .iter()
                .map(|m| {
                    Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| {
                        Error::config("PASETO_CSRF_METHODS", format!("{m:?} is not a method"))
                    })
                })
                .collect::<Result<_>>()?;
        }
        if let Some(value) = source.text("PASETO_CSRF_HEADER_NAME")? {
            settings = settings
                .header_name(&value)
                .map_err(|_| Error::config("PASETO_CSRF_HEADER_NAME", "not a valid header name"))?;
        }
        if let Some(value) = source.text("PASETO_CSRF_COOKIE_NAME")? {
            settings = settings
                .cookie_name(value)
                .map_err(|err| Error::config("PASETO_CSRF_COOKIE_NAME", err))?;
        }
        if let Some(value) = source.text("PASETO_CSRF_FIELD_NAME")? {
            if value.is_empty() {
                return Err(Error::config("PASETO_CSRF_FIELD_NAME", "must not be empty"));
            }
            settings.field_name = value;
        }
        if let Some(origins) = source.words("PASETO_CSRF_TRUSTED_ORIGINS")? {
            for origin in origins {
                settings = settings
                    .trusted_origin(&origin)
                    .map_err(|err| Error::config("PASETO_CSRF_TRUSTED_ORIGINS", err))?;
            }
        }
        Ok(settings)
    }

    /// Turns the checks off (`PASETO_COOKIE_CSRF_PROTECT=false`): only for an application that
    /// protects itself otherwise.
    #[must_use]
    pub fn disabled(mut self) -> Self {
        self.protect = false;
        self
    }

    /// The methods checked (others are safe and never checked).
    #[must_use]
    pub fn methods(mut self, methods: impl IntoIterator<Item = Method>) -> Self {
        self.methods = methods.into_iter().collect();
        self
    }

    /// The header the value is sent back in.
    pub fn header_name(mut self, name: &str) -> Result<Self> {
        self.header_name = HeaderName::try_from(name)
            .map_err(|_| Error::Setup(format!("invalid CSRF header name {name:?}")))?;
        Ok(self)
    }

    /// The readable cookie [`TokenCookie`](super::TokenCookie) puts the value in.
    pub fn cookie_name(mut self, name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        if !crate::cookie::is_cookie_name(&name) {
            return Err(Error::Setup(format!("invalid CSRF cookie name {name:?}")));
        }
        self.cookie_name = name;
        Ok(self)
    }

    /// The form field [`CsrfLayer`](super::CsrfLayer) reads the value from.
    #[must_use]
    pub fn field_name(mut self, name: impl Into<String>) -> Self {
        self.field_name = name.into();
        self
    }

    /// An origin (`https://admin.example`) allowed to send unsafe requests across sites; it
    /// must still send the CSRF value. Anything but `scheme://host[:port]` is an error. A
    /// [`RefreshEndpoint`](crate::refresh::RefreshEndpoint) given these settings lets it refresh
    /// from the cookie too.
    pub fn trusted_origin(mut self, origin: &str) -> Result<Self> {
        let shaped = origin.split_once("://").is_some_and(|(scheme, host)| {
            !scheme.is_empty() && !host.is_empty() && !host.contains('/')
        });
        if !shaped {
            return Err(Error::Setup(format!(
                "{origin:?} is not an origin (scheme://host[:port])"
            )));
        }
        self.trusted_origins.push(origin.to_ascii_lowercase());
        Ok(self)
    }

    /// Whether requests with `method` are checked.
    pub fn protects(&self, method: &Method) -> bool {
        self.protect && self.methods.contains(method)
    }

    /// The header the value is sent back in.
    pub fn header(&self) -> &HeaderName {
        &self.header_name
    }

    /// The readable cookie holding a cookie token's value.
    pub fn cookie(&self) -> &str {
        &self.cookie_name
    }

    /// The form field holding the value.
    pub fn field(&self) -> &str {
        &self.field_name
    }

    /// The origins allowed to send unsafe requests across sites (lowercase), for the origin
    /// policy.
    pub(crate) fn trusted_origins(&self) -> &[String] {
        &self.trusted_origins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<CsrfSettings> {
        CsrfSettings::from_settings(&Settings::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_defaults_are_flask_jwt_extended_s() {
        let settings = from(&[]).unwrap();
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(settings.protects(&method));
        }
        assert!(!settings.protects(&Method::GET));
        assert!(!settings.protects(&Method::HEAD));
        assert_eq!(settings.header().as_str(), "x-csrf-token");
        assert_eq!(settings.cookie(), "csrf_access_token");
        assert_eq!(settings.field(), "csrf_token");
    }

    #[test]
    fn settings_from_the_environment() {
        let settings = from(&[
            ("PASETO_CSRF_METHODS", "post, delete"),
            ("PASETO_CSRF_HEADER_NAME", "X-XSRF-Token"),
            ("PASETO_CSRF_COOKIE_NAME", "xsrf"),
            ("PASETO_CSRF_FIELD_NAME", "_csrf"),
            (
                "PASETO_CSRF_TRUSTED_ORIGINS",
                "https://a.example, https://b.example:8443",
            ),
        ])
        .unwrap();
        assert!(settings.protects(&Method::DELETE));
        assert!(!settings.protects(&Method::PUT));
        assert_eq!(settings.header().as_str(), "x-xsrf-token");
        assert_eq!((settings.cookie(), settings.field()), ("xsrf", "_csrf"));
        assert!(
            settings
                .trusted_origins()
                .contains(&"https://b.example:8443".to_owned())
        );
        let off = from(&[("PASETO_COOKIE_CSRF_PROTECT", "false")]).unwrap();
        assert!(!off.protects(&Method::POST));
    }

    #[test]
    fn a_file_may_hold_lists_and_its_typos_are_refused() {
        let file = Settings::from_json(
            r#"{"PASETO_CSRF_TRUSTED_ORIGINS": ["https://a.example", "https://b.example"],
                "PASETO_COOKIE_CSRF_PROTECT": true, "PASETO_ISS": "elsewhere's"}"#,
        )
        .unwrap();
        let settings = CsrfSettings::from_settings(&file).unwrap();
        assert!(
            settings
                .trusted_origins()
                .contains(&"https://b.example".to_owned())
        );
        assert!(settings.protects(&Method::POST));
        let typo = Settings::from_pairs([("PASETO_CSRF_METHOD", "POST")]);
        assert_eq!(
            CsrfSettings::from_settings(&typo).unwrap_err().to_string(),
            "invalid setting config: unknown setting \"PASETO_CSRF_METHOD\"; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#how-settings-are-read"
        );
    }

    #[test]
    fn bad_settings_name_the_setting() {
        for (name, value) in [
            ("PASETO_COOKIE_CSRF_PROTECT", "maybe"),
            ("PASETO_CSRF_METHODS", "PO ST("),
            ("PASETO_CSRF_HEADER_NAME", "bad header"),
            ("PASETO_CSRF_COOKIE_NAME", "bad;cookie"),
            ("PASETO_CSRF_FIELD_NAME", ""),
            ("PASETO_CSRF_TRUSTED_ORIGINS", "admin.example"),
        ] {
            let err = from(&[(name, value)]).unwrap_err();
            assert!(
                matches!(&err, Error::Config { setting, .. } if setting == name),
                "{name}: {err}"
            );
        }
    }
}
