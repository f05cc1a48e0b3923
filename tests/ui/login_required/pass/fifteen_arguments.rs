// axum handlers take at most 16 arguments: with the guard, a handler may have 15.
use axum::http::{HeaderMap, Method, Uri, Version};
use axum::{Router, routing::get};
use paseto_auth::login_required;

#[login_required]
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
) -> String {
    format!(
        "{a}{b}{c:?}{}{e}{f}{g:?}{}{i}{j}{k:?}{}{m}{n}{o:?}",
        d.len(),
        h.len(),
        l.len()
    )
}

fn main() {
    let _: Router = Router::new().route("/", get(busy));
}
