//! TCP options (RFC 9293 §3.1, §3.2): the Maximum Segment Size is understood; every other
//! option is skipped by its length field; a malformed option list is an error.

use super::WireError;

const END: u8 = 0;
const NOP: u8 = 1;
const MSS: u8 = 2;

/// Walks an option list and returns the MSS option if there is one.
///
/// RFC 9293 §3.2 (MUST-64..MUST-68 area): a TCP must accept any option in any segment, must
/// ignore options it does not implement (each non-single-octet option has a length octet),
/// and must be prepared to handle an illegal option length without crashing: here it is
/// [`WireError::BadOption`].
pub fn parse(mut opts: &[u8]) -> Result<Option<u16>, WireError> {
    let mut mss = None;
    while let Some(&kind) = opts.first() {
        match kind {
            END => break,
            NOP => opts = &opts[1..],
            _ => {
                let len = *opts.get(1).ok_or(WireError::BadOption { kind })? as usize;
                if len < 2 || len > opts.len() {
                    return Err(WireError::BadOption { kind });
                }
                if kind == MSS {
                    // RFC 9293 §3.7.1: the MSS option is exactly four octets.
                    if len != 4 {
                        return Err(WireError::BadOption { kind });
                    }
                    mss = Some(u16::from_be_bytes([opts[2], opts[3]]));
                }
                opts = &opts[len..];
            }
        }
    }
    Ok(mss)
}

/// The option bytes for a segment: MSS when given (only ever on SYNs). Returned in a fixed
/// buffer with its length, so encoding a segment allocates once.
pub fn write(mss: Option<u16>) -> ([u8; 4], usize) {
    match mss {
        Some(m) => {
            let [hi, lo] = m.to_be_bytes();
            ([MSS, 4, hi, lo], 4)
        }
        None => ([0; 4], 0),
    }
}
