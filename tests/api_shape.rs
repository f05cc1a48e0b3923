//! Rules on the shape of the public API that no compiler checks: an error enum stays small enough
//! to match on (errors are split by domain instead of growing one enum).

use std::fs;
use std::path::{Path, PathBuf};

/// The most variants a public error enum may have.
const MAX_ERROR_VARIANTS: usize = 25;

/// The crates whose public errors users match on.
const CRATES: [&str; 3] = [
    "paseto-auth-core/src",
    "paseto-auth/src",
    "paseto-auth-redis/src",
];

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// Each `pub enum` named `…Error` or `…Kind` in `text`, with its number of variants: the lines
/// of its body one indentation step in that start with a capital letter.
fn error_enums(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("pub enum ") else {
            continue;
        };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        if !(name.ends_with("Error") || name.ends_with("Kind")) {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let inner = " ".repeat(indent + 4);
        let close = format!("{}}}", " ".repeat(indent));
        let variants = lines[i + 1..]
            .iter()
            .take_while(|l| **l != close)
            .filter(|l| {
                l.strip_prefix(&inner)
                    .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_uppercase()))
            })
            .count();
        found.push((name, variants));
    }
    found
}

#[test]
fn no_public_error_enum_has_more_than_25_variants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for krate in CRATES {
        rust_files(&root.join(krate), &mut files);
    }
    let mut seen = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (name, variants) in error_enums(&text) {
            assert!(
                variants <= MAX_ERROR_VARIANTS,
                "{name} ({}) has {variants} variants, over {MAX_ERROR_VARIANTS}: split it by domain",
                file.display()
            );
            seen.push(name);
        }
    }
    for expected in [
        "Error",
        "TokenError",
        "ClaimError",
        "StoreError",
        "KeySetError",
    ] {
        assert!(
            seen.iter().any(|name| name == expected),
            "the scan found the error enums: {seen:?}"
        );
    }
}

#[test]
fn the_scan_counts_variants() {
    let text = "pub enum SomeError {\n    /// doc\n    #[error(\"a\")]\n    A,\n    B(String),\n    C {\n        field: u8,\n    },\n}\n";
    assert_eq!(error_enums(text), vec![("SomeError".to_owned(), 3)]);
}
