//! `paseto-auth keyset`: a document from key files, then a rotation step by step (add a next
//! key, activate it, prune), each step read back with the library's parser.

use paseto_auth::keyset::{DocumentLimits, KeySetDocument, KeyStatus};
use serde_json::Value;

mod support;
use support::{fails, ok};

/// (secret PASERK, pid) of a fresh v4 key.
fn keygen() -> (String, String) {
    let keys: Value = serde_json::from_str(&ok(&["keygen", "v4.public"])).unwrap();
    (
        keys["secret"].as_str().unwrap().to_owned(),
        keys["pid"].as_str().unwrap().to_owned(),
    )
}

fn read(text: &str) -> KeySetDocument {
    KeySetDocument::parse(text.as_bytes(), &DocumentLimits::default()).unwrap()
}

fn status(document: &KeySetDocument, pid: &str) -> Option<KeyStatus> {
    document
        .keys()
        .iter()
        .find(|key| key.pid().as_str() == pid)
        .map(|key| key.status)
}

#[test]
fn a_document_from_key_files_then_a_rotation_step_by_step() {
    let dir = std::env::temp_dir().join(format!("paseto-auth-keyset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (old, old_pid) = keygen();
    let (new, new_pid) = keygen();
    let old_file = dir.join("old.paserk");
    std::fs::write(&old_file, &old).unwrap();
    let at_old = format!("@{}", old_file.display());
    let doc_file = dir.join("paserk.json");
    let doc_path = doc_file.to_str().unwrap();

    let text = ok(&[
        "keyset",
        "new",
        "--iss",
        "https://issuer.example",
        "--active",
        &at_old,
    ]);
    let document = read(&text);
    assert_eq!(document.len(), 1);
    assert_eq!(status(&document, &old_pid), Some(KeyStatus::Active));
    assert!(!text.contains(&old), "the secret key must not be printed");
    std::fs::write(&doc_file, &text).unwrap();

    ok(&[
        "keyset",
        "add",
        "--document",
        doc_path,
        "--write",
        "--iss",
        "https://issuer.example",
        "--next",
        &new,
    ]);
    let document = read(&std::fs::read_to_string(&doc_file).unwrap());
    assert_eq!(status(&document, &new_pid), Some(KeyStatus::Next));

    // Printed without --write: the file keeps the next key.
    let printed = ok(&[
        "keyset",
        "activate",
        "--document",
        doc_path,
        "--pid",
        &new_pid,
        "--grace",
        "0",
    ]);
    assert_eq!(status(&read(&printed), &new_pid), Some(KeyStatus::Active));
    let document = read(&std::fs::read_to_string(&doc_file).unwrap());
    assert_eq!(status(&document, &new_pid), Some(KeyStatus::Next));

    ok(&[
        "keyset",
        "activate",
        "--document",
        doc_path,
        "--write",
        "--pid",
        &new_pid,
        "--grace",
        "0",
    ]);
    let document = read(&std::fs::read_to_string(&doc_file).unwrap());
    assert_eq!(status(&document, &new_pid), Some(KeyStatus::Active));
    assert_eq!(status(&document, &old_pid), Some(KeyStatus::Retired));
    let err = fails(&[
        "keyset",
        "activate",
        "--document",
        doc_path,
        "--pid",
        &old_pid,
    ]);
    assert_eq!(
        err,
        format!(
            "error: key_set: key set: key {old_pid} is retired; only a next key can become active"
        )
    );

    // Its grace was 0 s: pruned now.
    ok(&["keyset", "prune", "--document", doc_path, "--write"]);
    let document = read(&std::fs::read_to_string(&doc_file).unwrap());
    assert_eq!(document.len(), 1);
    assert_eq!(status(&document, &old_pid), None);

    let err = fails(&[
        "keyset",
        "retire",
        "--document",
        doc_path,
        "--pid",
        "k4.lid.AAAA",
    ]);
    assert_eq!(
        err,
        "error: invalid_key: invalid key: --pid expects a public key id (kN.pid.…)"
    );
    let local: Value = serde_json::from_str(&ok(&["keygen", "v4.local"])).unwrap();
    let err = fails(&[
        "keyset",
        "new",
        "--iss",
        "x",
        "--active",
        local["local"].as_str().unwrap(),
    ]);
    assert_eq!(
        err,
        "error: invalid_key: invalid key: a local key is never published: give a public or secret key"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
