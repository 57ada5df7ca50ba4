//! One-permutation hashing with optimal densification (Li, Owen & Zhang 2012,
//! "One Permutation Hashing"; Shrivastava 2017, "Optimal Densification for
//! Fast and Accurate Minwise Hashing").
//!
//! One hash per shingle instead of K: the mixed hash h(x) picks a bin (its
//! high 32 bits, scaled to `[0, K)`) and a value (its low 32 bits); each bin
//! keeps the minimum value that fell into it. That is O(n + K) per document
//! against the K-permutation family's O(n·K).
//!
//! A bin no shingle fell into is filled by optimal densification: for empty
//! bin i, bins j = g(i, 1), g(i, 2), … (a seeded hash, the same for every
//! document) are probed until one that was not empty is found, and its value
//! is copied. For two sets A and B the probe of bin i stops, in both, at the
//! first bin of the sequence that is not empty in A ∪ B if it is not empty in
//! both, and the two values are equal exactly when the minimum of A ∪ B in
//! that bin lies in A ∩ B; so P[sig_i(A) = sig_i(B)] = J(A, B) for every i
//! (up to 32-bit value collisions), as with K permutations.

/// The bin and value hash of a shingle: the murmur3 64-bit finaliser of
/// `x ^ key`, a bijection of x, so distinct shingles never share both bin
/// and value.
#[inline(always)]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

/// `hash`'s high 32 bits scaled to `[0, k)` (Lemire's fastrange; k < 2^32):
/// one 64-bit multiply, no division, no u128.
#[inline(always)]
fn bin_of(hash: u64, k: u64) -> usize {
    (((hash >> 32) * k) >> 32) as usize
}

/// Bin `i`'s probe number `attempt` (from 1) over `k` bins.
#[inline(always)]
fn probe(probe_key: u64, i: usize, attempt: u64, k: usize) -> usize {
    bin_of(mix(probe_key ^ ((i as u64) << 32) ^ attempt), k as u64)
}

/// Marks a bin no shingle fell into; a shingle's value is at most
/// `u32::MAX − 1`, so a signature is all `u32::MAX` only for a document
/// without shingles.
const EMPTY: u32 = u32::MAX;

/// The keys of one signature scheme: one for the shingle hash, one for the
/// densification probes, both drawn from the parameters' seed.
#[derive(Debug, Clone)]
pub(super) struct OnePermutation {
    key: u64,
    probe_key: u64,
    k: usize,
    /// The first [`TABLED`] probes of each bin, g(i, 1..=TABLED): the
    /// sequences are the same for every document, so they are hashed once.
    probes: Vec<u32>,
}

/// Probes per bin kept in [`OnePermutation::probes`]: a document with a
/// quarter of its bins filled resolves an empty bin within them with
/// probability 1 − 0.75^16 ≈ 0.99; later probes are hashed as needed.
const TABLED: usize = 16;

/// Probes per empty bin before falling back to the next bins in order: with
/// at least one bin not empty each probe hits with probability ≥ 1/K, so the
/// fallback is reached with probability below (1 − 1/K)^(64·K) < e^−64.
const PROBES_PER_BIN: u64 = 64;

impl OnePermutation {
    /// The scheme for signatures of `k` values under the keys `key` and
    /// `probe_key` (drawn from the seed by the caller).
    pub(super) fn new(k: usize, key: u64, probe_key: u64) -> Self {
        assert!(k >= 1 && (k as u64) < 1 << 32, "K = {k} out of range");
        let mut probes = Vec::with_capacity(k * TABLED);
        for i in 0..k {
            probes
                .extend((1..=TABLED as u64).map(|attempt| probe(probe_key, i, attempt, k) as u32));
        }
        Self {
            key,
            probe_key,
            k,
            probes,
        }
    }

    /// An all-empty signature, to feed shingles to with [`Self::add`].
    pub(super) fn start(&self) -> Vec<u32> {
        vec![EMPTY; self.k]
    }

    /// Puts shingle `x` into its bin.
    #[inline(always)]
    pub(super) fn add(&self, bins: &mut [u32], x: u64) {
        let h = mix(x ^ self.key);
        let value = (h as u32).min(EMPTY - 1);
        let slot = &mut bins[bin_of(h, self.k as u64)];
        *slot = (*slot).min(value);
    }

    /// Fills the empty bins by optimal densification; a signature of no
    /// shingle stays all empty.
    pub(super) fn densify(&self, bins: &mut [u32]) {
        let filled = bins.iter().filter(|&&v| v != EMPTY).count();
        if filled == bins.len() || filled == 0 {
            return;
        }
        if filled == 1 {
            // Every probe sequence ends at the one filled bin.
            let v = bins.iter().copied().find(|&v| v != EMPTY).unwrap_or(EMPTY);
            bins.fill(v);
            return;
        }
        // Probes read the bins as hashed, never a value copied by densification.
        let original = bins.to_vec();
        for (i, slot) in bins.iter_mut().enumerate() {
            if *slot != EMPTY {
                continue;
            }
            let tabled = &self.probes[i * TABLED..(i + 1) * TABLED];
            *slot = match tabled.iter().find(|&&j| original[j as usize] != EMPTY) {
                Some(&j) => original[j as usize],
                None => self.probe_on(&original, i),
            };
        }
    }

    /// The value bin `i`'s probes find after the tabled ones.
    #[cold]
    fn probe_on(&self, original: &[u32], i: usize) -> u32 {
        let k = self.k as u64;
        for attempt in TABLED as u64 + 1..=PROBES_PER_BIN * k {
            let j = probe(self.probe_key, i, attempt, self.k);
            if original[j] != EMPTY {
                return original[j];
            }
        }
        // Deterministic, so still the same choice for every document.
        (1..self.k)
            .map(|d| original[(i + d) % self.k])
            .find(|&v| v != EMPTY)
            .unwrap_or(EMPTY)
    }

    /// The signature of shingle hashes.
    pub(super) fn signature_of(&self, shingles: impl IntoIterator<Item = u64>) -> Vec<u32> {
        let mut bins = self.start();
        for x in shingles {
            self.add(&mut bins, x);
        }
        self.densify(&mut bins);
        bins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(k: usize) -> OnePermutation {
        OnePermutation::new(k, 0x1234_5678_9ABC_DEF0, 0x0FED_CBA9_8765_4321)
    }

    #[test]
    fn mix_is_a_bijection_on_a_sample() {
        // The finaliser is invertible (xorshifts and odd multipliers), so
        // distinct inputs give distinct outputs.
        let mut seen: Vec<u64> = (0..100_000u64).map(mix).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 100_000);
    }

    #[test]
    fn fastrange_covers_every_bin_evenly() {
        let k = 112u64;
        let mut counts = vec![0u64; k as usize];
        let n = 1_120_000u64;
        for x in 0..n {
            counts[bin_of(mix(x), k)] += 1;
        }
        // Each bin count is Binomial(n, 1/k): mean 10,000, sd ≈ 99.6; 5 sd.
        let mean = n as f64 / k as f64;
        let sd = (mean * (1.0 - 1.0 / k as f64)).sqrt();
        for (bin, &c) in counts.iter().enumerate() {
            assert!((c as f64 - mean).abs() < 5.0 * sd, "bin {bin}: {c}");
        }
        assert_eq!(bin_of(u64::MAX, k), k as usize - 1);
        assert_eq!(bin_of(0, k), 0);
    }

    #[test]
    fn densification_fills_every_bin_from_a_filled_one() {
        let s = scheme(64);
        for n in [1usize, 2, 3, 5, 20, 63, 200] {
            let shingles: Vec<u64> = (0..n as u64).map(|i| i * 7919 + 1).collect();
            let mut bins = s.start();
            for &x in &shingles {
                s.add(&mut bins, x);
            }
            let hashed = bins.clone();
            s.densify(&mut bins);
            assert!(bins.iter().all(|&v| v != EMPTY), "n = {n}");
            for (i, &v) in bins.iter().enumerate() {
                if hashed[i] != EMPTY {
                    assert_eq!(v, hashed[i], "a filled bin changed");
                } else {
                    assert!(hashed.contains(&v), "bin {i} copied a value no bin had");
                }
            }
            // Deterministic.
            let mut again = hashed.clone();
            s.densify(&mut again);
            assert_eq!(again, bins);
        }
    }

    #[test]
    fn the_fallback_and_the_probes_pick_filled_bins() {
        // Two filled bins out of 1000: most probes miss many times.
        let s = scheme(1000);
        let mut bins = s.start();
        bins[3] = 10;
        bins[700] = 20;
        s.densify(&mut bins);
        assert!(bins.iter().all(|&v| v == 10 || v == 20));
        let tens = bins.iter().filter(|&&v| v == 10).count();
        // Bin 3 itself, and each of the 998 empty bins picks bin 3 with
        // probability 1/2: 1 + Binomial(998, 1/2), within 5 sd.
        let sd = (998.0f64 * 0.25).sqrt();
        assert!((tens as f64 - 500.0).abs() < 5.0 * sd, "{tens}");
    }
}
