//! The seed inputs of every target: the official PASETO and PASERK test vectors, the tests'
//! fixtures (flask-paseto-extended's tokens and settings), and inputs made here with the
//! targets' keys (tokens of every kind, protected keys at small costs, documents, requests).
//!
//! The fuzzers start from these (`cargo run -p paseto-auth-fuzz-targets --example seeds`
//! writes them to `fuzz/seeds/`), and `tests/replay.rs` runs them all on every test run besides
//! the minimized corpora, so the official vectors always go through every target.

use paseto_auth::Version;
use paseto_auth::key::protected::PwCost;
use paseto_auth::key::{LocalKey, SecretKey, SigningKey};
use paseto_auth::keyset::{KeySetDocument, KeyStatus, PublishedKey};
use serde_json::{Value, json};

use crate::keys;
use crate::verifiers::ISSUER;

/// One seed: its target, a name (the file's), and the input.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The target it is for.
    pub target: &'static str,
    /// Its file name.
    pub name: String,
    /// The input.
    pub data: Vec<u8>,
}

const PASETO_VECTORS: [&str; 3] = [
    include_str!("../../paseto-auth-core/test-vectors/paseto/v2.json"),
    include_str!("../../paseto-auth-core/test-vectors/paseto/v3.json"),
    include_str!("../../paseto-auth-core/test-vectors/paseto/v4.json"),
];

const PASERK_VECTORS: &[&str] = &[
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.lid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.local.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.local-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.local-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.pid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.public.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.seal.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.secret.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.secret-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.secret-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k2.sid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.lid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.local.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.local-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.local-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.pid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.public.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.seal.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.secret.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.secret-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.secret-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k3.sid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.lid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.local.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.local-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.local-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.pid.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.public.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.seal.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.secret.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.secret-pw.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.secret-wrap.pie.json"),
    include_str!("../../paseto-auth-core/test-vectors/paserk/k4.sid.json"),
];

/// flask-paseto-extended's tokens and settings (tests/fixtures/fpe).
const FLASK: &str = include_str!("../../tests/fixtures/fpe/tokens.json");

/// PEM keys: flask-paseto-extended's README pair, and keys made with OpenSSL (Ed25519 PKCS#8,
/// P-384 SEC1 and PKCS#8, and their SPKI public keys).
const PEMS: &[&str] = &[
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILTL+0PfTOIQcn2VPkpxMwf6Gbt9n4UEFDjZ4RuUKjd0\n-----END PRIVATE KEY-----",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAHrnbu7wEfAP9cGBOAHHwmH4Wsot1ciXBHwBBXQ4gsaI=\n-----END PUBLIC KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPdYZw0+vYV7zgSFXsMgQsHKPgmywLUdTneqSr2i+Iav\n-----END PRIVATE KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA/4bmeWD5tKAoIavuw23N2O5s/OwVa+XjKNCZcXonQKQ=\n-----END PUBLIC KEY-----\n",
    "-----BEGIN EC PRIVATE KEY-----\nMIGkAgEBBDCA2OkPv0WApekMpqXeV4gQwpdtwkxyCrPC9Lg12u0GrpEG3ddGAkdj\nKs5HkFvRCsugBwYFK4EEACKhZANiAAR2eOT1r3AsQrM4rEy7QU62cXYyXvb8B7An\n3D5HntwyX24iKhmspCfNbEgoEWilR2k1VJqx3B1PQoOseTZhfLzoG8nbEIvR7PWX\n04+Fl/Q9r5ufC4gvy7/4TupU+acdDY4=\n-----END EC PRIVATE KEY-----\n",
    "-----BEGIN PRIVATE KEY-----\nMIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCA2OkPv0WApekMpqXe\nV4gQwpdtwkxyCrPC9Lg12u0GrpEG3ddGAkdjKs5HkFvRCsuhZANiAAR2eOT1r3As\nQrM4rEy7QU62cXYyXvb8B7An3D5HntwyX24iKhmspCfNbEgoEWilR2k1VJqx3B1P\nQoOseTZhfLzoG8nbEIvR7PWX04+Fl/Q9r5ufC4gvy7/4TupU+acdDY4=\n-----END PRIVATE KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEdnjk9a9wLEKzOKxMu0FOtnF2Ml72/Aew\nJ9w+R57cMl9uIioZrKQnzWxIKBFopUdpNVSasdwdT0KDrHk2YXy86BvJ2xCL0ez1\nl9OPhZf0Pa+bnwuIL8u/+E7qVPmnHQ2O\n-----END PUBLIC KEY-----\n",
];

/// Claims of a token every strict verifier of the targets accepts until 2100.
fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "alice",
        "aud": ["api", "web"],
        "scope": "read write",
        "role": "admin",
        "level": 3,
        "groups": ["ops"],
        "profile": {"name": "Alice"},
        "iat": "2024-01-01T00:00:00Z",
        "nbf": "2024-01-01T00:00:00+00:00",
        "exp": "2100-01-01T00:00:00Z",
        "jti": "seed-1",
    })
}

fn vectors(texts: &[&str]) -> Vec<Value> {
    texts
        .iter()
        .flat_map(|text| {
            let file: Value = serde_json::from_str(text).expect("a vector file");
            file["tests"].as_array().cloned().unwrap_or_default()
        })
        .collect()
}

fn field<'a>(vector: &'a Value, name: &str) -> &'a str {
    vector[name].as_str().unwrap_or_default()
}

/// Every seed of every target.
pub fn all() -> Vec<Seed> {
    let mut seeds = Vec::new();
    let mut add = |target: &'static str, name: String, data: Vec<u8>| {
        seeds.push(Seed { target, name, data });
    };
    let paseto = vectors(&PASETO_VECTORS);
    let paserk = vectors(PASERK_VECTORS);
    let flask: Value = serde_json::from_str(FLASK).expect("the fixture");

    // Tokens: the vectors', flask-paseto-extended's, and ours of every kind.
    let mut tokens: Vec<(String, String)> = Vec::new();
    for vector in &paseto {
        tokens.push((
            field(vector, "name").to_owned(),
            field(vector, "token").to_owned(),
        ));
    }
    for (name, token) in flask["tokens"].as_object().into_iter().flatten() {
        tokens.push((
            format!("flask-{name}"),
            token.as_str().unwrap_or_default().to_owned(),
        ));
    }
    let payload = claims().to_string();
    for version in keys::VERSIONS {
        let secret = keys::secret(version);
        let kid = json!({"kid": secret.public_key().id().as_str()}).to_string();
        for (suffix, footer) in [("", ""), ("-kid", kid.as_str()), ("-raw", "opaque footer")] {
            let signed = paseto_auth::token::seal(
                &SigningKey::Secret(secret.clone()),
                payload.as_bytes(),
                footer.as_bytes(),
                b"",
            )
            .expect("signed");
            tokens.push((format!("{version}-public{suffix}"), signed));
            let sealed = paseto_auth::token::seal(
                &SigningKey::Local(keys::local(version)),
                payload.as_bytes(),
                footer.as_bytes(),
                b"",
            )
            .expect("sealed");
            tokens.push((format!("{version}-local{suffix}"), sealed));
        }
    }
    tokens.push(("v3-public-high-s".into(), high_s(&tokens)));
    for (name, token) in &tokens {
        add("token_parse", name.clone(), token.clone().into_bytes());
        let target = if token.contains(".local.") {
            "verify_local"
        } else {
            "verify_public"
        };
        add(target, name.clone(), token.clone().into_bytes());
    }

    // Footers, under each of the three limits.
    let footers: Vec<String> = paseto
        .iter()
        .map(|v| field(v, "footer").to_owned())
        .chain([
            r#"{"kid":"k4.pid.AAAA","wpk":"x"}"#.to_owned(),
            r#"{"a":{"b":[1,2,{"c":null}]},"d":"\"}{"}"#.to_owned(),
            r#"{"kid":"a","kid":"b"}"#.to_owned(),
        ])
        .collect();
    for (index, footer) in footers.iter().enumerate() {
        for pick in 0..3u8 {
            let mut data = vec![pick];
            data.extend_from_slice(footer.as_bytes());
            add("footer", format!("footer-{index}-{pick}"), data);
        }
    }

    // Local round trips: payloads, footers and implicit assertions of the vectors.
    for (index, vector) in paseto.iter().enumerate() {
        let fields = [
            field(vector, "payload"),
            field(vector, "footer"),
            field(vector, "implicit-assertion"),
        ];
        let mut data = vec![(index % 3) as u8];
        data.extend_from_slice(fields.join("\0").as_bytes());
        add("local_roundtrip", format!("roundtrip-{index}"), data);
    }

    // Claims: the vectors' payloads and ours, with a few shapes the verifier must refuse.
    let mut payloads: Vec<String> = paseto
        .iter()
        .map(|v| field(v, "payload").to_owned())
        .collect();
    payloads.extend([
        payload.clone(),
        r#"{"iss":"https://issuer.fuzz","exp":"2100-01-01T00:00:00Z","iss":"x"}"#.into(),
        r#"{"iss":"https://issuer.fuzz","exp":"2100-01-01T00:00:00Z","aud":"api","scope":"read","role":"user"}"#.into(),
        r#"{"iss":"https://issuer.fuzz","exp":"2100-01-01T00:00:00+01:00","pur":"session"}"#.into(),
        r#"{"iss":"https://issuer.fuzz","exp":"1999-01-01T00:00:00Z"}"#.into(),
        r#"[{"iss":"https://issuer.fuzz"}]"#.into(),
        // RFC 3339's first and last seconds: the edges of every time claim.
        r#"{"iss":"https://issuer.fuzz","exp":"9999-12-31T23:59:59Z","role":"r","seen":"0000-01-01T00:00:00Z"}"#.into(),
        r#"{"iss":"https://issuer.fuzz","exp":"2100-01-01T00:00:00.999Z","role":"r","seen":"9999-12-31T23:59:59Z"}"#.into(),
    ]);
    for (index, payload) in payloads.iter().enumerate() {
        add(
            "claims",
            format!("claims-{index}"),
            payload.clone().into_bytes(),
        );
    }

    // PASERK: every vector's, and our keys'.
    let mut paserks: Vec<(String, String)> = paserk
        .iter()
        .map(|v| (field(v, "name").to_owned(), field(v, "paserk").to_owned()))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    for version in keys::VERSIONS {
        let secret = keys::secret(version);
        let local = keys::local(version);
        paserks.extend([
            (format!("{version}-local"), local.to_paserk().to_string()),
            (format!("{version}-lid"), local.id().to_string()),
            (format!("{version}-secret"), secret.to_paserk().to_string()),
            (format!("{version}-sid"), secret.secret_id().to_string()),
            (format!("{version}-public"), secret.public_key().to_paserk()),
            (
                format!("{version}-pid"),
                secret.public_key().id().to_string(),
            ),
        ]);
    }
    for (name, text) in &paserks {
        add("paserk", name.clone(), text.clone().into_bytes());
    }

    // Protected PASERK: the vectors', and ours with the targets' protectors at small costs.
    for (name, text) in &paserks {
        if text.contains("-wrap.") || text.contains("-pw.") || text.contains(".seal.") {
            add("paserk_protected", name.clone(), text.clone().into_bytes());
        }
    }
    let cost = PwCost {
        memory_kib: 16,
        time_cost: 1,
        parallelism: 1,
        pbkdf2_iterations: 100,
    };
    let password = crate::paserk_protected::PASSWORD;
    for version in keys::VERSIONS {
        let wrapping = keys::local(version);
        let held =
            LocalKey::derive_from_secret(version, b"a key the seeds wrap, 32+ bytes...", "seed")
                .expect("a key");
        let secret = keys::secret(version);
        let other_secret = SecretKey::from_paserk(&keys::paserk(
            version,
            "secret",
            &keys::hex(match version {
                Version::V3 => {
                    "6d2e1a3f5c7b9d0e2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c2e4b6d8f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b2d4f6a8c0e"
                }
                _ => {
                    "6d2e1a3f5c7b9d0e2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c2e4b6d8f0a2c4e6b8d0000000000000000000000000000000000000000000000000000000000000000"
                }
            }),
        ));
        let mut made = vec![
            ("local-wrap", held.to_wrapped_paserk(&wrapping)),
            ("local-pw", held.to_password_paserk(password, &cost)),
            ("seal", held.to_sealed_paserk(secret.public_key())),
        ];
        if let Ok(other) = other_secret {
            made.push(("secret-wrap", other.to_wrapped_paserk(&wrapping)));
            made.push(("secret-pw", other.to_password_paserk(password, &cost)));
        }
        for (kind, text) in made {
            if let Ok(text) = text {
                add(
                    "paserk_protected",
                    format!("{version}-{kind}"),
                    text.into_bytes(),
                );
            }
        }
    }

    // PEM: every key, for each version that may be asked for.
    let vector_pems = paserk.iter().flat_map(|v| {
        ["sealing-secret-key", "sealing-public-key"]
            .map(|name| field(v, name).to_owned())
            .into_iter()
            .filter(|text| text.starts_with("-----BEGIN"))
    });
    let flask_pems = flask["settings"]["PASETO_PUBLIC_KEYS"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["key"].as_str().map(str::to_owned));
    let pems: Vec<String> = PEMS
        .iter()
        .map(|p| (*p).to_owned())
        .chain(vector_pems)
        .chain(flask_pems)
        .collect();
    for (index, pem) in pems.iter().enumerate() {
        for pick in 0..4u8 {
            let mut data = vec![pick];
            data.extend_from_slice(pem.as_bytes());
            add("pem", format!("pem-{index}-{pick}"), data);
        }
    }

    // Key-set documents.
    let mut document = KeySetDocument::new();
    for (version, status) in [
        (Version::V4, KeyStatus::Active),
        (Version::V3, KeyStatus::Next),
        (Version::V2, KeyStatus::Retired),
    ] {
        let mut key = PublishedKey::new(keys::public(version), ISSUER, status);
        if status == KeyStatus::Retired {
            key.not_before = time::OffsetDateTime::from_unix_timestamp(1_700_000_000).ok();
            key.not_after = time::OffsetDateTime::from_unix_timestamp(4_100_000_000).ok();
        }
        document.add(key).expect("a key");
    }
    let documents = [
        document.to_json(),
        r#"{"version":1,"keys":[]}"#.to_owned(),
        r#"{"version":2,"keys":[]}"#.to_owned(),
        format!(
            r#"{{"version":1,"keys":[{{"paserk":"{}","pid":"{}","iss":"x","status":"active","not_before":"2025-06-01T00:00:00.5+02:00","not_after":null,"extra":1}}]}}"#,
            keys::public(Version::V4).to_paserk(),
            keys::public(Version::V4).id()
        ),
        // RFC 3339's first and last seconds: the edges of a key's validity.
        format!(
            r#"{{"version":1,"keys":[{{"paserk":"{}","pid":"{}","iss":"x","status":"retired","not_before":"0000-01-01T00:00:00Z","not_after":"9999-12-31T23:59:59Z"}}]}}"#,
            keys::public(Version::V4).to_paserk(),
            keys::public(Version::V4).id()
        ),
    ];
    for (index, text) in documents.iter().enumerate() {
        for pick in 0..2u8 {
            let mut data = vec![pick];
            data.extend_from_slice(text.as_bytes());
            add("keyset", format!("keyset-{index}-{pick}"), data);
        }
    }

    // Settings: flask-paseto-extended's, and every setting with keys of each kind.
    let wrapped =
        LocalKey::derive_from_secret(Version::V4, b"a key the seeds wrap, 32+ bytes...", "seed")
            .and_then(|key| key.to_wrapped_paserk(&keys::local(Version::V4)))
            .expect("a wrapped key");
    let settings = [
        flask["settings"].to_string(),
        json!({
            "PASETO_ISS": ISSUER,
            "PASETO_PRIVATE_KEYS": [{"paserk": keys::secret(Version::V4).to_paserk().to_string()},
                                    {"version": 3, "key": PEMS[5]}],
            "PASETO_PUBLIC_KEYS": [{"iss": "*", "paserk": keys::public(Version::V2).to_paserk()},
                                   {"iss": "https://pem.example", "version": "v4", "key": PEMS[1]}],
            "PASETO_LOCAL_KEYS": [{"paserk": wrapped}, {"paserk": keys::local(Version::V3).to_paserk().to_string(), "iss": "x"}],
            "PASETO_WRAPPING_KEY": keys::local(Version::V4).to_paserk().to_string(),
            "PASETO_EXP": 600, "PASETO_ACCESS_EXP": "300", "PASETO_REFRESH_EXP": 86400,
            "PASETO_LOGIN_MAX_AGE": 864000, "PASETO_REFRESH_REUSE_GRACE": 5,
            "PASETO_USE_ISS": true, "PASETO_USE_IAT": "yes", "PASETO_USE_KID": "1", "PASETO_USE_JTI": false,
            "PASETO_SKEW": 30, "PASETO_AUDIENCE": "api", "PASETO_ALLOWED_VERSIONS": "v4, v3, v2",
            "PASETO_ALLOW_NO_EXP": "off", "PASETO_VERIFY_CACHE_SIZE": 100, "PASETO_MAX_KEY_TRIALS": 2,
        })
        .to_string(),
        json!({"PASETO_KEY_PASSWORD": "correct horse battery staple",
               "PASETO_LOCAL_KEYS": [{"paserk": "k4.local-pw.AAAA"}]})
        .to_string(),
    ];
    for (index, text) in settings.iter().enumerate() {
        add(
            "settings",
            format!("settings-{index}"),
            text.clone().into_bytes(),
        );
    }

    // Cookie headers (0x01 cart "A", 0x02 other "B", 0x03 a foreign cart, 0x04 a CSRF value).
    let headers: [&[u8]; 8] = [
        b"cart=\x01",
        b"cart=\x01; other=\x02; __Host-csrf=\x04",
        b"other=\x01; cart=\x02",
        b"cart=\x03\0cart=\x01",
        b"__Host-csrf=\x04; __Host-csrf=\x04",
        b"theme=dark; cart=\"\x01\"; lang=en",
        b" cart = \x01 ;\t__Host-csrf=\x04",
        b"cart=\x01\0other=\x02\0__Host-csrf=\x04",
    ];
    for (index, header) in headers.iter().enumerate() {
        add("cookie_header", format!("cookies-{index}"), header.to_vec());
    }

    // CSRF forms: flags (method, cookie, header, origin, site, content type), then the fields.
    let forms: [(u8, &[u8]); 7] = [
        (4 | 8, b"__Host-csrf=\x01\0\x01\0\0\0\0a=b"),
        (4 | 64, b"__Host-csrf=\x01\0\0\0\0application/x-www-form-urlencoded\0a=1&csrf_token=\x01"),
        (4 | 8 | 16 | 32, b"__Host-csrf=\x01\0\x01\0https://trusted.example\0cross-site\0\0"),
        (4 | 8 | 16, b"__Host-csrf=\x01\0\x01\0https://evil.example\0\0\0"),
        (4 | 8 | 16 | 32, b"__Host-csrf=\x01\0\x01\0http://app.example\0same-site\0\0"),
        (3 | 4, b"__Host-csrf=\x01\0\0\0\0\0"),
        (1 | 4 | 64, b"__Host-csrf=\x01; __Host-csrf=\x01\0\0\0\0Application/X-WWW-Form-Urlencoded; charset=utf-8\0csrf_token=\x01"),
    ];
    for (index, (flags, fields)) in forms.iter().enumerate() {
        let mut data = vec![*flags];
        data.extend_from_slice(fields);
        add("csrf_form", format!("form-{index}"), data);
    }

    // Refresh requests: flags (method, content type, cookie, site, X-Requested-With), fields.
    let refreshes: [(u8, &[u8]); 7] = [
        (4, b"application/json\0\0\0{\"refresh_token\":\"\x01\"}"),
        (
            4,
            b"application/x-www-form-urlencoded\0\0\0grant_type=refresh_token&refresh_token=\x01",
        ),
        (
            4,
            b"application/json\0\0\0{\"refresh_token\":\"\x02\",\"grant_type\":\"refresh_token\"}",
        ),
        (8 | 32, b"\0__Secure-refresh_token=\x01\0\0"),
        (8 | 16 | 32, b"\0__Secure-refresh_token=\x01\0cross-site\0"),
        (8, b"\0__Secure-refresh_token=\x01\0\0"),
        (1 | 4, b"application/json\0\0\0{\"refresh_token\":\"\x01\"}"),
    ];
    for (index, (flags, fields)) in refreshes.iter().enumerate() {
        let mut data = vec![*flags];
        data.extend_from_slice(fields);
        add("refresh_body", format!("refresh-{index}"), data);
    }

    // Differential: each kind's tokens with the vectors' key, then with the key in the input.
    for (name, token) in &tokens {
        let Some(pick) = crate::differential::KINDS
            .iter()
            .position(|kind| token.starts_with(kind.prefix()))
        else {
            continue;
        };
        let implicit = paseto
            .iter()
            .find(|v| field(v, "token") == token)
            .map(|v| field(v, "implicit-assertion"))
            .unwrap_or_default();
        let kind = crate::differential::KINDS[pick];
        for own_key in [false, true] {
            let mut data = vec![pick as u8 | if own_key { 4 } else { 0 }];
            if own_key {
                data.extend_from_slice(
                    crate::b64_encode(&crate::differential::vector_key(kind)).as_bytes(),
                );
            }
            data.push(0);
            data.extend_from_slice(token.as_bytes());
            data.push(0);
            data.extend_from_slice(implicit.as_bytes());
            add(
                "differential",
                format!("{name}{}", if own_key { "-key" } else { "" }),
                data,
            );
        }
    }
    seeds
}

/// A v3.public token of `tokens` with its signature's `s` replaced by `n - s`: valid, and the
/// other spelling of the same token (see `verify_public`).
fn high_s(tokens: &[(String, String)]) -> String {
    use p384::elliptic_curve::ops::Neg;
    let (_, token) = tokens
        .iter()
        .find(|(name, _)| name == "v3-public")
        .expect("a v3.public seed");
    let rest = token.strip_prefix("v3.public.").expect("v3.public");
    let body = crate::b64_decode(rest).expect("canonical");
    let (payload, signature) = body.split_at(body.len() - 96);
    let signature = p384::ecdsa::Signature::from_slice(signature).expect("a signature");
    let (r, s) = signature.split_scalars();
    let flipped =
        p384::ecdsa::Signature::from_scalars(r.to_bytes(), s.neg().to_bytes()).expect("n - s");
    let mut body = payload.to_vec();
    body.extend_from_slice(&flipped.to_bytes());
    format!("v3.public.{}", crate::b64_encode(&body))
}
