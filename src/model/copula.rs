//! Rank correlation between parameters through a Gaussian copula: the user's matrix
//! is checked (square, symmetric, unit diagonal, positive semi-definite) and factored
//! once with nalgebra; each draw then costs one triangular matrix-vector product.

use nalgebra::{DMatrix, SymmetricEigen};
use std::fmt;

/// A validated correlation matrix and its Cholesky-like factor `L` (`L·Lᵀ = C`).
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    /// Number of correlated parameters.
    pub dim: usize,
    /// Row-major lower-triangular factor.
    pub factor: Vec<f64>,
}

/// Why a correlation matrix is not valid. Rows and columns are 0-based.
#[derive(Debug, Clone, PartialEq)]
pub enum CopulaError {
    /// A row has `len` entries instead of `expected`.
    NotSquare {
        /// The row (0-based).
        row: usize,
        /// Its number of entries.
        len: usize,
        /// The number it should have.
        expected: usize,
    },
    /// An entry is not a number in [-1, 1].
    OutOfRange {
        /// Row (0-based).
        row: usize,
        /// Column (0-based).
        col: usize,
        /// The entry.
        value: f64,
    },
    /// A diagonal entry is not 1.
    Diagonal {
        /// Row (0-based).
        row: usize,
        /// The entry.
        value: f64,
    },
    /// Entry (row, col) differs from entry (col, row).
    NotSymmetric {
        /// Row (0-based).
        row: usize,
        /// Column (0-based).
        col: usize,
        /// Entry (row, col).
        value: f64,
        /// Entry (col, row).
        mirror: f64,
    },
    /// The correlations cannot hold together; `nearest` is a valid matrix close to it.
    NotPositiveSemiDefinite {
        /// The smallest eigenvalue.
        min_eigenvalue: f64,
        /// A valid matrix near the given one.
        nearest: Vec<Vec<f64>>,
    },
    /// The factorisation failed.
    NotFactorable,
}

impl CopulaError {
    /// The (row, column) of the entry to blame, when one entry is.
    pub fn entry(&self) -> Option<(usize, usize)> {
        match *self {
            CopulaError::NotSquare { row, .. } => Some((row, 0)),
            CopulaError::OutOfRange { row, col, .. }
            | CopulaError::NotSymmetric { row, col, .. } => Some((row, col)),
            CopulaError::Diagonal { row, .. } => Some((row, row)),
            CopulaError::NotPositiveSemiDefinite { .. } | CopulaError::NotFactorable => None,
        }
    }

    /// What is wrong, with entries numbered from 1 and numbers written by `num`.
    pub fn message(&self, num: impl Fn(f64) -> String) -> String {
        match self {
            CopulaError::NotSquare { row, len, expected } => format!(
                "correlation matrix is not square: row {} has {len} entries, expected {expected}",
                row + 1
            ),
            CopulaError::OutOfRange { row, col, value } => format!(
                "correlation [{}][{}] = {} is outside [-1, 1]",
                row + 1,
                col + 1,
                num(*value)
            ),
            CopulaError::Diagonal { row, value } => {
                format!("diagonal entry [{}][{}] is {}, not 1", row + 1, row + 1, num(*value))
            }
            CopulaError::NotSymmetric {
                row,
                col,
                value,
                mirror,
            } => format!(
                "correlation matrix is not symmetric: [{}][{}] = {} but [{}][{}] = {}",
                row + 1,
                col + 1,
                num(*value),
                col + 1,
                row + 1,
                num(*mirror)
            ),
            CopulaError::NotPositiveSemiDefinite { min_eigenvalue, .. } => format!(
                "correlation matrix is not positive semi-definite: its smallest eigenvalue is {min_eigenvalue:.4}"
            ),
            CopulaError::NotFactorable => "correlation matrix could not be factored".into(),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            CopulaError::NotSquare { .. } => {
                "give one row per parameter, each with one entry per parameter".into()
            }
            CopulaError::OutOfRange { .. } => "correlations lie between -1 and 1".into(),
            CopulaError::Diagonal { .. } => {
                "a parameter is perfectly correlated with itself: put 1.0 on the diagonal".into()
            }
            CopulaError::NotSymmetric { .. } => {
                "entry (i, j) and entry (j, i) must be equal".into()
            }
            CopulaError::NotPositiveSemiDefinite { nearest, .. } => {
                let rows: Vec<String> = nearest
                    .iter()
                    .map(|r| {
                        let r: Vec<String> = r.iter().map(|v| format!("{v:.3}")).collect();
                        format!("[{}]", r.join(", "))
                    })
                    .collect();
                format!(
                    "these correlations cannot hold together; the nearest valid matrix is [{}]",
                    rows.join(", ")
                )
            }
            CopulaError::NotFactorable => "check that it is positive semi-definite".into(),
        }
    }
}

impl fmt::Display for CopulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message(|v| v.to_string()), self.hint())
    }
}

impl std::error::Error for CopulaError {}

impl Copula {
    /// Checks `rows` (square, entries in [-1, 1], unit diagonal, symmetric, positive
    /// semi-definite, in that order) and factors it.
    pub fn new(rows: &[Vec<f64>]) -> Result<Copula, CopulaError> {
        let n = rows.len();
        if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
            return Err(CopulaError::NotSquare {
                row,
                len: r.len(),
                expected: n,
            });
        }
        for (i, row) in rows.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                    return Err(CopulaError::OutOfRange {
                        row: i,
                        col: j,
                        value: v,
                    });
                }
                if i == j && v != 1.0 {
                    return Err(CopulaError::Diagonal { row: i, value: v });
                }
                if (v - rows[j][i]).abs() > 1e-12 {
                    return Err(CopulaError::NotSymmetric {
                        row: i,
                        col: j,
                        value: v,
                        mirror: rows[j][i],
                    });
                }
            }
        }
        if n == 0 {
            // Nothing is correlated (nalgebra cannot decompose an empty matrix).
            return Ok(Copula {
                dim: 0,
                factor: Vec::new(),
            });
        }
        let c = DMatrix::from_fn(n, n, |i, j| rows[i][j]);
        let eig = SymmetricEigen::new(c.clone());
        let min = eig
            .eigenvalues
            .iter()
            .cloned()
            .fold(f64::INFINITY, f64::min);
        if min < -1e-10 {
            let nearest = nearest_correlation(&eig);
            return Err(CopulaError::NotPositiveSemiDefinite {
                min_eigenvalue: min,
                nearest: (0..n)
                    .map(|i| (0..n).map(|j| nearest[(i, j)]).collect())
                    .collect(),
            });
        }
        // Factor through the eigen decomposition so semi-definite matrices work too:
        // L = Q·sqrt(Λ) is not triangular, so re-triangularise with a Cholesky of Q Λ Qᵀ
        // after clipping tiny negative eigenvalues.
        let clipped = reconstruct(&eig, 0.0) + DMatrix::identity(n, n) * 1e-12;
        let chol = clipped.cholesky().ok_or(CopulaError::NotFactorable)?;
        let l = chol.l();
        let mut factor = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                factor[i * n + j] = l[(i, j)];
            }
        }
        Ok(Copula { dim: n, factor })
    }

    /// `out = L·z` (correlates independent standard normals).
    #[inline]
    pub fn correlate(&self, z: &[f64], out: &mut [f64]) {
        let n = self.dim;
        for (i, o) in out.iter_mut().enumerate().take(n) {
            let row = &self.factor[i * n..i * n + i + 1];
            *o = row.iter().zip(z).map(|(a, b)| a * b).sum();
        }
    }
}

fn reconstruct(eig: &SymmetricEigen<f64, nalgebra::Dyn>, floor: f64) -> DMatrix<f64> {
    let vals = eig.eigenvalues.map(|v| v.max(floor));
    &eig.eigenvectors * DMatrix::from_diagonal(&vals) * eig.eigenvectors.transpose()
}

/// Eigenvalue clipping and rescaling to unit diagonal: a simple nearby valid matrix.
fn nearest_correlation(eig: &SymmetricEigen<f64, nalgebra::Dyn>) -> DMatrix<f64> {
    let m = reconstruct(eig, 1e-6);
    let n = m.nrows();
    DMatrix::from_fn(n, n, |i, j| m[(i, j)] / (m[(i, i)] * m[(j, j)]).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_reproduces_the_matrix() {
        let c = Copula::new(&[vec![1.0, 0.5], vec![0.5, 1.0]]).unwrap();
        let mut out = [0.0; 2];
        c.correlate(&[1.0, 0.0], &mut out);
        assert!((out[0] - 1.0).abs() < 1e-9 && (out[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn rejects_invalid_matrices() {
        assert!(matches!(
            Copula::new(&[vec![1.0, 0.5], vec![0.4, 1.0]]),
            Err(CopulaError::NotSymmetric { row: 0, col: 1, .. })
        ));
        assert!(matches!(
            Copula::new(&[vec![1.0, 0.5]]),
            Err(CopulaError::NotSquare {
                row: 0,
                len: 2,
                expected: 1
            })
        ));
        assert!(matches!(
            Copula::new(&[vec![0.9, 0.0], vec![0.0, 1.0]]),
            Err(CopulaError::Diagonal { row: 0, .. })
        ));
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let e = Copula::new(&bad).unwrap_err();
        assert!(matches!(e, CopulaError::NotPositiveSemiDefinite { .. }));
        assert!(e.to_string().contains("positive semi-definite") && e.hint().contains("nearest"));
    }

    #[test]
    fn empty_matrix_correlates_nothing() {
        let c = Copula::new(&[]).expect("empty is valid");
        assert_eq!(c.dim, 0);
        c.correlate(&[], &mut []);
    }

    #[test]
    fn semidefinite_matrix_is_accepted() {
        assert!(Copula::new(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_ok());
    }
}
