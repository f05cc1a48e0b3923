//! The `paseto-auth` command line, end to end: keygen → issue → verify for all six kinds,
//! refusals by other keys, other versions and tampering, and inspect.

use serde_json::Value;

mod support;
use support::{cli, fails, ok};

const KINDS: [&str; 6] = [
    "v4.public",
    "v4.local",
    "v3.public",
    "v3.local",
    "v2.public",
    "v2.local",
];

/// (signing key, verification key) PASERKs of a fresh key of `kind`.
fn keygen(kind: &str) -> (String, String) {
    let keys: Value = serde_json::from_str(&ok(&["keygen", kind])).unwrap();
    match keys.get("local") {
        Some(local) => {
            assert!(keys["lid"].as_str().unwrap().contains(".lid."));
            (
                local.as_str().unwrap().to_owned(),
                local.as_str().unwrap().to_owned(),
            )
        }
        None => {
            assert!(keys["sid"].as_str().unwrap().contains(".sid."));
            assert!(keys["pid"].as_str().unwrap().contains(".pid."));
            (
                keys["secret"].as_str().unwrap().to_owned(),
                keys["public"].as_str().unwrap().to_owned(),
            )
        }
    }
}

#[test]
fn every_kind_round_trips_and_refuses_strangers_and_tampering() {
    for kind in KINDS {
        let (signing, verifying) = keygen(kind);
        let token = ok(&[
            "issue",
            "--key",
            &signing,
            "--claims",
            r#"{"user":"alice"}"#,
            "--iss",
            "me",
            "--iat",
            "--kid",
        ]);
        assert!(token.starts_with(&format!("{kind}.")), "{kind}: {token}");
        let payload: Value =
            serde_json::from_str(&ok(&["verify", "--key", &verifying, "--iss", "me", &token]))
                .unwrap();
        assert_eq!(payload["user"], "alice", "{kind}");
        assert_eq!(payload["iss"], "me");

        let (_, stranger) = keygen(kind);
        let err = fails(&["verify", "--key", &stranger, &token]);
        assert!(err.starts_with("error: unknown_key_id: "), "{kind}: {err}");
        let no_kid = ok(&["issue", "--key", &signing]);
        let err = fails(&["verify", "--key", &stranger, &no_kid]);
        assert!(
            err.starts_with("error: invalid_signature: "),
            "{kind}: {err}"
        );

        let other_version = KINDS
            .iter()
            .find(|k| k[2..] == kind[2..] && **k != kind)
            .unwrap();
        let (_, other) = keygen(other_version);
        let err = fails(&["verify", "--key", &other, &token]);
        assert!(
            err.starts_with("error: version_not_allowed: "),
            "{kind} vs {other_version}: {err}"
        );

        let prefix = kind.len() + 1;
        for index in (prefix..token.len()).step_by(7) {
            let mut bytes = token.clone().into_bytes();
            bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            let err = fails(&["verify", "--key", &verifying, &tampered]);
            assert!(err.starts_with("error: "), "{kind} byte {index}: {err}");
        }
    }
}

#[test]
fn verify_reports_the_error_kind() {
    let (secret, public) = keygen("v4.public");
    let token = ok(&["issue", "--key", &secret, "--iss", "a", "--no-exp"]);
    assert!(
        fails(&["verify", "--key", &public, &token]).starts_with("error: missing_expiration: ")
    );
    assert!(ok(&["verify", "--key", &public, "--allow-no-exp", &token]).contains(r#""iss":"a""#));
    assert!(
        fails(&[
            "verify",
            "--key",
            &public,
            "--iss",
            "b",
            "--allow-no-exp",
            &token
        ])
        .starts_with("error: issuer_mismatch: ")
    );
    assert!(fails(&["verify", "--key", &public, "garbage"]).starts_with("error: malformed: "));
    let aud = ok(&["issue", "--key", &secret, "--aud", "api"]);
    assert!(
        fails(&["verify", "--key", &public, "--aud", "web", &aud])
            .starts_with("error: audience_not_accepted: ")
    );
}

#[test]
fn issue_pair_prints_a_token_response_whose_access_token_verifies() {
    let (secret, public) = keygen("v4.public");
    let args = [
        "issue",
        "--key",
        &secret,
        "--iss",
        "a",
        "--sub",
        "alice",
        "--pair",
        "--exp",
        "60",
        "--refresh-exp",
        "3600",
        "--claims",
        r#"{"role":"admin"}"#,
    ];
    let pair: Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(
        (&pair["expires_in"], &pair["refresh_expires_in"]),
        (&60.into(), &3600.into())
    );
    let access = pair["access_token"].as_str().unwrap();
    let claims: Value =
        serde_json::from_str(&ok(&["verify", "--key", &public, "--iss", "a", access])).unwrap();
    assert_eq!(
        (&claims["sub"], &claims["role"], &claims["fresh"]),
        (&"alice".into(), &"admin".into(), &true.into())
    );
    assert!(claims["fam"].is_string() && claims["jti"].is_string() && claims["iat"].is_string());
    // The refresh token is not an access token.
    let refresh = pair["refresh_token"].as_str().unwrap();
    assert!(
        fails(&["verify", "--key", &public, "--iss", "a", refresh])
            .starts_with("error: invalid_signature: ")
    );
    // A pair has no fixed jti, and a refresh token that does not outlive its access token is refused.
    assert_eq!(
        cli(&["issue", "--key", &secret, "--pair", "--jti", "x"])
            .status
            .code(),
        Some(2)
    );
    assert!(
        fails(&[
            "issue",
            "--key",
            &secret,
            "--pair",
            "--exp",
            "60",
            "--refresh-exp",
            "60"
        ])
        .starts_with("error: setup: ")
    );
}

#[test]
fn key_describes_and_inspect_shows_without_verifying() {
    let (secret, _) = keygen("v4.public");
    let described: Value = serde_json::from_str(&ok(&["key", &secret])).unwrap();
    assert_eq!(described["version"], "v4");
    assert_eq!(described["purpose"], "public");
    assert!(described["id"].as_str().unwrap().starts_with("k4.sid."));
    assert!(
        described["public"]
            .as_str()
            .unwrap()
            .starts_with("k4.public.")
    );

    let token = ok(&[
        "issue",
        "--key",
        &secret,
        "--claims",
        r#"{"n":1}"#,
        "--footer",
        "plain text",
    ]);
    let shown: Value = serde_json::from_str(&ok(&["inspect", &token])).unwrap();
    assert_eq!(shown["version"], "v4");
    assert_eq!(shown["purpose"], "public");
    assert_eq!(shown["footer"], "plain text");
    assert_eq!(shown["payload"]["n"], 1);
    assert_eq!(shown["verified"], false);

    let (local, _) = keygen("v4.local");
    let sealed = ok(&["issue", "--key", &local, "--claims", r#"{"n":1}"#]);
    let shown: Value = serde_json::from_str(&ok(&["inspect", &sealed])).unwrap();
    assert_eq!(shown["payload"], Value::Null);
}

#[test]
fn pem_keys_and_files_are_accepted() {
    let dir = std::env::temp_dir().join(format!("paseto-auth-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret.pem");
    let public = dir.join("public.pem");
    // The key pair from flask-paseto-extended's README.
    std::fs::write(&secret, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILTL+0PfTOIQcn2VPkpxMwf6Gbt9n4UEFDjZ4RuUKjd0\n-----END PRIVATE KEY-----\n").unwrap();
    std::fs::write(&public, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAHrnbu7wEfAP9cGBOAHHwmH4Wsot1ciXBHwBBXQ4gsaI=\n-----END PUBLIC KEY-----\n").unwrap();
    let (s, p) = (
        format!("@{}", secret.display()),
        format!("@{}", public.display()),
    );
    for version in ["v4", "v2"] {
        let token = ok(&["issue", "--key", &s, "--version", version]);
        assert!(token.starts_with(&format!("{version}.public.")));
        ok(&["verify", "--key", &p, "--version", version, &token]);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn pem_keys_given_as_values_are_accepted() {
    // `--key "$(cat key.pem)"`: the value starts with `-----BEGIN`, which must not read as an
    // option. Ed25519 keys make v4 tokens, or v2 ones with `--version v2`; P-384 keys v3 ones.
    let ed25519 = (
        include_str!("../../paseto-auth-core/tests/keys/ed25519.pem"),
        include_str!("../../paseto-auth-core/tests/keys/ed25519.pub.pem"),
    );
    let p384 = (
        include_str!("../../paseto-auth-core/tests/keys/p384.pem"),
        include_str!("../../paseto-auth-core/tests/keys/p384.pub.pem"),
    );
    for (version, (secret, public)) in [("v4", ed25519), ("v2", ed25519), ("v3", p384)] {
        let token = ok(&[
            "issue",
            "--key",
            secret,
            "--version",
            version,
            "--iss",
            "me",
        ]);
        assert!(
            token.starts_with(&format!("{version}.public.")),
            "{version}: {token}"
        );
        let payload: Value = serde_json::from_str(&ok(&[
            "verify",
            "--key",
            public,
            "--version",
            version,
            "--iss",
            "me",
            &token,
        ]))
        .unwrap();
        assert_eq!(payload["iss"], "me", "{version}");
        let described: Value =
            serde_json::from_str(&ok(&["key", secret, "--version", version])).unwrap();
        assert_eq!(described["version"], version);
    }
    // Other text options take values that begin with `-` too.
    let (secret, public) = keygen("v4.public");
    let token = ok(&[
        "issue",
        "--key",
        &secret,
        "--implicit",
        "-bound",
        "--footer",
        "-x",
    ]);
    ok(&["verify", "--key", &public, "--implicit", "-bound", &token]);
}

#[allow(dead_code)]
#[path = "../../tests/support/redis.rs"]
mod redis_support;

/// Whether the store under `prefix` at `url` says `token` is revoked, and why.
fn revoked_by(
    url: &str,
    prefix: &str,
    token: paseto_auth::store::TokenRef<'_>,
) -> Option<paseto_auth::store::RevokedBy> {
    use paseto_auth::store::TokenStore;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // As for a store kept since before the token (the command wrote a new store's marker).
        let store = redis_support::with_history(url, prefix).await;
        store.check(token).await.unwrap()
    })
}

#[test]
fn revoke_records_token_family_subject_and_key_revocations_in_redis() {
    use paseto_auth::store::{RevokedBy, TokenRef};
    let Some(url) = redis_support::shared_url() else {
        return;
    };
    let prefix = redis_support::unique_prefix();
    let base = [
        "revoke",
        "--redis",
        url.as_str(),
        "--prefix",
        prefix.as_str(),
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        serde_json::from_str::<Value>(&ok(&args)).unwrap()
    };
    let out = run(&["--jti", "stolen-token", "--until", "2099-01-01T00:00:00Z"]);
    assert_eq!(out["revoked"], "token_id");
    assert_eq!(out["until"], "2099-01-01T00:00:00Z");
    let out = run(&["--sub", "-alice", "--before", "2030-01-01T00:00:00Z"]);
    assert_eq!(
        (&out["revoked"], &out["sub"]),
        (&"subject".into(), &"-alice".into())
    );
    let out = run(&["--kid", "k4.pid.compromised"]);
    assert_eq!(out["revoked"], "key");
    let out = run(&["--fam", "stolen-login", "--until", "2099-01-01T00:00:00Z"]);
    assert_eq!(
        (&out["revoked"], &out["fam"]),
        (&"family".into(), &"stolen-login".into())
    );

    let token = |jti, sub, kid| TokenRef {
        token_id: Some(jti),
        family: Some(jti),
        subject: Some(sub),
        issued_at: Some(time::OffsetDateTime::now_utc()),
        key_id: Some(kid),
    };
    let check = |t| revoked_by(&url, &prefix, t);
    assert_eq!(
        check(token("stolen-token", "bob", "k4.pid.ok")),
        Some(RevokedBy::TokenId)
    );
    assert_eq!(
        check(token("fine", "-alice", "k4.pid.ok")),
        Some(RevokedBy::Subject)
    );
    assert_eq!(
        check(token("fine", "bob", "k4.pid.compromised")),
        Some(RevokedBy::Key)
    );
    assert_eq!(
        check(token("stolen-login", "bob", "k4.pid.ok")),
        Some(RevokedBy::Family)
    );
    assert_eq!(check(token("fine", "bob", "k4.pid.ok")), None);

    // One target, exactly; and a server that is not there is an error, not a hang.
    let out = cli(&[
        "revoke",
        "--redis",
        url.as_str(),
        "--jti",
        "a",
        "--sub",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(2), "clap refuses two targets");
    let err = fails(&[
        "revoke",
        "--redis",
        "redis://127.0.0.1:1",
        "--kid",
        "k4.pid.x",
    ]);
    assert!(err.starts_with("error: setup: cannot reach Redis"), "{err}");
}
