//! The profiles of the real peers, as the scenario tests check them: the files
//! `profiles/linux.toml` and `profiles/smoltcp.toml` (format: `profiles/README.md`), read by
//! `synfin_conformance::profile`. The probes that establish each profile by crafting segments
//! are `tests/linux_profile.rs` and `tests/smoltcp_profile.rs`.

use synfin_conformance::profile::Profile;

/// The Linux kernel's profile (`profiles/linux.toml`).
pub fn linux() -> Profile {
    Profile::shipped("linux").expect("profiles/linux.toml is valid (tests/profiles.rs)")
}

/// smoltcp's profile (`profiles/smoltcp.toml`).
pub fn smoltcp() -> Profile {
    Profile::shipped("smoltcp").expect("profiles/smoltcp.toml is valid (tests/profiles.rs)")
}
