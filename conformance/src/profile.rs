//! Profile files: a stack's reading of the choices RFC 9293 leaves open, and the families of
//! differences from the reference it is known to show, each matched by signature
//! ([`crate::signature`]), each with the RFC sentence it departs from and whose departure it
//! is. The format is documented in `profiles/README.md`. synfin builds in `profiles/linux.toml`,
//! `profiles/smoltcp.toml` and `profiles/freebsd.toml` (the packetdrill corpus), and reads any
//! other (`profiles/pytcp.toml`, yours) from its file.
//!
//! A family matches a difference when one of its signature patterns does (first family
//! first) and, if it names one, its evidence holds: a check on the numbers the signature
//! leaves out, so that a family cannot absorb a difference of another cause that happens to
//! have the same shape.

use crate::signature::Signature;
use serde::Deserialize;
use std::path::Path;
use synfin_model::{Reading, Rfc};

/// Who departs from whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Whose {
    /// The stack does something RFC 9293 does not say; the reference follows the RFC.
    Stack,
    /// RFC 9293 leaves it open; the stack and the reference chose differently.
    Open,
    /// The reference (synfin) lacks something RFC 9293 or a companion RFC asks for.
    Reference,
}

impl Whose {
    /// The phrase reports use.
    pub fn word(self) -> &'static str {
        match self {
            Whose::Stack => "the stack departs from RFC 9293",
            Whose::Open => "RFC 9293 leaves it open",
            Whose::Reference => "synfin lacks it",
        }
    }
}

/// A check on a difference's numbers, named in a profile file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The stack's one segment has the reference's SEQ (only the flags differ).
    SameSeq,
    /// The stack's one segment has the reference's ACK and repeats the SYN that is still
    /// unacknowledged (its SEQ one below the reference's).
    SameAckAndOwnSyn,
    /// The stack sent a bare ACK less than a second before (what a limiter of one challenge
    /// ACK per second counts).
    AckedWithinASecond,
    /// The stack answered an out-of-window arrival (a SEQ outside the window, a RST or SYN in
    /// a synchronized state) with a bare ACK less than 500 ms before: what Linux's
    /// per-socket limiter (`tcp_invalid_ratelimit`, 500 ms) counts from.
    #[serde(rename = "oow-acked-within-500-ms")]
    OowAckedWithin500Ms,
}

/// A family of differences.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// A short name, for reports.
    pub name: String,
    pub whose: Whose,
    /// The RFC sentence it departs from, with its section (and requirement id).
    pub rfc: String,
    /// Why the stack does it, where known.
    #[serde(default)]
    pub why: String,
    /// Signature patterns (`*` for any run of characters); one must match.
    pub signatures: Vec<String>,
    /// A check on the numbers, if the shape alone could be another cause's.
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

impl Family {
    /// Whether one of the family's patterns matches `sig`.
    pub fn matches(&self, sig: &Signature) -> bool {
        self.signatures.iter().any(|p| sig.matches(p))
    }
}

/// The choices of RFC 9293 a stack makes, as the model's [`Reading`].
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingSpec {
    /// `"5961"` (challenge ACKs) or `"793"` (any acceptable RST resets, a SYN resets).
    pub rfc: String,
    /// RFC 1337: TIME-WAIT ignores RSTs.
    #[serde(default)]
    pub rfc1337: bool,
    /// A file whose content, when present, says RFC 1337 instead (`0` off, anything else on),
    /// e.g. `/proc/sys/net/ipv4/tcp_rfc1337`.
    #[serde(default)]
    pub rfc1337_from: Option<String>,
    /// RFC 5961 §7: challenge ACKs are throttled (one may be left unsent).
    #[serde(default)]
    pub challenge_ack_throttle: bool,
}

/// A profile file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The stack it describes ("smoltcp 0.14").
    pub stack: String,
    /// Where it was observed, and how.
    #[serde(default)]
    pub about: String,
    pub reading: ReadingSpec,
    #[serde(default, rename = "family")]
    pub families: Vec<Family>,
}

/// The largest profile file read (a profile is a few kilobytes).
const MAX_PROFILE: u64 = 1 << 20;

/// A text file of at most [`MAX_PROFILE`] octets, read without trusting its length (a FIFO or
/// `/dev/zero` says 0).
fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PROFILE + 1).read_to_string(&mut text))
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_PROFILE {
        return Err(format!("larger than {MAX_PROFILE} bytes"));
    }
    Ok(text)
}

impl Profile {
    /// Parses a profile from TOML; `Err` names what is wrong.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let p: Profile = toml::from_str(text).map_err(|e| e.to_string())?;
        match p.reading.rfc.as_str() {
            "5961" | "793" => {}
            other => {
                return Err(format!(
                    "reading.rfc must be \"5961\" or \"793\", not {other:?}"
                ))
            }
        }
        for f in &p.families {
            if f.signatures.is_empty() {
                return Err(format!("family {:?} has no signature", f.name));
            }
        }
        Ok(p)
    }

    /// Reads and parses the profile at `path`.
    pub fn load(path: &Path) -> Result<Profile, String> {
        let at = |e: String| format!("{}: {e}", path.display());
        let text = read_bounded(path).map_err(at)?;
        Profile::parse(&text).map_err(at)
    }

    /// One of the profiles synfin ships, built in from `profiles/NAME.toml`: `linux`,
    /// `smoltcp`, `freebsd`.
    pub fn shipped(name: &str) -> Result<Profile, String> {
        let text = match name {
            "linux" => include_str!("../../profiles/linux.toml"),
            "smoltcp" => include_str!("../../profiles/smoltcp.toml"),
            "freebsd" => include_str!("../../profiles/freebsd.toml"),
            other => {
                return Err(format!(
                    "no shipped profile {other:?} (linux, smoltcp, freebsd)"
                ))
            }
        };
        Profile::parse(text).map_err(|e| format!("profiles/{name}.toml: {e}"))
    }

    /// The model's reading for this stack.
    pub fn reading(&self) -> Reading {
        let r = &self.reading;
        let rfc1337 = r
            .rfc1337_from
            .as_ref()
            .and_then(|f| read_bounded(Path::new(f)).ok())
            .map_or(r.rfc1337, |s| s.trim() != "0");
        Reading {
            rfc: if r.rfc == "793" {
                Rfc::Rfc793
            } else {
                Rfc::Rfc5961
            },
            rfc1337,
            challenge_ack_throttle: r.challenge_ack_throttle,
            ..Reading::default()
        }
    }

    /// The first family whose pattern matches `sig` and whose evidence `holds` (a family with
    /// no evidence needs none).
    pub fn explain(&self, sig: &Signature, holds: impl Fn(Evidence) -> bool) -> Option<&Family> {
        self.families
            .iter()
            .find(|f| f.matches(sig) && f.evidence.is_none_or(&holds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
stack = "a stack"
[reading]
rfc = "793"
[[family]]
name = "silent on old ACKs"
whose = "stack"
rfc = "RFC 9293 §3.10.7.4 first"
signatures = ["* / * ack:below / stack [] / reference [ACK]*"]
"#;

    #[test]
    fn a_profile_parses_and_explains_by_signature() {
        let p = Profile::parse(SMALL).unwrap();
        assert_eq!(p.reading().rfc, Rfc::Rfc793);
        let sig = |ack: &str| Signature {
            state: synfin_model::State::TimeWait,
            input: crate::signature::InputKind::Named(format!("FIN,ACK seq:below {ack}")),
            stack: vec![],
            reference: vec!["ACK".into()],
            ends: None,
        };
        assert_eq!(
            p.explain(&sig("ack:below"), |_| false)
                .map(|f| f.name.as_str()),
            Some("silent on old ACKs")
        );
        assert!(p.explain(&sig("ack:una"), |_| true).is_none());
    }

    #[test]
    fn bad_profiles_are_refused_with_the_reason() {
        let e = Profile::parse(&SMALL.replace("\"793\"", "\"9293\"")).unwrap_err();
        assert!(e.contains("reading.rfc"), "{e}");
        let e =
            Profile::parse(&SMALL.replace("whose = \"stack\"", "whose = \"nobody\"")).unwrap_err();
        assert!(e.contains("unknown variant"), "{e}");
        let e = Profile::parse(&SMALL.replace("signatures = [", "signatures = [] #")).unwrap_err();
        assert!(e.contains("no signature"), "{e}");
        let e = Profile::parse(&format!("{SMALL}\ncolour = 1")).unwrap_err();
        assert!(e.contains("unknown field"), "{e}");
        assert!(Profile::parse("not toml [").is_err());
    }
}
