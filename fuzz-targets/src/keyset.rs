//! `keyset`: the key-set document a verifier fetches from an issuer (and the CLI edits), through
//! [`KeySetDocument::parse`] within its limits.
//!
//! What must hold: a document either parses within its limits — no more bytes than `max_bytes`,
//! no more keys than `max_keys`, format version 1, each key a public PASERK in its one spelling
//! (whitespace around it aside) whose `pid` is its id, a non-empty issuer, times in order, no `pid` twice — or is refused with a
//! typed key-set error (`key_set`); a document that parses is written out by `to_json` (what the
//! publisher serves and the CLI writes back) as a document that parses to the same keys, times
//! kept to the second (the format writes whole seconds).

use paseto_auth::keyset::{DocumentLimits, KeySetDocument, PublishedKey};
use serde_json::Value;
use time::OffsetDateTime;

/// Runs one input: a byte that picks the limits, then the document.
pub fn run(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let limits = if pick % 2 == 0 {
        DocumentLimits::default()
    } else {
        DocumentLimits {
            max_bytes: 2048,
            max_keys: 2,
        }
    };
    let document = match KeySetDocument::parse(bytes, &limits) {
        Ok(document) => document,
        Err(err) => {
            assert_eq!(crate::kind(&err), "key_set", "{err}");
            return;
        }
    };
    assert!(
        bytes.len() <= limits.max_bytes,
        "a document over the size limit was read"
    );
    assert!(
        document.len() <= limits.max_keys,
        "more keys than the limit were read"
    );
    // What was read is what the text says (an oracle written apart from the document's reader;
    // serde_json's `Value` refuses lone surrogates that a field the reader ignores may hold).
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        assert_eq!(value["version"].as_u64(), Some(1));
        let listed = value["keys"].as_array().expect("a list of keys");
        assert_eq!(listed.len(), document.len());
        for (key, entry) in document.keys().iter().zip(listed) {
            // A PASERK is read with the whitespace around it trimmed, as everywhere.
            let paserk = entry["paserk"].as_str().map(str::trim);
            assert_eq!(paserk, Some(key.key.to_paserk().as_str()));
            assert_eq!(entry["pid"].as_str(), Some(key.pid().as_str()));
            assert_eq!(entry["iss"].as_str(), Some(key.iss.as_str()));
        }
    }
    let mut pids = std::collections::HashSet::new();
    for key in document.keys() {
        assert!(!key.iss.is_empty());
        assert!(
            pids.insert(key.pid().clone()),
            "a pid listed twice was read"
        );
        if let (Some(start), Some(end)) = (key.not_before, key.not_after) {
            assert!(start <= end, "times out of order were read");
        }
    }
    // Written out, it reads back to the same keys.
    let text = document.to_json();
    let unlimited = DocumentLimits {
        max_bytes: usize::MAX,
        max_keys: limits.max_keys,
    };
    let again = KeySetDocument::parse(text.as_bytes(), &unlimited)
        .unwrap_or_else(|err| panic!("a document written out does not read back ({err}): {text}"));
    assert_eq!(again.len(), document.len());
    for (read, written) in document.keys().iter().zip(again.keys()) {
        assert_eq!(whole_seconds(read), whole_seconds(written));
    }
}

/// A key with its times truncated to the second, as the document format writes them.
fn whole_seconds(key: &PublishedKey) -> PublishedKey {
    let truncate = |time: Option<OffsetDateTime>| {
        time.map(|t| t.replace_nanosecond(0).expect("zero nanoseconds"))
    };
    PublishedKey {
        not_before: truncate(key.not_before),
        not_after: truncate(key.not_after),
        ..key.clone()
    }
}
