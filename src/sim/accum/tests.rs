//! The accumulator's block-buffered totals against naive per-draw counts.

use super::*;
use crate::ix::{ParamIx, TargetIx};
use crate::model::Goal;
use crate::sim::layout::{Slot, SENSITIVITY_BINS};

/// `j` targets, each hit when its outcome is at least 0; `k` uncertain parameters.
fn layout(j: usize, k: usize) -> Layout {
    Layout {
        slots: (0..j)
            .map(|t| Slot {
                target: TargetIx(t),
                goal: Goal::at_least(0.0),
                binding: t % 3 == 0,
                range: (-1.0, 1.0),
            })
            .collect(),
        fans: vec![],
        years: 1,
        uncertain: (0..k).map(ParamIx).collect(),
        conditions: vec![],
        keep_rows: 0,
        fan_draws: 0,
        responses: 0,
    }
}

/// A deterministic stream of numbers in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One draw's outcomes (about a third missed, some not a number) and bins.
fn random_draw(rng: &mut Lcg, j: usize, k: usize) -> (Vec<f64>, Vec<u8>) {
    let outcomes = (0..j)
        .map(|_| match rng.next() {
            u if u < 0.02 => f64::NAN,
            u => u - 0.33,
        })
        .collect();
    let bins = (0..k)
        .map(|_| (rng.next() * SENSITIVITY_BINS as f64) as u8)
        .collect();
    (outcomes, bins)
}

#[test]
fn block_totals_equal_naive_per_draw_counts() {
    // 37 targets span three lanes of sums (the last one padded); 1000 draws fill
    // several blocks and leave one part-full; 3 parameters.
    let (j_n, k_n, n) = (37, 3, 1000);
    let l = layout(j_n, k_n);
    let mut acc = Accumulator::new(&l);
    let mut rng = Lcg(7);
    let mut pair = vec![vec![0u64; j_n]; j_n];
    let mut k_missed = vec![0u64; j_n + 1];
    let mut sums = vec![vec![vec![0.0f64; j_n]; SENSITIVITY_BINS]; k_n];
    let params: IxVec<ParamIx, f64> = IxVec::filled(0.0, k_n);
    for draw in 0..n {
        let (x, b) = random_draw(&mut rng, j_n, k_n);
        let missed: Vec<bool> = x.iter().map(|&v| v.is_nan() || v < 0.0).collect();
        for a in 0..j_n {
            for c in a..j_n {
                pair[a][c] += u64::from(missed[a] && missed[c]);
            }
        }
        k_missed[missed.iter().filter(|&&m| m).count()] += 1;
        for (k, &bin) in b.iter().enumerate() {
            for (t, &v) in x.iter().enumerate() {
                sums[k][usize::from(bin)][t] += if v.is_finite() { v } else { 0.0 };
            }
        }
        let outcomes: IxVec<TargetIx, f64> = IxVec::from_raw(x);
        let bins: IxVec<DimIx, u8> = IxVec::from_raw(b);
        let d = Drawn::new(&params, &bins, &outcomes, &outcomes, &[], 1);
        acc.add(&l, &d, draw);
    }
    acc.flush();
    assert_eq!(acc.draws(), n);
    assert_eq!(acc.k_missed(), &k_missed[..]);
    for a in 0..j_n {
        for c in 0..j_n {
            let want = pair[a.min(c)][a.max(c)];
            assert_eq!(
                acc.missed_together(SlotIx(a), SlotIx(c)),
                want,
                "pair ({a}, {c})"
            );
        }
        assert_eq!(
            acc.missed_together(SlotIx(a), SlotIx(a)),
            n - acc.hits()[SlotIx(a)]
        );
    }
    for (k, by_bin) in sums.iter().enumerate() {
        for (b, by_target) in by_bin.iter().enumerate() {
            for (t, &want) in by_target.iter().enumerate() {
                // Same additions in the same (draw) order: the same bits.
                let got = acc.bin_sum(DimIx(k), b, SlotIx(t));
                assert_eq!(got.to_bits(), want.to_bits(), "sum ({k}, {b}, {t})");
            }
        }
    }
}

#[test]
fn merged_halves_count_what_one_accumulator_counts() {
    let (j_n, k_n) = (5, 2);
    let l = layout(j_n, k_n);
    let (mut whole, mut first, mut second) = (
        Accumulator::new(&l),
        Accumulator::new(&l),
        Accumulator::new(&l),
    );
    let mut rng = Lcg(11);
    let params: IxVec<ParamIx, f64> = IxVec::filled(0.0, k_n);
    for draw in 0..300 {
        let (x, b) = random_draw(&mut rng, j_n, k_n);
        let outcomes: IxVec<TargetIx, f64> = IxVec::from_raw(x);
        let bins: IxVec<DimIx, u8> = IxVec::from_raw(b);
        let d = Drawn::new(&params, &bins, &outcomes, &outcomes, &[], 1);
        whole.add(&l, &d, draw);
        // The first half ends mid-block, so the merge must flush it.
        if draw < 170 { &mut first } else { &mut second }.add(&l, &d, draw);
    }
    first.merge(&second);
    whole.flush();
    let (a, b) = (first.totals(), whole.totals());
    assert_eq!(a.draws, b.draws);
    assert_eq!(a.hits, b.hits);
    assert_eq!(a.k_missed, b.k_missed);
    assert_eq!(a.pair_miss, b.pair_miss);
    assert_eq!(a.bin_count, b.bin_count);
    assert_eq!(
        (a.all_binding, a.all_modeled),
        (b.all_binding, b.all_modeled)
    );
}
