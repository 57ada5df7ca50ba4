//! A 2-D map of vectors: their projection on the first two principal axes.
//!
//! The covariance (f64) is diagonalised by power iteration with deflation,
//! from a fixed start vector, so the result is deterministic. Each axis is
//! signed so that its largest-magnitude component is positive.

use super::matrix::Vectors;

/// Power-iteration steps per axis, at most.
const MAX_STEPS: usize = 1000;
/// Stop when the axis moves less than this (L2) between steps.
const TOLERANCE: f64 = 1e-12;

/// The first two principal axes of `vectors` (each unit-norm, of length dim).
pub fn principal_axes(vectors: &Vectors) -> [Vec<f64>; 2] {
    let (n, d) = (vectors.len(), vectors.dim());
    let mean = mean(vectors);
    let mut cov = vec![0.0f64; d * d];
    let mut centred = vec![0.0f64; d];
    for row in vectors.rows() {
        for (c, (x, m)) in centred.iter_mut().zip(row.iter().zip(&mean)) {
            *c = *x as f64 - m;
        }
        for i in 0..d {
            let ci = centred[i];
            for (j, cj) in centred.iter().enumerate().skip(i) {
                cov[i * d + j] += ci * cj;
            }
        }
    }
    let scale = 1.0 / (n.max(2) - 1) as f64;
    for i in 0..d {
        for j in i..d {
            let v = cov[i * d + j] * scale;
            cov[i * d + j] = v;
            cov[j * d + i] = v;
        }
    }
    let first = leading_axis(&cov, d);
    let lambda = rayleigh(&cov, &first, d);
    for i in 0..d {
        for j in 0..d {
            cov[i * d + j] -= lambda * first[i] * first[j];
        }
    }
    let second = leading_axis(&cov, d);
    [first, second]
}

/// Each row's coordinates on the first two principal axes (after centring).
pub fn pca_2d(vectors: &Vectors) -> Vec<[f32; 2]> {
    if vectors.is_empty() {
        return Vec::new();
    }
    let mean = mean(vectors);
    let [a, b] = principal_axes(vectors);
    vectors
        .rows()
        .map(|row| {
            let (mut x, mut y) = (0.0f64, 0.0f64);
            for (i, v) in row.iter().enumerate() {
                let c = *v as f64 - mean[i];
                x += c * a[i];
                y += c * b[i];
            }
            [x as f32, y as f32]
        })
        .collect()
}

fn mean(vectors: &Vectors) -> Vec<f64> {
    let mut mean = vec![0.0f64; vectors.dim()];
    for row in vectors.rows() {
        mean.iter_mut().zip(row).for_each(|(m, x)| *m += *x as f64);
    }
    let n = vectors.len().max(1) as f64;
    mean.iter_mut().for_each(|m| *m /= n);
    mean
}

fn multiply(matrix: &[f64], v: &[f64], d: usize) -> Vec<f64> {
    (0..d)
        .map(|i| {
            matrix[i * d..(i + 1) * d]
                .iter()
                .zip(v)
                .map(|(a, b)| a * b)
                .sum()
        })
        .collect()
}

fn rayleigh(matrix: &[f64], v: &[f64], d: usize) -> f64 {
    multiply(matrix, v, d)
        .iter()
        .zip(v)
        .map(|(a, b)| a * b)
        .sum()
}

/// The unit eigenvector of the largest eigenvalue of a symmetric PSD matrix.
fn leading_axis(matrix: &[f64], d: usize) -> Vec<f64> {
    // A fixed start with no special symmetry.
    let mut v: Vec<f64> = (0..d)
        .map(|i| 1.0 + ((i * 7919) % 101) as f64 / 101.0)
        .collect();
    unit(&mut v);
    for _ in 0..MAX_STEPS {
        let mut w = multiply(matrix, &v, d);
        if !unit(&mut w) {
            return v;
        }
        let moved: f64 = w
            .iter()
            .zip(&v)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        v = w;
        if moved < TOLERANCE {
            break;
        }
    }
    // Sign: largest-magnitude component positive.
    let big = v
        .iter()
        .copied()
        .fold(0.0f64, |acc, x| if x.abs() > acc.abs() { x } else { acc });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    v
}

/// Scales `v` to unit norm; false when it is zero.
fn unit(v: &mut [f64]) -> bool {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
        true
    } else {
        false
    }
}
