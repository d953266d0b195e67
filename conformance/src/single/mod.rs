//! Single-endpoint conformance with `proptest-state-machine`: the model's pure rule layer
//! ([`reference::Reference`]) is the reference state machine, one `synfin-tcp` connection
//! ([`sut::Conformance`]) the system under test. The test plays the peer: it makes the user's
//! calls, sends segments chosen with intent from the reference TCB ([`generate`]), and lets
//! timers expire. After every step the endpoint must have done what the model allows
//! ([`compare`]); [`coverage`] counts which (state, segment kind) pairs were exercised.

pub mod compare;
pub mod coverage;
pub mod generate;
pub mod reference;
pub mod sut;

pub use reference::{RefState, Reference, Transition};
pub use sut::Conformance;
