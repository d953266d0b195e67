//! RFC 5961 §7: challenge ACKs SHOULD be throttled, so a reading with a throttle may leave one
//! unsent; a reading without one (synfin-tcp) must send every one. `rules::allowed` lets a
//! conformance check accept an omitted challenge ACK only where the profile has a throttle.

mod common;

use common::tcb_in;
use synfin_model::rules::allowed;
use synfin_model::{Flags, Reading, Segment, Seq, State};

fn sends(outcomes: &[synfin_model::rules::Outcome]) -> Vec<Option<Segment>> {
    outcomes.iter().map(|o| o.send).collect()
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Note that RFC 5961 and Errata ID 4772 [99] contain additional considerations for ACK throttling
//# in an implementation.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# TCP endpoints MUST send an acknowledgment (challenge ACK):
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
#[test]
fn an_omitted_challenge_ack_is_allowed_only_with_a_throttle() {
    let t = tcb_in(State::Established, 100, 5000);
    // A RST inside the window but not at RCV.NXT (RFC 5961 §3.2), and a SYN (§4.2).
    for seg in [
        Segment::new(Flags::RST, Seq(5003), Seq(0)),
        Segment::new(Flags::SYN, Seq(5003), Seq(0)),
    ] {
        let challenge = Some(t.ack_now());
        let strict = allowed::arrivals(&t, &seg, &Reading::default());
        assert_eq!(
            sends(&strict),
            [challenge],
            "{seg:?}: only the challenge ACK"
        );
        let throttled = Reading {
            challenge_ack_throttle: true,
            ..Reading::default()
        };
        let lenient = allowed::arrivals(&t, &seg, &throttled);
        assert_eq!(sends(&lenient), [challenge, None], "{seg:?}: or nothing");
        assert!(
            lenient.iter().all(|o| o.tcb == t),
            "the state is the same either way"
        );
    }
}
