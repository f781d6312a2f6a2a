//! Helpers for tests that open planrisk's HTML reports in a real browser and check them
//! with the Nu Html Checker.
#![allow(dead_code)]

pub mod cdp;
pub mod tools;
