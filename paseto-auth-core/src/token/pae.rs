//! PASETO's pre-authentication encoding (PAE): what every version signs or authenticates, so
//! that no two different lists of pieces encode alike.

/// `LE64(count) || for each piece: LE64(len) || piece`.
pub(crate) fn pae(pieces: &[&[u8]]) -> Vec<u8> {
    let capacity = pieces.iter().fold(8usize, |acc, p| {
        acc.saturating_add(8).saturating_add(p.len())
    });
    let mut out = Vec::with_capacity(capacity);
    out.extend_from_slice(&le64(pieces.len()));
    for piece in pieces {
        out.extend_from_slice(&le64(piece.len()));
        out.extend_from_slice(piece);
    }
    out
}

/// Little-endian 64-bit length with the top bit cleared, as PAE specifies.
fn le64(n: usize) -> [u8; 8] {
    (u64::try_from(n).unwrap_or(u64::MAX) & (u64::MAX >> 1)).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_specification_examples() {
        assert_eq!(pae(&[]), b"\x00\x00\x00\x00\x00\x00\x00\x00");
        assert_eq!(
            pae(&[b""]),
            b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        );
        assert_eq!(
            pae(&[b"test"]),
            b"\x01\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00test"
        );
        assert_eq!(le64(usize::MAX), (u64::MAX >> 1).to_le_bytes());
    }
}
