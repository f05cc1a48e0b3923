use paseto_auth::paseto_required;

#[paseto_required(iss = "https://issuer.example")]
struct Handler;

fn main() {}
