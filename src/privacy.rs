//! Pseudonymous ids for people, so outputs never carry NIPs or names unless asked.
//!
//! HR data is personal data under UU 27/2022 (Pelindungan Data Pribadi). `pegawai_id` is a keyed
//! BLAKE3 hash of the NIP: stable across runs with the same key (auditors get the same ids),
//! unlinkable without it. NIPs have a small, structured space, so an unkeyed hash could be
//! reversed by brute force; set `privacy.pseudonym_key` or `MUTASI_PSEUDONYM_KEY` in production.

/// Turns NIPs into `pegawai_id`s.
pub struct Pseudonymizer {
    key: [u8; 32],
    /// True when no secret was configured and the built-in key is in use.
    pub default_key: bool,
}

const CONTEXT: &str = "mutasi 2026-11 pegawai_id v1";
const BUILT_IN: &str = "mutasi-kunci-bawaan-bukan-rahasia";

impl Pseudonymizer {
    pub fn new(secret: Option<&str>) -> Pseudonymizer {
        let (material, default_key) = match secret {
            Some(s) if !s.is_empty() => (s, false),
            _ => (BUILT_IN, true),
        };
        Pseudonymizer { key: blake3::derive_key(CONTEXT, material.as_bytes()), default_key }
    }

    /// `P` followed by 16 hex digits (64 bits: no collision in practice among 4.5 million ASN).
    pub fn pegawai_id(&self, nip: u64) -> String {
        let h = blake3::keyed_hash(&self.key, &nip.to_be_bytes());
        let hex = h.to_hex();
        format!("P{}", &hex.as_str()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_per_key_and_different_across_keys() {
        let a = Pseudonymizer::new(Some("rahasia"));
        let b = Pseudonymizer::new(Some("lain"));
        let nip = 198_609_262_015_051_001;
        assert_eq!(a.pegawai_id(nip), a.pegawai_id(nip));
        assert_ne!(a.pegawai_id(nip), b.pegawai_id(nip));
        assert_ne!(a.pegawai_id(nip), a.pegawai_id(nip + 1));
        assert_eq!(a.pegawai_id(nip).len(), 17);
        assert!(!a.pegawai_id(nip).contains("198609"));
        assert!(Pseudonymizer::new(None).default_key);
    }
}
