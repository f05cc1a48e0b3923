//! What every example does as an operator expects (issue #21): its `main` first installs the
//! shared subscriber, whose level comes from `RUST_LOG` (default `info`), so that store timeouts,
//! revocations not recorded and the counts of refused tokens reach the operator; and it reads
//! the library's settings through the library, which parses each the same way and refuses a
//! value it cannot read, naming it (an example that compared `PASETO_STORE_FAIL_OPEN` with `"1"`
//! ignored `true`).

use paseto_auth_examples::serve;

use std::fs;
use std::path::Path;

use tracing::Level;

#[test]
fn every_example_main_installs_the_shared_logging_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut servers = Vec::new();
    let examples = fs::read_dir(root.join("examples")).unwrap();
    let load_server = root.join("benches/load_server.rs");
    for path in examples
        .map(|entry| entry.unwrap().path())
        .chain([load_server])
    {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let main = text
            .find("\nasync fn main(")
            .or_else(|| text.find("\nfn main("))
            .unwrap_or_else(|| panic!("{name}: no main"));
        let body = &text[main..];
        let first = body[body.find('{').unwrap() + 1..].trim_start();
        assert!(
            first.starts_with("serve::init_logging();"),
            "{name}: main must start with serve::init_logging();"
        );
        servers.push(name);
    }
    servers.sort();
    assert_eq!(
        servers,
        [
            "cookie_session.rs",
            "full_service.rs",
            "issuer_and_verifier.rs",
            "load_server.rs",
            "login_manager.rs",
            "token_api.rs",
        ]
    );
}

#[test]
fn rust_log_sets_the_level_and_info_is_the_default() {
    let enabled = |rust_log: Option<&str>, target: &str, level: Level| {
        serve::log_filter(rust_log).would_enable(target, &level)
    };
    for unset in [None, Some(""), Some("  "), Some("paseto_auth=[bad")] {
        assert!(
            enabled(unset, "paseto_auth::store", Level::INFO),
            "{unset:?}"
        );
        assert!(
            enabled(unset, "paseto_auth::store", Level::WARN),
            "{unset:?}"
        );
        assert!(
            !enabled(unset, "paseto_auth::store", Level::DEBUG),
            "{unset:?}"
        );
    }
    assert!(enabled(Some("debug"), "paseto_auth::extract", Level::DEBUG));
    assert!(!enabled(Some("warn"), "paseto_auth::store", Level::INFO));
    let per_target = Some("paseto_auth=debug,info");
    assert!(enabled(per_target, "paseto_auth::extract", Level::DEBUG));
    assert!(enabled(per_target, "tower", Level::INFO));
    assert!(!enabled(per_target, "tower", Level::DEBUG));
}

#[test]
fn examples_read_the_library_s_settings_through_the_library() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = vec![dir.join("../benches/load_server.rs")];
    for dir in [dir.clone(), dir.join("common")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 5, "{files:?}");
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for read in ["env::var(\"", "env::var_os(\""] {
            for (at, _) in text.match_indices(read) {
                let name: String = text[at + read.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                // The examples' own: where to listen, what to log, and the load server's knobs.
                let own = ["PASETO_AUTH_ADDR", "RUST_LOG"].contains(&name.as_str())
                    || name.starts_with("LOAD_SERVER_");
                // Whether the remember-me cookie's Secure is set at all (its value is the
                // library's to read, in CookieSettings::remember_from_env).
                let presence = read.contains("var_os") && name == "REMEMBER_COOKIE_SECURE";
                assert!(
                    own || presence,
                    "{}: reads {name} itself; read it through the library",
                    path.display()
                );
            }
        }
    }
}
