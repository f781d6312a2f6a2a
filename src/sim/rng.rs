//! Random-number streams. Every chunk of draws has its own stream derived from
//! (seed, purpose, chunk index) — never from thread identity or timing — so results
//! are bit-identical on any number of threads.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator behind every stream: small, fast and value-stable across versions.
pub type Rng = Xoshiro256PlusPlus;

/// What a stream is used for; separate purposes never share numbers, so changing the
/// parameter sampler leaves the growth shocks untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Growth and indicator shocks.
    Shocks = 1,
    /// Parameter uniforms.
    Parameters = 2,
    /// Sobol scrambling seeds.
    Scramble = 3,
}

/// SplitMix64 finaliser: a bijective mixer with good avalanche.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for one chunk and purpose.
pub fn stream(seed: u64, purpose: Purpose, chunk: u64) -> Rng {
    Rng::seed_from_u64(mix(mix(seed ^ mix(purpose as u64)) ^ chunk))
}

/// A uniform in the open interval (0, 1): safe to feed to an inverse CDF.
#[inline]
pub fn open01(rng: &mut Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the streams: a change here changes every published result.
    #[test]
    fn value_stability() {
        let mut r = stream(42, Purpose::Shocks, 0);
        let u: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut r2 = stream(42, Purpose::Shocks, 0);
        assert_eq!(u, (0..3).map(|_| r2.next_u64()).collect::<Vec<_>>());
        assert_ne!(stream(42, Purpose::Shocks, 1).next_u64(), u[0]);
        assert_ne!(stream(42, Purpose::Parameters, 0).next_u64(), u[0]);
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn open01_is_strictly_inside() {
        let mut r = stream(1, Purpose::Parameters, 0);
        for _ in 0..10_000 {
            let u = open01(&mut r);
            assert!(u > 0.0 && u < 1.0);
        }
    }
}
