//! `paseto-auth wrap | unwrap | seal | unseal`, end to end: every version and kind round trips,
//! and strangers, wrong passwords, hostile costs and the wrong kinds of key fail with their
//! error kind.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;
use support::{cli, fails, ok};

/// The keys `keygen` prints for `kind`.
fn keygen(kind: &str) -> Value {
    serde_json::from_str(&ok(&["keygen", kind])).unwrap()
}

fn field(keys: &Value, name: &str) -> String {
    keys[name].as_str().unwrap().to_owned()
}

/// A file in a fresh temporary directory of its own holding `contents`: tests run in parallel,
/// and two that wrote the same path would read each other's contents.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "paseto-auth-cli-protected-{}-{count}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn keys_of_every_version_and_kind_wrap_and_unwrap_with_a_wrapping_key() {
    for version in ["v4", "v3", "v2"] {
        let wrapping = field(&keygen(&format!("{version}.local")), "local");
        let prefix = version.replace('v', "k");
        for (kind, name, wrapped_type) in [
            ("local", "local", "local-wrap.pie"),
            ("public", "secret", "secret-wrap.pie"),
        ] {
            let key = field(&keygen(&format!("{version}.{kind}")), name);
            let wrapped = ok(&["wrap", "--wrapping-key", &wrapping, &key]);
            assert!(
                wrapped.starts_with(&format!("{prefix}.{wrapped_type}.")),
                "{wrapped}"
            );
            assert_eq!(ok(&["unwrap", "--wrapping-key", &wrapping, &wrapped]), key);
            let stranger = field(&keygen(&format!("{version}.local")), "local");
            let err = fails(&["unwrap", "--wrapping-key", &stranger, &wrapped]);
            assert_eq!(
                err,
                "error: unwrap_failed: the key cannot be unwrapped: the wrapping key is wrong, \
                 or the PASERK was altered"
            );
            assert!(!err.contains(&key) && !err.contains(&stranger));
            // Other commands take keys, not protected ones, and say how to unlock them.
            assert_eq!(
                fails(&["key", &wrapped]),
                "error: invalid_key: invalid key: this PASERK is a protected key: unlock it with \
                 its wrapping key first (paseto_auth::key::protected, or `paseto-auth \
                 unwrap`/`unseal`)"
            );
        }
    }
    // A wrapping key of another version, or of another kind.
    let key = field(&keygen("v4.local"), "local");
    let v3 = field(&keygen("v3.local"), "local");
    assert_eq!(
        fails(&["wrap", "--wrapping-key", &v3, &key]),
        "error: invalid_key: invalid key: a k4 key is protected with a k4 wrapping key, not a k3 one"
    );
    let secret = field(&keygen("v4.public"), "secret");
    assert_eq!(
        fails(&["wrap", "--wrapping-key", &secret, &key]),
        "error: invalid_key: invalid key: the wrapping key must be a local key (kN.local.…), \
         not a k4.secret key"
    );
    let public = field(&keygen("v4.public"), "public");
    let wrapping = field(&keygen("v4.local"), "local");
    assert_eq!(
        fails(&["wrap", "--wrapping-key", &wrapping, &public]),
        "error: invalid_key: invalid key: a public key is not secret: it is published as it is, \
         never wrapped"
    );
}

#[test]
fn keys_wrap_and_unwrap_with_a_password_file() {
    let password = temp_file("password", "correct horse battery staple\n");
    let password = password.to_str().unwrap();
    let other = temp_file("other", "correct horse battery stable\n");
    let other = other.to_str().unwrap();
    let cases: [(&str, &str, &[&str]); 4] = [
        // The default costs, and small ones.
        ("v4.local", "local", &[]),
        (
            "v2.public",
            "secret",
            &[
                "--memory-kib",
                "1024",
                "--iterations",
                "1",
                "--parallelism",
                "2",
            ],
        ),
        ("v3.local", "local", &["--iterations", "1000"]),
        ("v3.public", "secret", &["--iterations", "1000"]),
    ];
    for (kind, name, costs) in cases {
        let key = field(&keygen(kind), name);
        let mut args = vec!["wrap", "--password-file", password];
        args.extend_from_slice(costs);
        args.push(&key);
        let locked = ok(&args);
        let prefix = kind[..2].replace('v', "k");
        let expected_type = if name == "local" {
            "local-pw"
        } else {
            "secret-pw"
        };
        assert!(
            locked.starts_with(&format!("{prefix}.{expected_type}.")),
            "{locked}"
        );
        assert_eq!(
            ok(&["unwrap", "--password-file", password, &locked]),
            key,
            "{kind}"
        );
        assert_eq!(
            fails(&["unwrap", "--password-file", other, &locked]),
            "error: unwrap_failed: the key cannot be unwrapped: the password is wrong, or the \
             PASERK was altered"
        );
    }
    // One trailing newline is not part of the password; anything else is.
    let key = field(&keygen("v4.local"), "local");
    let bare = temp_file("bare", "correct horse battery staple");
    let crlf = temp_file("crlf", "correct horse battery staple\r\n");
    let spaced = temp_file("spaced", "correct horse battery staple \n");
    let locked = ok(&[
        "wrap",
        "--password-file",
        bare.to_str().unwrap(),
        "--memory-kib",
        "64",
        "--iterations",
        "1",
        &key,
    ]);
    assert_eq!(ok(&["unwrap", "--password-file", password, &locked]), key);
    assert_eq!(
        ok(&["unwrap", "--password-file", crlf.to_str().unwrap(), &locked]),
        key
    );
    assert!(
        fails(&[
            "unwrap",
            "--password-file",
            spaced.to_str().unwrap(),
            &locked
        ])
        .starts_with("error: unwrap_failed: ")
    );
    // From a file and from standard input too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_paseto-auth"))
        .args(["unwrap", "--password-file", password, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{locked}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), key);
    let file = temp_file("locked", &format!("{locked}\n"));
    assert_eq!(
        ok(&[
            "unwrap",
            "--password-file",
            password,
            &format!("@{}", file.display())
        ]),
        key
    );
}

#[test]
fn password_costs_and_files_are_checked() {
    let password = temp_file("password", "correct horse battery staple");
    let password = password.to_str().unwrap();
    let key = field(&keygen("v4.local"), "local");
    let locked = ok(&[
        "wrap",
        "--password-file",
        password,
        "--memory-kib",
        "1024",
        "--iterations",
        "1",
        &key,
    ]);
    // Limits below the PASERK's costs refuse it; the defaults take it.
    assert_eq!(
        fails(&[
            "unwrap",
            "--password-file",
            password,
            "--max-memory-kib",
            "512",
            &locked
        ]),
        "error: password_cost: password hashing cost refused: the PASERK asks for Argon2 memory \
         1024 KiB, over the limit of 512 KiB"
    );
    // A hostile PASERK asking for 16 GiB and 2^32 - 1 passes is refused at once.
    let locked_data = locked.strip_prefix("k4.local-pw.").unwrap();
    let mut bytes = base64_decode(locked_data);
    bytes[16..24].copy_from_slice(&(16u64 << 30).to_be_bytes());
    bytes[24..28].copy_from_slice(&u32::MAX.to_be_bytes());
    let hostile = format!("k4.local-pw.{}", base64_encode(&bytes));
    let started = Instant::now();
    assert_eq!(
        fails(&["unwrap", "--password-file", password, &hostile]),
        "error: password_cost: password hashing cost refused: the PASERK asks for Argon2 memory \
         16777216 KiB, over the limit of 262144 KiB"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // k3 is PBKDF2: Argon2's options are refused.
    let v3 = field(&keygen("v3.local"), "local");
    assert_eq!(
        fails(&[
            "wrap",
            "--password-file",
            password,
            "--memory-kib",
            "1024",
            &v3
        ]),
        "error: password_cost: password hashing cost refused: --memory-kib and --parallelism are \
         Argon2id's (k2/k4); a k3 key is wrapped with PBKDF2-SHA384, whose cost is --iterations"
    );
    assert_eq!(
        fails(&[
            "wrap",
            "--password-file",
            password,
            "--iterations",
            "0",
            &key
        ]),
        "error: password_cost: password hashing cost refused: Argon2 refuses memory 65536 KiB, \
         time cost 0, parallelism 1: time cost is too small"
    );
    // Files: missing, empty.
    let missing = format!("{password}.missing");
    assert!(
        fails(&["wrap", "--password-file", &missing, &key])
            .starts_with(&format!("error: invalid_key: invalid key: {missing}: "))
    );
    let empty = temp_file("empty", "\n");
    assert_eq!(
        fails(&["wrap", "--password-file", empty.to_str().unwrap(), &key]),
        format!(
            "error: invalid_key: invalid key: {}: the password is empty",
            empty.display()
        )
    );
    // Exactly one of --wrapping-key and --password-file (a usage error, status 2), and cost
    // options only with a password.
    assert_eq!(cli(&["wrap", &key]).status.code(), Some(2));
    assert_eq!(
        cli(&[
            "wrap",
            "--wrapping-key",
            &key,
            "--password-file",
            password,
            &key
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        cli(&["wrap", "--wrapping-key", &key, "--memory-kib", "64", &key])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn local_keys_seal_to_public_keys_and_unseal_with_the_secret_key() {
    for version in ["v4", "v3", "v2"] {
        let recipient = keygen(&format!("{version}.public"));
        let (secret, public) = (field(&recipient, "secret"), field(&recipient, "public"));
        let key = field(&keygen(&format!("{version}.local")), "local");
        let prefix = version.replace('v', "k");
        // To the public key, or to a secret key's public key.
        for to in [&public, &secret] {
            let sealed = ok(&["seal", "--key", to, &key]);
            assert!(sealed.starts_with(&format!("{prefix}.seal.")), "{sealed}");
            assert_eq!(ok(&["unseal", "--key", &secret, &sealed]), key);
            let stranger = field(&keygen(&format!("{version}.public")), "secret");
            assert_eq!(
                fails(&["unseal", "--key", &stranger, &sealed]),
                "error: unwrap_failed: the key cannot be unwrapped: it was sealed to another \
                 key, or the PASERK was altered"
            );
        }
        assert_eq!(
            fails(&[
                "unseal",
                "--key",
                &public,
                &ok(&["seal", "--key", &public, &key])
            ]),
            format!(
                "error: invalid_key: invalid key: --key must be the secret key the PASERK was \
                 sealed to, not a {prefix}.public key"
            )
        );
        assert_eq!(
            fails(&["seal", "--key", &public, &secret]),
            format!(
                "error: invalid_key: invalid key: only local keys are sealed, not a {prefix}.secret key"
            )
        );
    }
    let v4 = field(&keygen("v4.public"), "public");
    let v3_key = field(&keygen("v3.local"), "local");
    assert_eq!(
        fails(&["seal", "--key", &v4, &v3_key]),
        "error: invalid_key: invalid key: a k3 key is protected with a k3 public key, not a k4 one"
    );
    assert_eq!(
        fails(&[
            "unseal",
            "--key",
            &field(&keygen("v4.public"), "secret"),
            "k4.seal.!!"
        ]),
        "error: invalid_key: invalid key: the data of a k4.seal PASERK is not unpadded base64url"
    );
}

/// Unpadded base64url, for forging PASERKs.
fn base64_encode(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(text).unwrap()
}
