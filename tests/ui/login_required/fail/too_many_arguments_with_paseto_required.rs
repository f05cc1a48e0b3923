// With `#[paseto_required]` too there are two guards, so 14 arguments are the most.
use axum::http::{Method, Uri};
use paseto_auth::{login_required, paseto_required};

#[login_required]
#[paseto_required]
async fn handler(
    _a: Method, _b: Uri, _c: Method, _d: Uri, _e: Method, _f: Uri, _g: Method, _h: Uri,
    _i: Method, _j: Uri, _k: Method, _l: Uri, _m: Method, _n: Uri, _o: Method,
) {}

fn main() {}
