//! `synfin-tcp`: the concrete sans-IO TCP endpoint.
//!
//! Empty on purpose: the endpoint is a later issue. It will be written independently of
//! `synfin-model` (no shared protocol code) so that conformance between the two means something.
#![forbid(unsafe_code)]
