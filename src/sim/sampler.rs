//! Samplers for the parameter (epistemic) dimensions: plain Monte Carlo, Latin
//! hypercube and Owen-scrambled Sobol. Each fills a chunk's matrix of uniforms; the
//! distributions turn them into values through their inverse CDFs.
//!
//! Determinism: a chunk's uniforms depend only on (seed, chunk index, draw index), so
//! any thread count gives the same numbers. LHS stratifies within each chunk; Sobol
//! uses one independently scrambled sequence per block of 2^16 draws (its index limit).

use super::rng::{mix, open01, stream, Purpose};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the uncertain parameters' uniforms are drawn; written `mc`, `lhs`, `sobol` on
/// the command line and in summary.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sampler {
    /// Plain Monte Carlo.
    #[serde(rename = "mc")]
    MonteCarlo,
    /// Latin hypercube, stratified within each chunk.
    #[serde(rename = "lhs")]
    LatinHypercube,
    /// Owen-scrambled Sobol points.
    #[serde(rename = "sobol")]
    Sobol,
}

/// Sobol dimensions available from `sobol_burley`.
pub const SOBOL_MAX_DIMS: usize = sobol_burley::NUM_DIMENSIONS as usize;
const SOBOL_BLOCK: u64 = 1 << 16;

impl Sampler {
    /// The name on the command line and in results (`mc`, `lhs`, `sobol`).
    pub fn name(self) -> &'static str {
        match self {
            Sampler::MonteCarlo => "mc",
            Sampler::LatinHypercube => "lhs",
            Sampler::Sobol => "sobol",
        }
    }

    /// Fills `out` (row-major, `n` rows × `dims`) with the uniforms of draws
    /// `first .. first + n`, which form chunk `chunk`.
    pub fn fill(self, seed: u64, chunk: u64, first: u64, n: usize, dims: usize, out: &mut [f64]) {
        let mut rng = stream(seed, Purpose::Parameters, chunk);
        match self {
            Sampler::MonteCarlo => out[..n * dims]
                .iter_mut()
                .for_each(|u| *u = open01(&mut rng)),
            Sampler::LatinHypercube => {
                let mut perm: Vec<u32> = (0..n as u32).collect();
                for d in 0..dims {
                    // Fisher–Yates with a bounded draw; n ≤ chunk size, far below 2^32.
                    for i in (1..n).rev() {
                        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                        perm.swap(i, j);
                    }
                    for (i, &p) in perm.iter().enumerate() {
                        out[i * dims + d] = (p as f64 + open01(&mut rng)) / n as f64;
                    }
                }
            }
            Sampler::Sobol => {
                for i in 0..n {
                    let draw = first + i as u64;
                    let block_seed =
                        mix(seed ^ mix(draw / SOBOL_BLOCK + Purpose::Scramble as u64)) as u32;
                    let index = (draw % SOBOL_BLOCK) as u32;
                    for d in 0..dims {
                        let s = sobol_burley::sample(index, d as u32, block_seed) as f64;
                        // f32 points have 2^-24 resolution: dither inside the cell so
                        // no uniform is exactly 0 and tails are reachable.
                        out[i * dims + d] = (s + open01(&mut rng) * (1.0 / (1u64 << 24) as f64))
                            .clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
                    }
                }
            }
        }
    }
}

impl fmt::Display for Sampler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A sampler name that is not `mc`, `lhs` or `sobol`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSampler(pub String);

impl fmt::Display for UnknownSampler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown sampler `{}`: use mc, lhs or sobol", self.0)
    }
}

impl std::error::Error for UnknownSampler {}

impl FromStr for Sampler {
    type Err = UnknownSampler;
    fn from_str(s: &str) -> Result<Self, UnknownSampler> {
        match s {
            "mc" => Ok(Sampler::MonteCarlo),
            "lhs" => Ok(Sampler::LatinHypercube),
            "sobol" => Ok(Sampler::Sobol),
            _ => Err(UnknownSampler(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lhs_puts_one_point_in_each_stratum() {
        let n = 64;
        let mut out = vec![0.0; n * 3];
        Sampler::LatinHypercube.fill(7, 0, 0, n, 3, &mut out);
        for d in 0..3 {
            let mut strata: Vec<usize> = (0..n)
                .map(|i| (out[i * 3 + d] * n as f64) as usize)
                .collect();
            strata.sort();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn samplers_are_deterministic_and_inside_unit_interval() {
        for s in [Sampler::MonteCarlo, Sampler::LatinHypercube, Sampler::Sobol] {
            let mut a = vec![0.0; 100 * 4];
            let mut b = vec![0.0; 100 * 4];
            s.fill(3, 2, 200, 100, 4, &mut a);
            s.fill(3, 2, 200, 100, 4, &mut b);
            assert_eq!(a, b);
            assert!(a.iter().all(|&u| u > 0.0 && u < 1.0));
        }
    }
}
