//! The crate's own openers held to pasetors' decisions: over 100 000 `v4.public`/`v2.public`
//! tokens for the Ed25519 path — signed ones, and each mutated (a character of the payload,
//! signature or footer changed, a non-canonical or small-order signature, a random one, a
//! truncated one, another key, another implicit assertion, a random public key) — and 20 000
//! `v4.local` tokens for the RustCrypto path, mutated alike: both must accept or refuse alike,
//! with the same payload.

use super::*;
use crate::key::{LocalKey, PublicKey, RingKey, SecretKey};

/// A small deterministic generator (xorshift64*): the mutations of a run can be replayed from
/// the seed it prints on failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// The group order L, little-endian: adding it to `S` gives a non-canonical encoding of the same
/// scalar.
const ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// A point of order 4 (`(sqrt(-1), 0)` in Edwards y-coordinate form: y = 0).
const SMALL_ORDER_POINT: [u8; 32] = [0; 32];

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// One case: the token, the key, the implicit assertion.
struct Case {
    token: String,
    key: VerificationKey,
    implicit: Vec<u8>,
}

/// Whether the fast path and pasetors decide `case` alike (and, accepting, return the same
/// payload). A token that does not parse is refused by both alike.
/// A seed from the clock (named in a failure, to reproduce it) and its generator.
fn seeded() -> (u64, Rng) {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    (seed, Rng(seed))
}

/// Runs `case` through both sides: counts it (and whether both accepted it); a disagreement
/// fails the test, naming the seed that reproduces it.
fn tally(case: &Case, seed: u64, cases: &mut usize, accepted: &mut usize) {
    match agree(case) {
        Ok(true) => *accepted += 1,
        Ok(false) => {}
        Err(disagreement) => panic!("seed {seed}: {disagreement}"),
    }
    *cases += 1;
}

fn agree(case: &Case) -> std::result::Result<bool, String> {
    let Ok(parsed) = UntrustedToken::parse(&case.token, DEFAULT_MAX_TOKEN_LEN) else {
        return Ok(false);
    };
    let fast = parsed.open(&case.key, &case.implicit).map(|p| p.to_vec());
    let reference = parsed
        .open_with_pasetors(&case.key, &case.implicit)
        .map(|p| p.to_vec());
    match (&fast, &reference) {
        (Ok(a), Ok(b)) if a == b => Ok(true),
        (Err(_), Err(_)) => Ok(false),
        _ => Err(format!(
            "fast {:?} vs pasetors {:?} for {} (implicit {:?}, key {:?})",
            fast.as_ref().map(|_| "accepted").map_err(|e| e.to_string()),
            reference
                .as_ref()
                .map(|_| "accepted")
                .map_err(|e| e.to_string()),
            case.token,
            String::from_utf8_lossy(&case.implicit),
            case.key.kid(),
        )),
    }
}

/// `token` with the body's bytes changed by `change` (and re-encoded).
fn with_body(token: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut parts: Vec<&str> = token.splitn(4, '.').collect();
    let mut body = crate::key::b64_decode(parts[2]).unwrap();
    change(&mut body);
    let encoded = crate::key::b64_encode(&body);
    parts[2] = &encoded;
    parts.join(".")
}

/// Adds L to the signature's `S` (the last 32 bytes of the body).
fn add_order(body: &mut [u8]) {
    let s = body.len() - 32;
    let mut carry = 0u16;
    for (i, byte) in body[s..].iter_mut().enumerate() {
        let sum = u16::from(*byte) + u16::from(ORDER[i]) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
}

/// The mutations of one signed token, each a case.
fn mutations(rng: &mut Rng, signed: &Case, stranger: &VerificationKey) -> Vec<Case> {
    let case = |token: String, key: &VerificationKey, implicit: &[u8]| Case {
        token,
        key: key.clone(),
        implicit: implicit.to_vec(),
    };
    let (token, key, implicit) = (&signed.token, &signed.key, &signed.implicit[..]);
    let mut cases = vec![case(token.clone(), key, implicit)];
    for _ in 0..40 {
        // One character of the token changed, anywhere after the header.
        let mut bytes = token.clone().into_bytes();
        let at = 10 + rng.below(bytes.len() - 10);
        bytes[at] = B64[rng.below(B64.len())];
        cases.push(case(String::from_utf8(bytes).unwrap(), key, implicit));
    }
    for _ in 0..20 {
        // One bit of the decoded body flipped: payload or signature.
        let bit = rng.next();
        let flipped = with_body(token, |body| {
            let at = (bit as usize / 8) % body.len();
            body[at] ^= 1 << (bit % 8);
        });
        cases.push(case(flipped, key, implicit));
    }
    let non_canonical_s = with_body(token, |body| add_order(body));
    let small_order_r = with_body(token, |body| {
        let r = body.len() - 64;
        body[r..r + 32].copy_from_slice(&SMALL_ORDER_POINT);
    });
    let random_signature = with_body(token, |body| {
        let r = body.len() - 64;
        let random = rng.bytes(64);
        body[r..].copy_from_slice(&random);
    });
    let truncated = with_body(token, |body| body.truncate(body.len() - 1 - rng.below(8)));
    for mutated in [non_canonical_s, small_order_r, random_signature, truncated] {
        cases.push(case(mutated, key, implicit));
    }
    cases.push(case(token.clone(), stranger, implicit));
    cases.push(case(token.clone(), key, b"another assertion"));
    for _ in 0..30 {
        // A public key of random bytes (a point or not, of any order).
        let bytes = rng.bytes(32);
        if let Ok(random) = PublicKey::from_bytes(key.header().version, &bytes) {
            cases.push(case(
                token.clone(),
                &VerificationKey::Public(random),
                implicit,
            ));
        }
    }
    cases
}

/// A token signed by `secret` with a random payload, footer and (v4) implicit assertion.
fn signed(rng: &mut Rng, secret: &SecretKey) -> Case {
    let payload = format!(r#"{{"sub":"{}","n":{}}}"#, rng.next(), rng.below(1000));
    let footer = match rng.below(3) {
        0 => Vec::new(),
        1 => br#"{"kid":"k4.pid.x"}"#.to_vec(),
        _ => {
            let len = 1 + rng.below(40);
            rng.bytes(len)
        }
    };
    let implicit = match (secret.version(), rng.below(2)) {
        (Version::V4, 1) => {
            let len = rng.below(20);
            rng.bytes(len)
        }
        _ => Vec::new(),
    };
    let key = SigningKey::Secret(secret.clone());
    Case {
        token: seal(&key, payload.as_bytes(), &footer, &implicit).unwrap(),
        key: VerificationKey::Public(secret.public_key().clone()),
        implicit,
    }
}

#[test]
fn the_fast_ed25519_path_decides_as_pasetors_on_100_000_tokens() {
    let (seed, mut rng) = seeded();
    let (mut cases, mut accepted) = (0usize, 0usize);
    for version in [Version::V4, Version::V2] {
        let keys: Vec<SecretKey> = (0..40)
            .map(|_| SecretKey::generate(version).unwrap())
            .collect();
        let rounds = if version == Version::V4 { 900 } else { 300 };
        for round in 0..rounds {
            let secret = &keys[round % keys.len()];
            let stranger =
                VerificationKey::Public(keys[(round + 1) % keys.len()].public_key().clone());
            let original = signed(&mut rng, secret);
            for case in mutations(&mut rng, &original, &stranger) {
                tally(&case, seed, &mut cases, &mut accepted);
            }
        }
    }
    crate::test_report!("differential Ed25519: {cases} cases, {accepted} accepted by both");
    assert!(cases >= 100_000, "{cases}");
    // Each original is accepted; the mutations (nearly) never are.
    assert!(accepted >= 1200, "{accepted}");
}

#[test]
fn the_edge_cases_are_refused_by_both() {
    let mut rng = Rng(7);
    let secret = SecretKey::generate(Version::V4).unwrap();
    let original = signed(&mut rng, &secret);
    let refused = [
        with_body(&original.token, |body| add_order(body)),
        with_body(&original.token, |body| {
            let r = body.len() - 64;
            body[r..r + 32].copy_from_slice(&SMALL_ORDER_POINT);
        }),
    ];
    for token in refused {
        let case = Case {
            token,
            key: original.key.clone(),
            implicit: original.implicit.clone(),
        };
        assert_eq!(agree(&case), Ok(false));
    }
    // A key of small order (the identity) verifies nothing on either path.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = PublicKey::from_bytes(Version::V4, &identity).unwrap();
    let case = Case {
        token: original.token.clone(),
        key: VerificationKey::Public(weak),
        implicit: original.implicit.clone(),
    };
    assert_eq!(agree(&case), Ok(false));
}

/// A `v4.local` token sealed (by pasetors) with `key`, with a random payload, footer and
/// implicit assertion.
fn sealed(rng: &mut Rng, key: &LocalKey) -> Case {
    let payload = format!(r#"{{"sid":"{}"}}"#, rng.next());
    let footer = if rng.below(2) == 0 {
        Vec::new()
    } else {
        b"{}".to_vec()
    };
    let len = rng.below(20);
    let implicit = rng.bytes(len);
    let signing = SigningKey::Local(key.clone());
    Case {
        token: seal(&signing, payload.as_bytes(), &footer, &implicit).unwrap(),
        key: VerificationKey::Local(key.clone()),
        implicit,
    }
}

#[test]
fn the_v4_local_opener_decides_as_pasetors_on_20_000_tokens() {
    let (seed, mut rng) = seeded();
    let keys: Vec<LocalKey> = (0..20)
        .map(|_| LocalKey::generate(Version::V4).unwrap())
        .collect();
    let (mut cases, mut accepted) = (0usize, 0usize);
    for round in 0..400 {
        let key = &keys[round % keys.len()];
        let original = sealed(&mut rng, key);
        let mut all = vec![Case {
            token: original.token.clone(),
            key: original.key.clone(),
            implicit: original.implicit.clone(),
        }];
        for _ in 0..30 {
            let mut bytes = original.token.clone().into_bytes();
            let at = 9 + rng.below(bytes.len() - 9);
            bytes[at] = B64[rng.below(B64.len())];
            all.push(Case {
                token: String::from_utf8(bytes).unwrap(),
                key: original.key.clone(),
                implicit: original.implicit.clone(),
            });
        }
        for _ in 0..15 {
            let bit = rng.next();
            all.push(Case {
                token: with_body(&original.token, |body| {
                    let at = (bit as usize / 8) % body.len();
                    body[at] ^= 1 << (bit % 8);
                }),
                key: original.key.clone(),
                implicit: original.implicit.clone(),
            });
        }
        let truncated = with_body(&original.token, |body| {
            body.truncate(body.len() - 1 - rng.below(40))
        });
        let stranger = VerificationKey::Local(keys[(round + 1) % keys.len()].clone());
        all.push(Case {
            token: truncated,
            key: original.key.clone(),
            implicit: original.implicit.clone(),
        });
        all.push(Case {
            token: original.token.clone(),
            key: stranger,
            implicit: original.implicit.clone(),
        });
        all.push(Case {
            token: original.token.clone(),
            key: original.key.clone(),
            implicit: b"other".to_vec(),
        });
        for case in all {
            tally(&case, seed, &mut cases, &mut accepted);
        }
    }
    crate::test_report!("differential v4.local: {cases} cases, {accepted} accepted by both");
    assert!(cases >= 19_000, "{cases}");
    assert!(accepted >= 400, "{accepted}");
}
