//! The control-bit set `Flags` (RFC 9293 §3.1: URG, ACK, PSH, RST, SYN, FIN, with CWR and ECE
//! from RFC 3168), stored with the header's bit values: union and removal.

use synfin_tcp::Flags;

/// The bit values of the TCP header's flags octet (RFC 9293 §3.1, RFC 3168 §23.2).
#[test]
fn each_flag_has_its_header_bit_value() {
    let bits = [
        (Flags::FIN, 0x01),
        (Flags::SYN, 0x02),
        (Flags::RST, 0x04),
        (Flags::PSH, 0x08),
        (Flags::ACK, 0x10),
        (Flags::URG, 0x20),
        (Flags::ECE, 0x40),
        (Flags::CWR, 0x80),
    ];
    for (flag, bit) in bits {
        assert_eq!(flag.0, bit, "{flag}");
    }
}

/// `|` is set union: a bit already set stays set.
#[test]
fn bitor_is_the_union_of_the_bits() {
    assert_eq!(Flags::SYN | Flags::ACK, Flags(0x12));
    assert_eq!(Flags::SYN | Flags::SYN, Flags::SYN);
    assert_eq!((Flags::SYN | Flags::ACK) | Flags::ACK, Flags(0x12));
    assert_eq!(Flags::NONE | Flags::FIN, Flags::FIN);
    let mut f = Flags::FIN | Flags::ACK;
    f |= Flags::ACK;
    assert_eq!(f, Flags(0x11));
}

/// `without` removes the given bits and keeps the others; bits not set are no matter.
#[test]
fn without_removes_exactly_the_given_bits() {
    let syn_ack = Flags::SYN | Flags::ACK;
    assert_eq!(syn_ack.without(Flags::ACK), Flags::SYN);
    assert_eq!(syn_ack.without(Flags::SYN), Flags::ACK);
    assert_eq!(syn_ack.without(Flags::RST), syn_ack);
    assert_eq!(syn_ack.without(syn_ack), Flags::NONE);
    assert_eq!(Flags::NONE.without(Flags::FIN), Flags::NONE);
    assert_eq!(Flags(0xff).without(Flags::PSH | Flags::URG), Flags(0xd7));
}
