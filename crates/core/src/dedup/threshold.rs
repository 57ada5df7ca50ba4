//! Choosing a banding for a target Jaccard threshold.

/// The probability that two documents of Jaccard similarity `j` share at least
/// one band: the S-curve p(J) = 1 − (1 − J^r)^b.
pub fn s_curve(j: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - j.powi(rows as i32)).powi(bands as i32)
}

/// The Jaccard similarity at which a pair becomes a candidate with
/// probability about ½ under `bands` × `rows`: (1/b)^(1/r), the usual
/// approximation of the S-curve's steepest point.
pub fn banding_threshold(bands: usize, rows: usize) -> f64 {
    (1.0 / bands as f64).powf(1.0 / rows as f64)
}

/// The banding (b, r), b·r ≤ `num_perm`, minimising
/// `fp_weight`·∫₀ᵗ p(s) ds + `fn_weight`·∫ₜ¹ (1 − p(s)) ds for t = `threshold`,
/// as datasketch's `MinHashLSH` chooses it (integrals by Simpson's rule).
/// Ties keep the smallest b, then the smallest r.
pub fn optimal_params(
    threshold: f64,
    num_perm: usize,
    fp_weight: f64,
    fn_weight: f64,
) -> (usize, usize) {
    let mut best = (f64::INFINITY, (1, 1));
    for b in 1..=num_perm {
        for r in 1..=num_perm / b {
            let fp = integrate(|s| s_curve(s, b, r), 0.0, threshold);
            let fnr = integrate(|s| 1.0 - s_curve(s, b, r), threshold, 1.0);
            let error = fp * fp_weight + fnr * fn_weight;
            if error < best.0 {
                best = (error, (b, r));
            }
        }
    }
    best.1
}

/// Composite Simpson's rule with 256 intervals.
fn integrate(f: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    const N: usize = 256;
    let h = (to - from) / N as f64;
    let inner: f64 = (1..N)
        .map(|i| f(from + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(from) + inner + f(to)) * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_curve_values() {
        assert_eq!(s_curve(0.0, 14, 8), 0.0);
        assert_eq!(s_curve(1.0, 14, 8), 1.0);
        let p = s_curve(0.8, 14, 8);
        assert!((p - (1.0 - (1.0 - 0.8f64.powi(8)).powi(14))).abs() < 1e-15);
        assert!((0.92..0.93).contains(&p), "{p}");
    }

    #[test]
    fn the_s_curve_rises_through_its_threshold() {
        let t = banding_threshold(14, 8);
        assert!((t - (1.0f64 / 14.0).powf(1.0 / 8.0)).abs() < 1e-15);
        let p = s_curve(t, 14, 8);
        assert!(p > 0.5 && p < 0.7, "{p}");
        assert!(s_curve(t - 0.05, 14, 8) < 0.5 && s_curve(t + 0.05, 14, 8) > 0.7);
    }

    #[test]
    fn simpson_integrates_polynomials() {
        assert!((integrate(|x| x * x, 0.0, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }
}
