//! MinHash signatures: parameters, the hasher, and compact storage.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::one_permutation::OnePermutation;
use super::{ShingleKind, Shingler};
use crate::{Error, Result};

/// The Mersenne prime 2^61 − 1 of the permutations.
pub const MERSENNE_61: u64 = (1 << 61) - 1;

/// How a signature's K values are made from a document's shingle hashes.
/// Signatures compare only under the same scheme (and seed and K).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MinHashScheme {
    /// K permutations h_i(x) = ((a_i·x + b_i) mod (2^61 − 1)) mod 2^32, each
    /// minimised over the shingles (datasketch's family): O(n·K) a document.
    Permutations,
    /// One-permutation hashing with optimal densification (one hash a shingle,
    /// K bins, empty bins filled by seeded probing): O(n + K) a document.
    OnePermutation,
}

impl MinHashScheme {
    /// The scheme of parameters stored before the scheme was a parameter:
    /// their signatures were made by the permutations.
    pub fn stored_default() -> Self {
        Self::Permutations
    }

    /// The name the CLI and the reports use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Permutations => "permutations",
            Self::OnePermutation => "one-permutation",
        }
    }
}

/// Every knob of MinHash + LSH. The default is datatrove's (FineWeb's): word
/// 5-grams, K = 112 values, 14 bands of 8 rows; its signatures are made by
/// one-permutation hashing ([`MinHashScheme::OnePermutation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinHashParams {
    pub shingle: ShingleKind,
    /// K, the number of permutations (signature length).
    pub num_perm: usize,
    pub bands: usize,
    pub rows: usize,
    /// Seeds the permutations; signatures compare only under the same seed.
    pub seed: u64,
    /// How signatures are made. Parameters stored without it are
    /// [`MinHashScheme::Permutations`], the only scheme before it.
    #[serde(default = "MinHashScheme::stored_default")]
    pub scheme: MinHashScheme,
}

impl Default for MinHashParams {
    fn default() -> Self {
        Self {
            shingle: ShingleKind::Words(5),
            num_perm: 112,
            bands: 14,
            rows: 8,
            seed: 1,
            scheme: MinHashScheme::OnePermutation,
        }
    }
}

impl MinHashParams {
    /// Checks n ≥ 1, K ≥ 1, b ≥ 1, r ≥ 1 and b·r ≤ K.
    pub fn validate(&self) -> Result<()> {
        let (ShingleKind::Words(n) | ShingleKind::Chars(n)) = self.shingle;
        if n == 0 {
            return Err(Error::DedupParams("shingle size must be at least 1".into()));
        }
        if self.num_perm == 0 {
            return Err(Error::DedupParams("num_perm must be at least 1".into()));
        }
        check_banding(self.num_perm, self.bands, self.rows)
    }
}

/// Checks b ≥ 1, r ≥ 1 and b·r ≤ K.
pub fn check_banding(num_perm: usize, bands: usize, rows: usize) -> Result<()> {
    if bands == 0 || rows == 0 {
        return Err(Error::DedupParams(
            "bands and rows must be at least 1".into(),
        ));
    }
    match bands.checked_mul(rows) {
        Some(used) if used <= num_perm => Ok(()),
        _ => Err(Error::DedupParams(format!(
            "bands × rows = {bands} × {rows} exceeds num_perm = {num_perm}"
        ))),
    }
}

/// Computes signatures under [`MinHashParams::scheme`].
///
/// [`MinHashScheme::Permutations`]: h_i(x) = ((a_i·x + b_i) mod (2^61 − 1))
/// mod 2^32 for each shingle hash x (first reduced mod 2^61 − 1), minimised
/// over the shingles. a_i ∈ [1, p) and b_i ∈ [0, p) come from SplitMix64
/// seeded with [`MinHashParams::seed`].
///
/// [`MinHashScheme::OnePermutation`]: see `one_permutation.rs`; its two keys
/// are the first two SplitMix64 outputs of the seed.
///
/// The generator is written here, not taken from a crate, so stored
/// signatures stay comparable across versions.
#[derive(Debug, Clone)]
pub struct MinHasher {
    params: MinHashParams,
    family: Family,
    shingler: Shingler,
}

#[derive(Debug, Clone)]
enum Family {
    Permutations(Permutations),
    OnePermutation(OnePermutation),
}

impl MinHasher {
    /// A hasher for `params`, validated.
    pub fn new(params: MinHashParams) -> Result<Self> {
        params.validate()?;
        let family = match params.scheme {
            MinHashScheme::Permutations => {
                Family::Permutations(Permutations::new(params.num_perm, params.seed))
            }
            MinHashScheme::OnePermutation => {
                let mut state = params.seed;
                let key = splitmix64(&mut state);
                let probe_key = splitmix64(&mut state);
                Family::OnePermutation(OnePermutation::new(params.num_perm, key, probe_key))
            }
        };
        Ok(Self {
            params,
            family,
            shingler: Shingler::new(params.shingle),
        })
    }

    /// The parameters this hasher was built with.
    pub fn params(&self) -> &MinHashParams {
        &self.params
    }

    /// The signature of `text`'s shingles.
    pub fn signature(&mut self, text: &str) -> Signature {
        match &mut self.family {
            Family::Permutations(p) => {
                let (low, high) = (&mut p.low, &mut p.high);
                low.clear();
                high.clear();
                self.shingler.for_each(text, |x| {
                    let x = mod_mersenne(x as u128);
                    low.push(x & LOW_32);
                    high.push(x >> 32);
                });
                Signature(minima(&p.a, &p.b, &p.low, &p.high))
            }
            Family::OnePermutation(o) => {
                let mut bins = o.start();
                self.shingler.for_each(text, |x| o.add(&mut bins, x));
                o.densify(&mut bins);
                Signature(bins)
            }
        }
    }

    /// The signature of shingle hashes already computed.
    pub fn signature_of(&self, shingles: impl IntoIterator<Item = u64>) -> Signature {
        match &self.family {
            Family::Permutations(p) => {
                let (low, high): (Vec<u64>, Vec<u64>) = shingles
                    .into_iter()
                    .map(|x| {
                        let x = mod_mersenne(x as u128);
                        (x & LOW_32, x >> 32)
                    })
                    .unzip();
                Signature(minima(&p.a, &p.b, &low, &high))
            }
            Family::OnePermutation(o) => Signature(o.signature_of(shingles)),
        }
    }

    /// The shingler inside, to build [`super::ShingleSet`]s with the same rules.
    pub fn shingler(&mut self) -> &mut Shingler {
        &mut self.shingler
    }
}

/// The K permutations' coefficients, and the current document's shingle
/// hashes reduced mod p and cut into their low and high 32 bits (reused).
#[derive(Debug, Clone)]
struct Permutations {
    a: Vec<u64>,
    b: Vec<u64>,
    low: Vec<u64>,
    high: Vec<u64>,
}

impl Permutations {
    fn new(k: usize, seed: u64) -> Self {
        let mut state = seed;
        let mut draw = |low: u64| loop {
            let v = splitmix64(&mut state) >> 3; // < 2^61
            if (low..MERSENNE_61).contains(&v) {
                return v;
            }
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..k {
            a.push(draw(1));
            b.push(draw(0));
        }
        Self {
            a,
            b,
            low: Vec::new(),
            high: Vec::new(),
        }
    }
}

const LOW_32: u64 = (1 << 32) - 1;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
const LOW_29: u64 = (1 << 29) - 1;

/// For each permutation, the minimum over the shingles (given as the low and
/// high 32 bits of their reduced hashes): one tight loop per permutation, the
/// minimum held in a register.
///
/// On wasm32 the loop has no widening multiply (wasm has none: a u128 product
/// is a call to `__multi3`) and no unsigned 64-bit comparison, so it
/// vectorises, two shingles a step with simd128: 1.8× faster in Chromium.
/// Natively the single widening multiply is faster, so it stays.
fn minima(a: &[u64], b: &[u64], low: &[u64], high: &[u64]) -> Vec<u32> {
    a.iter()
        .zip(b)
        .map(|(&a, &b)| {
            #[cfg(target_arch = "wasm32")]
            let (a0, a1) = (a & LOW_32, a >> 32);
            let mut min = LOW_32 as i64;
            for (&x0, &x1) in low.iter().zip(high) {
                #[cfg(target_arch = "wasm32")]
                let h = permute_halves(a0, a1, b, x0, x1);
                #[cfg(not(target_arch = "wasm32"))]
                let h = permute(a, b, x0 | x1 << 32);
                let h = (h & LOW_32) as i64;
                min = if h < min { h } else { min };
            }
            min as u32
        })
        .collect()
}

/// (a·x + b) mod (2^61 − 1) for a, b, x < 2^61 given a = a1·2^32 + a0 and
/// x = x1·2^32 + x0, in u64 arithmetic. With 2^61 ≡ 1 (mod p):
/// a·x = a1x1·2^64 + (a1x0 + a0x1)·2^32 + a0x0, where 2^64 ≡ 8, and
/// m·2^32 ≡ (m >> 29) + (m mod 2^29)·2^32; every product and the sum fit in
/// 64 bits (sum < 4·2^61 + 2^34).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[inline(always)]
fn permute_halves(a0: u64, a1: u64, b: u64, x0: u64, x1: u64) -> u64 {
    let low = a0 * x0; // < 2^64
    let mid = a1 * x0 + a0 * x1; // < 2^62
    let high = a1 * x1; // < 2^58
    let sum =
        (low & MERSENNE_61) + (low >> 61) + ((mid & LOW_29) << 32) + (mid >> 29) + (high << 3) + b;
    let sum = (sum & MERSENNE_61) + (sum >> 61); // < 2^61 + 8
    let less = sum as i64 - MERSENNE_61 as i64;
    if less < 0 {
        sum
    } else {
        less as u64
    }
}

/// (a·x + b) mod (2^61 − 1) with a widening multiply (native builds; the
/// reference [`permute_halves`] is tested against).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[inline(always)]
fn permute(a: u64, b: u64, x: u64) -> u64 {
    let product = a as u128 * x as u128;
    let (low, high) = (product as u64, (product >> 64) as u64);
    // product = high·2^64 + low ≡ (low mod 2^61) + (product >> 61)  (mod p)
    let sum = (low & MERSENNE_61) + ((high << 3) | (low >> 61)) + b;
    let sum = (sum & MERSENNE_61) + (sum >> 61);
    if sum >= MERSENNE_61 {
        sum - MERSENNE_61
    } else {
        sum
    }
}

/// x mod (2^61 − 1) for x < 2^122 + 2^61.
#[inline]
fn mod_mersenne(x: u128) -> u64 {
    let p = MERSENNE_61 as u128;
    let folded = (x & p) + (x >> 61);
    let folded = (folded & p) + (folded >> 61);
    let folded = folded as u64;
    if folded >= MERSENNE_61 {
        folded - MERSENNE_61
    } else {
        folded
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A MinHash signature: K minima. All `u32::MAX` for a document with no shingle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

impl Signature {
    /// The estimated Jaccard similarity: the fraction of equal positions.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        estimate_jaccard(&self.0, &other.0)
    }

    /// Whether this is the signature of a document without shingles.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&v| v == u32::MAX)
    }

    /// The values as little-endian u32 bytes, 4·K long.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if !bytes.len().is_multiple_of(4) {
            return Err(Error::SignatureBytes(format!(
                "{} bytes is not a whole number of u32 values",
                bytes.len()
            )));
        }
        Ok(Self(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

/// The fraction of positions where two signatures agree.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len().max(1) as f64
}

impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.to_bytes())
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(deserializer)?;
        Signature::from_bytes(&bytes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_exact_arithmetic_mod_p() {
        let p = MERSENNE_61 as u128;
        let cases = [
            (1, 0, 0),
            (p as u64 - 1, p as u64 - 1, p as u64 - 1),
            (12345, 678, 1 << 60),
        ];
        for (a, b, x) in cases {
            let want = ((a as u128 * x as u128 + b as u128) % p) as u64;
            assert_eq!(permute(a, b, x), want, "{a} {b} {x}");
            let halves = permute_halves(a & LOW_32, a >> 32, b, x & LOW_32, x >> 32);
            assert_eq!(halves, want, "{a} {b} {x}");
        }
        let mut state = 3;
        for _ in 0..1000 {
            let (a, b, x) = (
                splitmix64(&mut state) >> 3,
                splitmix64(&mut state) >> 3,
                splitmix64(&mut state) >> 3,
            );
            let want = ((a as u128 * x as u128 + b as u128) % p) as u64;
            assert_eq!(permute(a, b, x), want);
            let halves = permute_halves(a & LOW_32, a >> 32, b, x & LOW_32, x >> 32);
            assert_eq!(halves, want);
        }
        assert_eq!(mod_mersenne(u64::MAX as u128), u64::MAX % MERSENNE_61);
    }

    proptest::proptest! {
        #[test]
        fn halves_equal_the_widening_multiply(
            a in 1..MERSENNE_61,
            b in 0..MERSENNE_61,
            x in 0..MERSENNE_61,
        ) {
            let halves = permute_halves(a & LOW_32, a >> 32, b, x & LOW_32, x >> 32);
            proptest::prop_assert_eq!(halves, permute(a, b, x));
        }
    }
}
