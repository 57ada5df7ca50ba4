//! The dot product every search here runs on.

/// Accumulators in the portable kernel: 16 lanes let the compiler use
/// 4 × 128-bit or 2 × 256-bit registers.
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
const LANES: usize = 16;

/// `Σ a[i]·b[i]` over the shorter of the two slices.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::dot(a, b)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        portable(a, b)
    }
}

/// Safe kernel written so that it vectorises: independent lane sums.
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
#[inline]
pub fn portable(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..LANES {
            acc[i] += x[i] * y[i];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    // Pairwise fold of the lanes.
    let mut width = LANES / 2;
    while width > 0 {
        for i in 0..width {
            acc[i] += acc[i + width];
        }
        width /= 2;
    }
    acc[0] + tail
}

/// Explicit wasm simd128 kernel: four f32x4 accumulators.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::{f32x4, f32x4_add, f32x4_extract_lane, f32x4_mul, v128};

    fn load(x: &[f32]) -> v128 {
        f32x4(x[0], x[1], x[2], x[3])
    }

    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let mut acc = [f32x4(0.0, 0.0, 0.0, 0.0); 4];
        let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
        let (ra, rb) = (ca.remainder(), cb.remainder());
        for (x, y) in ca.zip(cb) {
            for (j, lane) in acc.iter_mut().enumerate() {
                let s = 4 * j;
                *lane = f32x4_add(*lane, f32x4_mul(load(&x[s..s + 4]), load(&y[s..s + 4])));
            }
        }
        // The same folding order as `portable`, so both give identical sums.
        let sum = f32x4_add(f32x4_add(acc[0], acc[2]), f32x4_add(acc[1], acc[3]));
        let lane = |i| match i {
            0 => f32x4_extract_lane::<0>(sum),
            1 => f32x4_extract_lane::<1>(sum),
            2 => f32x4_extract_lane::<2>(sum),
            _ => f32x4_extract_lane::<3>(sum),
        };
        let mut tail = 0.0;
        for (x, y) in ra.iter().zip(rb) {
            tail += x * y;
        }
        ((lane(0) + lane(2)) + (lane(1) + lane(3))) + tail
    }
}
