//! An Ed25519 public key in the form that verifies fastest: decompressed and negated once, when
//! it is loaded, then checked per signature with curve25519-dalek's variable-time double-scalar
//! multiplication (its precomputed basepoint tables and, where the CPU has AVX2, its vector
//! backend). pasetors' ed25519-compact decompresses the key at every verification and runs a
//! slower scalar multiplication (`paseto_auth::docs::performance` compares the two).
//!
//! The rule is strict, and at least as strict as pasetors':
//! - the key is a canonical encoding (`y` below 2^255 - 19) of a point of the prime-order
//!   subgroup (not of small order, no torsion component); other keys are left to pasetors, which
//!   refuses them or verifies them its own way;
//! - `S` is canonical (below the group order);
//! - the check is cofactorless: `[S]B - [k]A`, compressed, must equal the signature's `R` bytes
//!   exactly, so `R` is canonical too, and it is not the identity (the one small-order point the
//!   equation can give with such a key).
//!
//! pasetors differs only in accepting an `R` that is off by a small-order point, which no signer
//! produces. A differential test holds the two to the same decisions on 100 000+ random and
//! mutated tokens and keys (`token::differential`).

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use sha2::{Digest, Sha512};

/// A public key ready to verify signatures with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ed25519Key {
    /// The key's encoding, hashed into every signature's challenge.
    bytes: [u8; 32],
    /// The key's point, negated: the equation adds `[k](-A)`.
    minus_a: EdwardsPoint,
}

/// The encoding of the identity point.
const IDENTITY: [u8; 32] = {
    let mut bytes = [0u8; 32];
    bytes[0] = 1;
    bytes
};

impl Ed25519Key {
    /// The key of `bytes`, when it is a canonical encoding of a point of the prime-order
    /// subgroup; `None` otherwise.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        if !is_canonical_y(&bytes) {
            return None;
        }
        let point = CompressedEdwardsY(bytes).decompress()?;
        if point.is_small_order() || !point.is_torsion_free() {
            return None;
        }
        Some(Ed25519Key {
            bytes,
            minus_a: -point,
        })
    }

    /// Whether `signature` (`R || S`) signs `message` under this key.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let (r, s) = signature.split_at(32);
        let Ok(s) = <[u8; 32]>::try_from(s) else {
            return false;
        };
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s)) else {
            return false;
        };
        if r == IDENTITY {
            return false;
        }
        let digest = Sha512::new()
            .chain_update(r)
            .chain_update(self.bytes)
            .chain_update(message)
            .finalize();
        let Ok(wide) = <[u8; 64]>::try_from(digest.as_slice()) else {
            return false;
        };
        let k = Scalar::from_bytes_mod_order_wide(&wide);
        let expected = EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &self.minus_a, &s);
        !expected.is_identity() && expected.compress().as_bytes() == r
    }
}

/// Whether `bytes` encodes its `y` coordinate below the field's prime 2^255 - 19 (the sign bit
/// aside): the only encoding of a point that pasetors accepts, so the only one accepted here.
fn is_canonical_y(bytes: &[u8; 32]) -> bool {
    let top = bytes[31] & 0x7f;
    let all_ones = bytes[1..31].iter().all(|&b| b == 0xff);
    !(top == 0x7f && all_ones && bytes[0] >= 0xed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_keys_of_the_prime_order_subgroup_are_loaded() {
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xed;
        non_canonical[31] = 0x7f;
        assert!(!is_canonical_y(&non_canonical));
        assert!(Ed25519Key::from_bytes(&non_canonical).is_none());
        // The identity is of small order.
        assert!(is_canonical_y(&IDENTITY));
        assert!(Ed25519Key::from_bytes(&IDENTITY).is_none());
        assert!(Ed25519Key::from_bytes(&[1u8; 31]).is_none());
        // A real key plus a point of order 4 (y = 0): not torsion-free.
        let key = crate::key::SecretKey::generate(crate::Version::V4).unwrap();
        let point = CompressedEdwardsY(
            key.public_key()
                .v4()
                .unwrap()
                .as_bytes()
                .try_into()
                .unwrap(),
        )
        .decompress()
        .unwrap();
        let torsion = CompressedEdwardsY([0u8; 32]).decompress().unwrap();
        let mixed = (point + torsion).compress();
        assert!(Ed25519Key::from_bytes(mixed.as_bytes()).is_none());
        assert!(Ed25519Key::from_bytes(&point.compress().to_bytes()).is_some());
    }
}
