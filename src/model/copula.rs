//! Rank correlation between parameters through a Gaussian copula: the user's matrix
//! is checked (square, symmetric, unit diagonal, positive semi-definite) and factored
//! once with nalgebra; each draw then costs one triangular matrix-vector product.

use nalgebra::{DMatrix, SymmetricEigen};
use std::fmt;

/// A validated correlation matrix and its Cholesky-like factor `L` (`L·Lᵀ = C`).
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    pub dim: usize,
    /// Row-major lower-triangular factor.
    pub factor: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CopulaError {
    pub message: String,
    pub hint: String,
    /// (row, column) of the offending entry, when one entry is to blame.
    pub entry: Option<(usize, usize)>,
}

impl fmt::Display for CopulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hint)
    }
}

impl std::error::Error for CopulaError {}

fn err(message: String, hint: &str, entry: Option<(usize, usize)>) -> CopulaError {
    CopulaError {
        message,
        hint: hint.into(),
        entry,
    }
}

impl Copula {
    pub fn new(rows: &[Vec<f64>]) -> Result<Copula, CopulaError> {
        let n = rows.len();
        for (i, r) in rows.iter().enumerate() {
            if r.len() != n {
                return Err(err(
                    format!(
                        "correlation matrix is not square: row {} has {} entries, expected {n}",
                        i + 1,
                        r.len()
                    ),
                    "give one row per parameter, each with one entry per parameter",
                    Some((i, 0)),
                ));
            }
        }
        for (i, row) in rows.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                    return Err(err(
                        format!(
                            "correlation [{}][{}] = {v} is outside [-1, 1]",
                            i + 1,
                            j + 1
                        ),
                        "correlations lie between -1 and 1",
                        Some((i, j)),
                    ));
                }
                if i == j && v != 1.0 {
                    return Err(err(
                        format!("diagonal entry [{}][{}] is {v}, not 1", i + 1, i + 1),
                        "a parameter is perfectly correlated with itself: put 1.0 on the diagonal",
                        Some((i, i)),
                    ));
                }
                if (v - rows[j][i]).abs() > 1e-12 {
                    return Err(err(
                        format!(
                            "correlation matrix is not symmetric: [{}][{}] = {v} but [{}][{}] = {}",
                            i + 1,
                            j + 1,
                            j + 1,
                            i + 1,
                            rows[j][i]
                        ),
                        "entry (i, j) and entry (j, i) must be equal",
                        Some((i, j)),
                    ));
                }
            }
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
            let shown: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        "[{}]",
                        (0..n)
                            .map(|j| format!("{:.3}", nearest[(i, j)]))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            return Err(err(
                format!("correlation matrix is not positive semi-definite: its smallest eigenvalue is {min:.4}"),
                &format!("these correlations cannot hold together; the nearest valid matrix is [{}]", shown.join(", ")),
                None,
            ));
        }
        // Factor through the eigen decomposition so semi-definite matrices work too:
        // L = Q·sqrt(Λ) is not triangular, so re-triangularise with a Cholesky of Q Λ Qᵀ
        // after clipping tiny negative eigenvalues.
        let clipped = reconstruct(&eig, 0.0) + DMatrix::identity(n, n) * 1e-12;
        let chol = clipped.cholesky().ok_or_else(|| {
            err(
                "correlation matrix could not be factored".into(),
                "check that it is positive semi-definite",
                None,
            )
        })?;
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
        assert!(Copula::new(&[vec![1.0, 0.5], vec![0.4, 1.0]])
            .unwrap_err()
            .message
            .contains("symmetric"));
        assert!(Copula::new(&[vec![1.0, 0.5]])
            .unwrap_err()
            .message
            .contains("square"));
        assert!(Copula::new(&[vec![0.9, 0.0], vec![0.0, 1.0]])
            .unwrap_err()
            .message
            .contains("diagonal"));
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let e = Copula::new(&bad).unwrap_err();
        assert!(e.message.contains("positive semi-definite") && e.hint.contains("nearest"));
    }

    #[test]
    fn semidefinite_matrix_is_accepted() {
        assert!(Copula::new(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_ok());
    }
}
