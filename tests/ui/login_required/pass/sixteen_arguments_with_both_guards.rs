// axum handlers take at most 16 arguments, and a guard adds none to a handler that has some
// (it is paired with the first): a handler may have 16 under both guards.
use axum::http::{HeaderMap, Method, Uri, Version};
use axum::{Router, routing::get};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{login_required, paseto_required};

#[login_required]
#[paseto_required]
async fn busy(
    a: Method,
    b: Uri,
    c: Version,
    d: HeaderMap,
    e: Method,
    f: Uri,
    g: Version,
    h: HeaderMap,
    i: Method,
    j: Uri,
    k: Version,
    l: HeaderMap,
    m: Method,
    n: Uri,
    o: Version,
    p: HeaderMap,
) -> String {
    format!(
        "{a}{b}{c:?}{}{e}{f}{g:?}{}{i}{j}{k:?}{}{m}{n}{o:?}{}",
        d.len(),
        h.len(),
        l.len(),
        p.len()
    )
}

fn main() {
    let _: Router<PasetoAuth> = Router::new().route("/", get(busy));
}
