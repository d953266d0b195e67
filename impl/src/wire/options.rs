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
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//# the following options MUST be supported (MUST-4 -- note Maximum Segment Size Option support is
//# also part of MUST-14 in Section 3.7.1):
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//# A TCP implementation MUST be able to receive a TCP Option in any segment (MUST-5).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//# Options may occupy space at the end of the TCP header and are a multiple of 8 bits in length.
//# All options are included in the checksum. An option may begin on any octet boundary. There are
//# two cases for the format of an option:
pub fn parse(mut opts: &[u8]) -> Result<Option<u16>, WireError> {
    let mut mss = None;
    while let Some(&kind) = opts.first() {
        match kind {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
            //# This option code indicates the end of the option list. This might not coincide with
            //# the end of the TCP header according to the Data Offset field.
            END => break,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
            //# There is no guarantee that senders will use this option, so receivers MUST be
            //# prepared to process options even if they do not begin on a word boundary (MUST-64).
            NOP => opts = &opts[1..],
            _ => {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
                //# All TCP Options except End of Option List Option (EOL) and No-Operation (NOP)
                //# MUST have length fields, including all future options (MUST-68).
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
                //# The option-length counts the two octets of option-kind and option-length as well
                //# as the option-data octets.
                let len = *opts.get(1).ok_or(WireError::BadOption { kind })? as usize;
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
                //# TCP implementations MUST be prepared to handle an illegal option length (e.g.,
                //# zero); a suggested procedure is to reset the connection and log the error cause
                //# (MUST-7).
                if len < 2 || len > opts.len() {
                    return Err(WireError::BadOption { kind });
                }
                if kind == MSS {
                    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
                    //# Length: 1 byte; Length == 4.
                    // RFC 9293 §3.7.1: the MSS option is exactly four octets.
                    if len != 4 {
                        return Err(WireError::BadOption { kind });
                    }
                    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
                    //# If this option is present, then it communicates the maximum receive segment
                    //# size at the TCP endpoint that sends this segment.
                    mss = Some(u16::from_be_bytes([opts[2], opts[3]]));
                }
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
                //# A TCP implementation MUST (MUST-6) ignore without error any TCP Option it does
                //# not implement, assuming that the option has a length field.
                opts = &opts[len..];
            }
        }
    }
    Ok(mss)
}

/// The option bytes for a segment: MSS when given (only ever on SYNs). Returned in a fixed
/// buffer with its length, so encoding a segment allocates once.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
//# This field may be sent in the initial connection request (i.e., in segments with the SYN control
//# bit set) and MUST NOT be sent in other segments (MUST-65).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//= type=implication
//# Note that the list of options may be shorter than the Data Offset field might imply. The content
//# of the header beyond the End of Option List Option MUST be header padding of zeros (MUST-69).
pub fn write(mss: Option<u16>) -> ([u8; 4], usize) {
    match mss {
        Some(m) => {
            let [hi, lo] = m.to_be_bytes();
            ([MSS, 4, hi, lo], 4)
        }
        None => ([0; 4], 0),
    }
}
