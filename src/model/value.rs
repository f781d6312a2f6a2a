//! A number of the compiled model that is either fixed in the file or drawn: its own
//! file so that the model's parts (responses among them) can use it without referring
//! back to the model's root.

use crate::ix::{IxVec, ParamIx};

/// A number fixed in the file, or a parameter's value in the current draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number.
    Const(f64),
    /// The value of a parameter.
    Param(ParamIx),
}

impl Value {
    /// The value in a draw whose parameter values are `params`.
    #[inline]
    pub fn get(self, params: &IxVec<ParamIx, f64>) -> f64 {
        match self {
            Value::Const(v) => v,
            Value::Param(i) => params[i],
        }
    }
}
