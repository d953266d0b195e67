//! The wire format: control bits, segments, packets and their byte encoding.

mod codec;
mod flags;
pub mod options;
mod segment;

pub use flags::Flags;
pub use segment::{Packet, Segment};

use std::fmt;

/// Why bytes off the wire are not a TCP segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Fewer bytes than the fixed header or than the data offset announces.
    Truncated {
        /// Octets needed.
        needed: usize,
        /// Octets given.
        got: usize,
    },
    /// A data offset below 5 words (RFC 9293 §3.1).
    BadDataOffset {
        /// The data offset, in 32-bit words.
        data_offset: u8,
    },
    /// The checksum does not match the pseudo-header, header and payload (MUST-3: discard).
    BadChecksum {
        /// The checksum in the header.
        found: u16,
        /// The checksum of the pseudo-header, header and payload.
        expected: u16,
    },
    /// An option whose length octet is missing, below 2, runs past the header, or (for MSS)
    /// is not 4.
    BadOption {
        /// The option's kind octet.
        kind: u8,
    },
    /// More than 65535 octets of TCP: not expressible in the pseudo-header.
    TooLong {
        /// Octets of TCP header and payload.
        len: usize,
    },
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Truncated { needed, got } => {
                write!(f, "truncated TCP segment: need {needed} bytes, got {got}")
            }
            WireError::BadDataOffset { data_offset } => {
                write!(f, "bad data offset {data_offset} (minimum 5)")
            }
            WireError::BadChecksum { found, expected } => {
                write!(f, "bad checksum {found:#06x} (expected {expected:#06x})")
            }
            WireError::BadOption { kind } => write!(f, "malformed option of kind {kind}"),
            WireError::TooLong { len } => write!(f, "segment of {len} bytes is too long"),
        }
    }
}

impl std::error::Error for WireError {}
