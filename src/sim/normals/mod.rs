//! Standard normals in blocks, at vector width: the shock stream of one chunk of draws.
//!
//! A draw consumes hundreds of normals; produced one at a time (a scalar generator
//! feeding a scalar ziggurat) they were a third of the national draw's instructions.
//! Here eight xoshiro256++ generators run side by side as lanes (`[u64; LANES]` per state
//! word, so each step is one vector operation), and the ziggurat's fast path — one table
//! lookup, one multiply, one comparison, taken about 99% of the time — runs over a
//! whole block of their outputs in one loop without branches. A proposal the fast path
//! rejects is finished afterwards by the exact scalar ziggurat (wedge test, tail, or a
//! fresh start) on a ninth, scalar generator, so the result is exactly N(0, 1): every
//! proposal's bits are independent uniforms whichever generator supplied them.
//!
//! The stream is generated in whole blocks and buffered: a draw that asks for five
//! normals takes them from the buffer instead of paying for a block (and for loading
//! and storing the lanes' state) of its own, and a draw that asks for hundreds gets
//! its whole blocks written straight into place.
//!
//! Determinism: the lanes and the fallback are seeded from the chunk's stream
//! (seed, `Purpose::Shocks`, chunk) and nothing else, a block's normals are taken
//! from the lanes in a fixed order, and blocks follow each other in the stream
//! whatever lengths are asked for, so a chunk's normals are one sequence that depends
//! only on the seed and the chunk, never on threads. The arithmetic is integer operations and single IEEE
//! multiplications, the same on every x86-64 or other machine; the rare tail and wedge
//! tests call libm's `ln` and the crate's own `exp`.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod tables;
mod ziggurat;

use super::rng::{stream, Purpose, Rng};
use rand::RngCore;
use ziggurat::{fill_blocks, propose, Lanes, BLOCK, LANES};

/// Normals generated at a time into the buffer: whole blocks, so none is wasted.
const BUFFERED: usize = 4 * BLOCK;

/// The shock stream of one chunk: normals in blocks.
#[derive(Debug, Clone)]
pub struct NormalStream {
    /// xoshiro256++ state word `w` of lane `l` is `s[w][l]`.
    s: Lanes,
    /// Supplies the extra numbers of the proposals the fast path rejects.
    fallback: Rng,
    /// The stream's next normals: `buffer[next..]` are generated and not yet handed out.
    buffer: Box<[f64; BUFFERED]>,
    next: usize,
}

impl NormalStream {
    /// The stream of chunk `chunk` of a run with seed `seed`.
    pub fn new(seed: u64, chunk: u64) -> NormalStream {
        let mut base = stream(seed, Purpose::Shocks, chunk);
        let mut s = [[0; LANES]; 4];
        // 256 random bits per lane: an all-zero state (xoshiro's one forbidden state)
        // has probability 2^-256.
        for lane in 0..LANES {
            for word in s.iter_mut() {
                word[lane] = base.next_u64();
            }
        }
        NormalStream {
            s,
            fallback: base,
            buffer: Box::new([0.0; BUFFERED]),
            next: BUFFERED,
        }
    }

    /// Fills `out` with the stream's next standard normals.
    pub fn fill(&mut self, out: &mut [f64]) {
        let kept = (BUFFERED - self.next).min(out.len());
        out[..kept].copy_from_slice(&self.buffer[self.next..self.next + kept]);
        self.next += kept;
        let out = &mut out[kept..];
        if out.is_empty() {
            return;
        }
        // The buffer is used up: whole blocks go straight into `out`, the rest comes
        // from a refilled buffer.
        let (direct, rest) = out.split_at_mut(out.len() / BLOCK * BLOCK);
        generate(&mut self.s, &mut self.fallback, direct);
        if !rest.is_empty() {
            generate(&mut self.s, &mut self.fallback, &mut self.buffer[..]);
            rest.copy_from_slice(&self.buffer[..rest.len()]);
            self.next = rest.len();
        }
    }
}

/// Writes the lanes' next `out.len()` normals (whole blocks, but for a test's odd
/// lengths) into `out`.
fn generate(s: &mut Lanes, fallback: &mut Rng, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: this CPU has AVX2, checked just above.
        return unsafe { avx2::fill(s, fallback, out) };
    }
    fill_portable(s, fallback, out);
}

/// `generate` on any CPU, one lane at a time: the same numbers as the AVX2 path.
fn fill_portable(s: &mut Lanes, fallback: &mut Rng, out: &mut [f64]) {
    let step = |round: &mut [u64]| {
        for (l, out) in round.iter_mut().enumerate() {
            *out = s[0][l]
                .wrapping_add(s[3][l])
                .rotate_left(23)
                .wrapping_add(s[0][l]);
            let t = s[1][l] << 17;
            s[2][l] ^= s[0][l];
            s[3][l] ^= s[1][l];
            s[1][l] ^= s[2][l];
            s[0][l] ^= s[3][l];
            s[2][l] ^= t;
            s[3][l] = s[3][l].rotate_left(45);
        }
    };
    let propose_all = |bits: &[u64; BLOCK], xs: &mut [f64; BLOCK], n: usize| {
        let mut rejected = 0u64;
        for (k, (x, &b)) in xs.iter_mut().zip(bits).take(n).enumerate() {
            let accepted;
            (*x, accepted) = propose(b);
            rejected |= u64::from(!accepted) << k;
        }
        rejected
    };
    fill_blocks(out, fallback, step, propose_all);
}

#[cfg(test)]
mod tests {
    use super::tables::R;
    use super::*;
    use crate::stats::std_normal_cdf as phi;

    #[test]
    fn same_seed_and_chunk_same_normals_and_others_differ() {
        let fill = |seed, chunk| {
            let mut z = vec![0.0; 203];
            NormalStream::new(seed, chunk).fill(&mut z);
            z
        };
        assert_eq!(fill(5, 1), fill(5, 1));
        assert_ne!(fill(5, 1), fill(5, 2));
        assert_ne!(fill(5, 1), fill(6, 1));
    }

    /// Asking for the normals in pieces of any length gives the same sequence as
    /// asking for them at once: the stream does not depend on how draws consume it.
    #[test]
    fn the_stream_is_one_sequence_whatever_the_lengths_asked_for() {
        let mut whole = vec![0.0; 2000];
        NormalStream::new(4, 2).fill(&mut whole);
        let mut pieces = vec![0.0; 2000];
        let mut g = NormalStream::new(4, 2);
        let mut at = 0;
        for len in [5, 300, 1, 64, 251, 256, 630, 1, 128, 364] {
            g.fill(&mut pieces[at..at + len]);
            at += len;
        }
        assert_eq!(at, 2000);
        assert_eq!(whole, pieces);
    }

    /// The AVX2 path and the portable path give the same numbers, call after call, for
    /// lengths that are and are not whole rounds and blocks.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_and_portable_paths_agree_bit_for_bit() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this CPU: the portable path is the only one, nothing to compare");
            return;
        }
        let (mut a, mut b) = (NormalStream::new(3, 9), NormalStream::new(3, 9));
        for len in [1, 5, 8, 63, 64, 65, 77, 200, 1000, 3] {
            let (mut za, mut zb) = (vec![0.0; len], vec![0.0; len]);
            // SAFETY: AVX2 is present, checked above.
            unsafe { avx2::fill(&mut a.s, &mut a.fallback, &mut za) };
            fill_portable(&mut b.s, &mut b.fallback, &mut zb);
            let bits = |z: &[f64]| z.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&za), bits(&zb), "length {len}");
        }
    }

    /// Frequencies at the quantiles of N(0, 1), the tail beyond R (which only `tail`
    /// reaches) and the first two moments, each within 5 Monte Carlo standard errors.
    #[test]
    fn normals_have_the_normal_distribution() {
        let n = 2_000_000;
        let mut z = vec![0.0; n];
        let mut g = NormalStream::new(17, 0);
        // Blocks of the length a draw asks for, not one long fill.
        for draw in z.chunks_mut(77) {
            g.fill(draw);
        }
        let nf = n as f64;
        let check = |what: &str, count: usize, p: f64| {
            let se = (p * (1.0 - p) / nf).sqrt();
            let got = count as f64 / nf;
            assert!((got - p).abs() < 5.0 * se, "{what}: {got} vs {p} (se {se})");
        };
        for c in [-3.0, -2.0, -1.0, -0.3, 0.0, 0.5, 1.5, 2.5, 3.2] {
            check(
                &format!("P(Z < {c})"),
                z.iter().filter(|&&v| v < c).count(),
                phi(c),
            );
        }
        let beyond = z.iter().filter(|v| v.abs() > R).count();
        check("P(|Z| > R)", beyond, 2.0 * phi(-R));
        let mean = z.iter().sum::<f64>() / nf;
        assert!(mean.abs() < 5.0 / nf.sqrt(), "mean {mean}");
        // Var(Z²) = 2.
        let m2 = z.iter().map(|v| v * v).sum::<f64>() / nf;
        assert!((m2 - 1.0).abs() < 5.0 * (2.0 / nf).sqrt(), "E[Z²] {m2}");
    }
}
