//! The named profiles of the real peers, as the scenario tests check them: the model's
//! [`synfin_model::Profile`] each peer matches (RFC 793 or RFC 5961 rules, RFC 1337) and the
//! differences from the model it is known to show, each documented with its RFC citation
//! (README, "Checked against real TCP"). The probes that establish each profile by crafting
//! segments are `tests/linux_profile.rs` and `tests/smoltcp_profile.rs`.

pub mod linux;
pub mod smoltcp;
