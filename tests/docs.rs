//! The docs cannot fall behind the code: the parts the README shares with the crate's guide are the
//! same text, the reference lists every error kind and every setting the code has (each with the
//! anchor its config errors link to), and the feature table every feature.

use std::fs;
use std::path::{Path, PathBuf};

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Each `<!-- shared: NAME -->…<!-- /shared -->` block of `text`, whole.
fn shared_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!-- shared: ") {
        let end = rest[start..]
            .find("<!-- /shared -->")
            .expect("an unclosed shared block")
            + start;
        blocks.push(&rest[start..end + "<!-- /shared -->".len()]);
        rest = &rest[end..];
    }
    blocks
}

#[test]
fn the_readme_says_what_the_guide_says_in_the_same_words() {
    let (guide, readme) = (read("paseto-auth/docs/guide.md"), read("README.md"));
    let blocks = shared_blocks(&guide);
    assert!(
        blocks.len() >= 2,
        "the guide shares its intro and feature table"
    );
    for block in blocks {
        assert!(
            readme.contains(block),
            "the README differs from the guide in:\n{block}"
        );
    }
}

/// The `.rs` files under `dir`, each with its text before its first `#[cfg(test)]` (tests may name
/// settings that do not exist, to show they are refused).
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_owned();
            files.push((path, code));
        }
    }
    files
}

/// The string literals of `code` that are a whole setting name: `"PASETO_…"`, `"REMEMBER_COOKIE_…"`
/// (not a namespace's prefix, such as `"PASETO_KEYSET_"`, which ends with `_`).
fn setting_names(code: &str) -> Vec<String> {
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| {
            (literal.starts_with("PASETO_") || literal.starts_with("REMEMBER_COOKIE_"))
                && literal.len() > "PASETO_".len()
                && !literal.ends_with('_')
                && literal
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_reference_names_every_setting_the_code_reads() {
    let reference = read("paseto-auth/docs/reference.md");
    let names = every_setting_name();
    assert!(names.len() > 30, "the scan found the settings: {names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| !reference.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "settings missing from docs/reference.md: {missing:?}"
    );
}

/// Every setting name the code reads, from its string literals.
fn every_setting_name() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = [
        "paseto-auth-core/src",
        "paseto-auth/src",
        "paseto-auth-redis/src",
        "paseto-auth-postgres/src",
        "examples",
    ]
    .iter()
    .flat_map(|dir| sources(&root.join(dir)))
    .flat_map(|(_, code)| setting_names(&code))
    .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_setting_belongs_to_the_namespace_of_the_component_reading_it() {
    use paseto_auth::settings::Namespace;
    let namespaces: [(&str, Namespace); 8] = [
        ("PasetoConfig", paseto_auth::config::PasetoConfig::NAMESPACE),
        (
            "KeySetSettings",
            paseto_auth::keyset::KeySetSettings::NAMESPACE,
        ),
        ("Revocations", paseto_auth::store::Revocations::NAMESPACE),
        ("RedisStore", paseto_auth::store::RedisStore::NAMESPACE),
        (
            "PostgresStore",
            paseto_auth::store::PostgresStore::NAMESPACE,
        ),
        (
            "MirrorSettings",
            paseto_auth::store::mirror::MirrorSettings::NAMESPACE,
        ),
        ("CsrfSettings", paseto_auth::csrf::CsrfSettings::NAMESPACE),
        (
            "CookieSettings",
            paseto_auth::login::CookieSettings::NAMESPACE,
        ),
    ];
    // The examples' own, read from the environment only.
    let own = ["PASETO_AUTH_ADDR"];
    let names = every_setting_name();
    assert!(names.len() > 30, "the scan found the settings: {names:?}");
    for name in names.iter().filter(|name| !own.contains(&name.as_str())) {
        let owners: Vec<&str> = namespaces
            .iter()
            .filter(|(_, namespace)| namespace.owns(name))
            .map(|(owner, _)| *owner)
            .collect();
        assert_eq!(owners.len(), 1, "{name} is owned by {owners:?}");
        let (_, namespace) = namespaces
            .iter()
            .find(|(owner, _)| *owner == owners[0])
            .unwrap();
        assert!(
            namespace.names.contains(&name.as_str()),
            "{name} is not among the names {} reads",
            owners[0]
        );
    }
    for (owner, namespace) in &namespaces {
        for name in namespace.names {
            assert!(
                names.contains(&(*name).to_owned()),
                "{owner} lists {name}, which no code reads"
            );
        }
    }
}

/// The anchor a config error about `setting` links to, from its message (`…; see URL#anchor`).
fn linked_anchor(setting: &str) -> String {
    let message = paseto_auth::Error::config(setting, "is wrong").to_string();
    let (page, anchor) = message
        .rsplit_once("; see ")
        .and_then(|(_, url)| url.split_once('#'))
        .unwrap_or_else(|| panic!("no link at the end of {message:?}"));
    // The page is the `paseto_auth::reference` module's, as docs.rs publishes it.
    assert_eq!(
        page,
        "https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html"
    );
    anchor.to_owned()
}

#[test]
fn every_config_error_links_to_an_anchor_of_the_reference() {
    // The module the link's path names (`paseto_auth/reference/`).
    #[allow(unused_imports)]
    use paseto_auth::reference as _;
    let reference = read("paseto-auth/docs/reference.md");
    // Each setting of each component's namespace, each name the code reads, and the examples'
    // own: its anchor is on its own row (rustdoc keeps the inline HTML id), once.
    let namespaces = [
        paseto_auth::config::PasetoConfig::NAMESPACE,
        paseto_auth::keyset::KeySetSettings::NAMESPACE,
        paseto_auth::store::Revocations::NAMESPACE,
        paseto_auth::store::RedisStore::NAMESPACE,
        paseto_auth::store::PostgresStore::NAMESPACE,
        paseto_auth::csrf::CsrfSettings::NAMESPACE,
        paseto_auth::login::CookieSettings::NAMESPACE,
    ];
    let mut names: Vec<String> = namespaces
        .iter()
        .flat_map(|namespace| namespace.names.iter().map(|name| (*name).to_owned()))
        .chain(every_setting_name())
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() > 50, "the settings: {names:?}");
    for name in &names {
        let anchor = linked_anchor(name);
        let id = format!("<a id=\"{anchor}\"></a>");
        assert_eq!(
            reference.matches(&id).count(),
            1,
            "{name}: docs/reference.md needs {id} once"
        );
        assert!(
            reference.contains(&format!("| {id}`{name}` |")),
            "{name}: {id} is not on the setting's row"
        );
    }
    // Errors about a file of settings, JSON text (`config`) or a builder's option link the rules
    // for reading settings.
    for origin in ["/etc/app/settings.json", "config", "remember_cookie"] {
        let anchor = linked_anchor(origin);
        assert_eq!(anchor, "how-settings-are-read");
        let id = format!("<a id=\"{anchor}\"></a>Every reader has a `from_env`");
        assert!(reference.contains(&id), "the rules need {id}");
    }
}

#[test]
fn the_reference_explains_every_error_kind() {
    let reference = read("paseto-auth/docs/reference.md");
    let error_rs = read("paseto-auth-core/src/error/kind.rs");
    // The stable names, from `ErrorKind::as_str`: `K::Expired => "expired",`.
    let kinds: Vec<&str> = error_rs
        .lines()
        .filter_map(|line| line.trim().strip_prefix("K::"))
        .filter_map(|arm| arm.split_once(" => \""))
        .map(|(_, name)| name.trim_end_matches("\","))
        .collect();
    assert!(kinds.len() > 30, "the scan found the kinds: {kinds:?}");
    let missing: Vec<&&str> = kinds
        .iter()
        .filter(|kind| !reference.contains(&format!("| `{kind}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "error kinds missing from docs/reference.md: {missing:?}"
    );
}

#[test]
fn the_feature_table_lists_every_feature() {
    let guide = read("paseto-auth/docs/guide.md");
    let manifest = read("paseto-auth/Cargo.toml");
    let features = manifest
        .split("[features]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [features] table");
    let names: Vec<&str> = features
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim())
        .filter(|name| *name != "default" && !name.starts_with('#'))
        .collect();
    assert!(names.contains(&"axum"), "{names:?}");
    for name in names {
        assert!(
            guide.contains(&format!("| `{name}`")),
            "feature {name} is not in the guide's table"
        );
    }
}

/// The option table of `#[paseto_required]`'s documentation has a row for every option its parser
/// takes (the list its "unknown option" error names), and no other.
#[test]
fn the_paseto_required_table_documents_every_option() {
    let parser = read("paseto-auth-macros/src/required/attr.rs");
    let list = parser
        .split("const OPTIONS: &str = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the parser's OPTIONS list");
    let mut options: Vec<&str> = list.split(", ").collect();
    options.sort_unstable();
    let docs = read("paseto-auth-macros/src/lib.rs");
    let table = docs
        .split("pub fn paseto_required")
        .next()
        .and_then(|before| before.rsplit("/// | option | meaning |").next())
        .expect("the option table");
    let mut rows: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("/// | `"))
        .map(|cell| {
            let end = cell
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(cell.len());
            &cell[..end]
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    assert_eq!(rows, options, "the table's options against the parser's");
}
