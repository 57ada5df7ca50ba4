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
pub(super) fn mix(mut x: u64) -> u64 {
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

std::thread_local! {
    /// Densification's working space (3·K values), kept between documents:
    /// allocating it per document costs more than the work in wasm.
    static SCRATCH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Marks a bin no shingle fell into; a shingle's value is at most
/// `u32::MAX − 1`, so a signature is all `u32::MAX` only for a document
/// without shingles.
const EMPTY: u32 = u32::MAX;

/// The keys of one signature scheme: one for the shingle hash, one for the
/// densification probes, both drawn from the parameters' seed; and two
/// tables of the probe sequences, which are the same for every document.
#[derive(Debug, Clone)]
pub(super) struct OnePermutation {
    key: u64,
    probe_key: u64,
    k: usize,
    /// The first [`TABLED`] probes of each bin, round by round: value
    /// `a·K + i` is g(i, a + 1).
    probes: Vec<u32>,
    /// For K ≤ [`RANKED`], value `j·K + i` is (a << 10) | j for the first
    /// attempt a at which g(i, a) = j (`u32::MAX` if none within the probe
    /// limit): the probe of empty bin i stops at the filled bin j of least
    /// value, which the low bits name. Empty for larger K.
    ranks: Vec<u32>,
}

/// The bits of a rank key that name the bin (K ≤ [`RANKED`] < 2^10; the
/// attempt, at most 64·K < 2^16, takes the bits above).
const BIN_BITS: u32 = 10;

/// Probes per bin kept in [`OnePermutation::probes`].
const TABLED: usize = 8;

/// The largest K whose rank table (K² values) is kept: 1 MiB.
const RANKED: usize = 512;
const _: () = assert!(RANKED < 1 << BIN_BITS && (PROBES_PER_BIN as usize * RANKED) < 1 << 22);

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
        for attempt in 1..=TABLED as u64 {
            probes.extend((0..k).map(|i| probe(probe_key, i, attempt, k) as u32));
        }
        let mut ranks = Vec::new();
        if k <= RANKED {
            ranks = vec![u32::MAX; k * k];
            for i in 0..k {
                let mut missing = k;
                let mut attempt = 1;
                while missing > 0 && attempt <= PROBES_PER_BIN * k as u64 {
                    let j = probe(probe_key, i, attempt, k);
                    let slot = &mut ranks[j * k + i];
                    if *slot == u32::MAX {
                        *slot = (attempt as u32) << BIN_BITS | j as u32;
                        missing -= 1;
                    }
                    attempt += 1;
                }
            }
        }
        Self {
            key,
            probe_key,
            k,
            probes,
            ranks,
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
    ///
    /// Two ways to the same result, by cost: with f of K bins filled, probing
    /// takes about K/f probes per empty bin, the rank table f look-ups. A
    /// document of few filled bins goes straight to the ranks; otherwise a
    /// few rounds of tabled probes resolve most bins and the ranks (or, for
    /// K beyond the table, hashed probes) the rest.
    pub(super) fn densify(&self, bins: &mut [u32]) {
        SCRATCH.with_borrow_mut(|scratch| {
            if scratch.len() < 3 * self.k {
                scratch.resize(3 * self.k, 0);
            }
            let (order, rest) = scratch.split_at_mut(self.k);
            let (original, least) = rest.split_at_mut(self.k);
            self.densify_in(bins, order, original, &mut least[..self.k]);
        });
    }

    /// [`Self::densify`] with working space of K values each (every value
    /// is written before it is read).
    fn densify_in(
        &self,
        bins: &mut [u32],
        order: &mut [u32],
        original: &mut [u32],
        least: &mut [u32],
    ) {
        // The filled bins from the front of `order`, the empty ones from its
        // back, without a branch on which (at the last bin both writes land
        // on one slot, with the same value).
        let k = self.k;
        let mut filled = 0;
        for (i, &v) in bins.iter().enumerate() {
            order[filled] = i as u32;
            order[k - 1 - (i - filled)] = i as u32;
            filled += usize::from(v != EMPTY);
        }
        let (filled, empty) = order.split_at_mut(filled);
        match filled.len() {
            0 => return,
            f if f == k => return,
            1 => {
                // Every probe sequence ends at the one filled bin.
                bins.fill(bins[filled[0] as usize]);
                return;
            }
            _ => {}
        }
        // Probes read the bins as hashed, never a value copied by densification.
        original.copy_from_slice(bins);
        let original = &*original;
        let pending = empty;
        if !self.ranks.is_empty() && filled.len() * filled.len() <= 2 * self.k {
            // Few filled bins: for every bin at once, the least rank key over
            // the filled bins' rows (f·K minima, which vectorise).
            least.fill(u32::MAX);
            for &j in filled.iter() {
                let row = &self.ranks[j as usize * self.k..(j as usize + 1) * self.k];
                for (l, &r) in least.iter_mut().zip(row) {
                    *l = (*l).min(r);
                }
            }
            for &i in pending.iter() {
                let i = i as usize;
                bins[i] = self.ranked(original, i, least[i]);
            }
            return;
        }
        // Each round gives every bin still empty its next tabled probe and
        // keeps those that found an empty bin again (no branch on the outcome).
        let mut live = pending.len();
        for round in self.probes.chunks_exact(self.k) {
            let mut kept = 0;
            for n in 0..live {
                let i = pending[n] as usize;
                let v = original[round[i] as usize];
                bins[i] = v;
                pending[kept] = i as u32;
                kept += usize::from(v == EMPTY);
            }
            live = kept;
        }
        for &i in &pending[..live] {
            let i = i as usize;
            bins[i] = if self.ranks.is_empty() {
                self.probe_on(original, i)
            } else {
                let least = filled
                    .iter()
                    .map(|&j| self.ranks[j as usize * self.k + i])
                    .min()
                    .unwrap_or(u32::MAX);
                self.ranked(original, i, least)
            };
        }
    }

    /// The value of empty bin `i` whose least rank key over the filled bins
    /// is `least`.
    #[inline]
    fn ranked(&self, original: &[u32], i: usize, least: u32) -> u32 {
        if least == u32::MAX {
            self.fallback(original, i)
        } else {
            original[(least & ((1 << BIN_BITS) - 1)) as usize]
        }
    }

    /// The value bin `i`'s probes find after the tabled ones (K beyond the
    /// rank table).
    #[cold]
    fn probe_on(&self, original: &[u32], i: usize) -> u32 {
        let k = self.k as u64;
        for attempt in TABLED as u64 + 1..=PROBES_PER_BIN * k {
            let j = probe(self.probe_key, i, attempt, self.k);
            if original[j] != EMPTY {
                return original[j];
            }
        }
        self.fallback(original, i)
    }

    /// After [`PROBES_PER_BIN`]·K probes in vain: the next filled bin in
    /// order. Deterministic, so still the same choice for every document.
    #[cold]
    fn fallback(&self, original: &[u32], i: usize) -> u32 {
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

    /// Densification as the papers state it, one hashed probe at a time: the
    /// reference the tables and rounds must equal.
    fn probed(s: &OnePermutation, hashed: &[u32]) -> Vec<u32> {
        let k = hashed.len();
        if hashed.iter().all(|&v| v == EMPTY) {
            return hashed.to_vec();
        }
        (0..k)
            .map(|i| {
                if hashed[i] != EMPTY {
                    return hashed[i];
                }
                (1..=PROBES_PER_BIN * k as u64)
                    .map(|attempt| hashed[probe(s.probe_key, i, attempt, k)])
                    .find(|&v| v != EMPTY)
                    .unwrap_or_else(|| s.fallback(hashed, i))
            })
            .collect()
    }

    #[test]
    fn tables_and_rounds_equal_plain_probing() {
        let mut state = 11u64;
        // K within and beyond the rank table; from one filled bin to all.
        for k in [1usize, 2, 7, 112, 513, 700] {
            let s = scheme(k);
            assert_eq!(s.ranks.is_empty(), k > RANKED);
            for filled in [0usize, 1, 2, 3, 5, 10, 15, 30, 100, 400, 700] {
                let filled = filled.min(k);
                let mut hashed = vec![EMPTY; k];
                let mut set = 0;
                while set < filled {
                    let j = (mix(state) % k as u64) as usize;
                    state = state.wrapping_add(1);
                    if hashed[j] == EMPTY {
                        hashed[j] = (mix(state) as u32) % 1000;
                        set += 1;
                    }
                }
                let mut fast = hashed.clone();
                s.densify(&mut fast);
                assert_eq!(fast, probed(&s, &hashed), "K = {k}, {filled} filled");
            }
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
