//! Linux's limiter of ACKs for out-of-window segments (`tcp_oow_rate_limited`, one per 500 ms
//! per socket) as its profile explains it: a silence counts as the limiter's only when the
//! trace shows the ACK it counted from. The trace is the one CI's linux probe found with seed
//! 119926922 (simultaneous open, a duplicate SYN, the peer's FIN, an old duplicate ACK).

use std::time::Duration;
use synfin_conformance::evidence;
use synfin_conformance::peer_trace::{replay, Input, Step, Tally};
use synfin_conformance::profile::Profile;
use synfin_model::script::Call;
use synfin_model::State;
use synfin_tcp::{Flags, Segment, SeqNum};

const SYN: Flags = Flags::SYN;
const ACK: Flags = Flags::ACK;

fn seg(flags: Flags, seq: u32, ack: u32, window: u16, mss: Option<u16>) -> Segment {
    Segment {
        seq: SeqNum(seq),
        ack: SeqNum(ack),
        flags,
        window,
        urgent: 0,
        mss,
        payload: Vec::new(),
    }
}

fn step(ms: u64, input: Input, sent: Vec<Segment>, state: State) -> Step {
    Step {
        at: Duration::from_millis(ms),
        input,
        sent,
        state: Some(state),
    }
}

/// The CI trace; `dup_syn_at` is when the duplicate SYN (whose ACK starts the limiter's
/// period) arrives, `old_ack_at` when the old duplicate ACK does.
fn trace(dup_syn_at: u64, old_ack_at: u64) -> Vec<Step> {
    let (iss, irs) = (2_017_015_714, 4_294_967_292);
    let syn_ack = Flags(SYN.0 | ACK.0);
    let fin_ack = Flags(Flags::FIN.0 | ACK.0);
    let their = |f, seq, ack| seg(f, seq, ack, 65535, None);
    let ours = |f, seq, ack| seg(f, seq, ack, 63, None);
    vec![
        step(
            61,
            Input::Call(Call::OpenActive),
            vec![seg(SYN, iss, 0, 64240, Some(1460))],
            State::SynSent,
        ),
        step(
            128,
            Input::Arrive(seg(SYN, irs, 0, 65535, Some(1460))),
            vec![seg(syn_ack, iss, irs + 1, 64240, Some(1460))],
            State::SynReceived,
        ),
        step(
            dup_syn_at,
            Input::Arrive(seg(SYN, irs, 0, 65535, Some(1460))),
            vec![ours(ACK, iss + 1, irs + 1)],
            State::SynReceived,
        ),
        step(
            261,
            Input::Arrive(seg(syn_ack, irs, iss + 1, 65535, Some(1460))),
            vec![ours(ACK, iss + 1, irs + 1)],
            State::Established,
        ),
        step(
            334,
            Input::Arrive(their(fin_ack, irs + 1, iss + 1)),
            vec![ours(ACK, iss + 1, irs + 2)],
            State::CloseWait,
        ),
        step(
            old_ack_at,
            Input::Arrive(their(ACK, irs + 1, iss + 1)),
            vec![],
            State::CloseWait,
        ),
    ]
}

/// The families that explain each difference of `steps` under the Linux profile (`None` for
/// an unexplained one).
fn explained(steps: &[Step]) -> Vec<Option<String>> {
    let linux = Profile::shipped("linux").unwrap();
    let diffs = replay(steps, linux.reading(), &mut Tally::default());
    diffs
        .iter()
        .map(|d| {
            linux
                .explain(&d.signature, |e| evidence::holds(e, d, steps))
                .map(|f| f.name.clone())
        })
        .collect()
}

#[test]
fn an_old_ack_left_unanswered_207_ms_after_an_out_of_window_ack_is_linuxs_limiter() {
    let got = explained(&trace(194, 401));
    assert_eq!(got.len(), 1, "{got:?}");
    let family = got[0].as_deref().unwrap_or("unexplained");
    assert!(family.contains("one per 500 ms per socket"), "{family}");
}

#[test]
fn the_same_silence_with_no_out_of_window_ack_in_the_last_500_ms_is_unexplained() {
    // The ACK for the duplicate SYN 600 ms before: the limiter's period is over.
    assert_eq!(explained(&trace(194, 794)), [None]);
}
