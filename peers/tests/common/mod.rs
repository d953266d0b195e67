//! Helpers shared by integration tests of this crate (each test file includes the module; a
//! file that uses only part of it would otherwise warn about the rest).
#![allow(dead_code)]

pub mod linux;
