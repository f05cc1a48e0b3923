// axum handlers take at most 16 arguments, and the guard is one.
use axum::http::{Method, Uri};
use paseto_auth::login_required;

#[login_required]
async fn handler(
    _a: Method, _b: Uri, _c: Method, _d: Uri, _e: Method, _f: Uri, _g: Method, _h: Uri,
    _i: Method, _j: Uri, _k: Method, _l: Uri, _m: Method, _n: Uri, _o: Method, _p: Uri,
) {}

fn main() {}
