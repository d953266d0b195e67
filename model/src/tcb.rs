//! The transmission control block (RFC 9293 §3.3.1) and the profile of choices the RFC leaves
//! open.

use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::state::State;
use serde::{Deserialize, Serialize};

/// How RST and SYN in synchronized states are handled (RFC 9293 §3.10.7.4 second and fourth
/// steps; RFC 5961 §3 and §4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rfc {
    /// RFC 5961: an in-window RST that is not exactly at RCV.NXT, and any SYN in a synchronized
    /// state, draw a challenge ACK; ACKs are validated against SND.UNA - MAX.SND.WND (§5).
    #[default]
    Rfc5961,
    /// RFC 793: any acceptable RST resets; an in-window SYN resets.
    Rfc793,
}

/// A deliberately broken rule, used only by the proofs and tests to show that each safety
/// property can fail. No named configuration sets one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Broken {
    /// SYN-SENT records IRS = SEG.SEQ + 1 on a SYN,ACK (breaks `isn-agreement`).
    WrongIrs,
    /// LISTEN answers a SYN with ACK = SEG.SEQ + 2 (breaks `honest-acks`).
    AckTooFar,
    /// SYN-SENT takes an acceptable RST,ACK for a SYN,ACK (breaks `no-half-open`).
    RstEstablishes,
    /// CLOSE in ESTABLISHED goes straight to FIN-WAIT-2 (breaks `diagram-edges`).
    CloseSkipsFinWait1,
    /// LAST-ACK closes on any acceptable ACK, even one that does not cover our FIN
    /// (breaks `orderly-close`).
    LastAckAnyAck,
    /// ESTABLISHED acknowledges a FIN without processing it (breaks `fin-ack-means-received`).
    AckFinUnprocessed,
    /// CLOSE in CLOSE-WAIT is refused, so the passive closer never sends its FIN
    /// (breaks `good-terminal-states`).
    CloseWaitIgnoresClose,
    /// Data one byte left of RCV.NXT is delivered again (breaks `data-integrity`).
    DeliverDuplicate,
    /// The gallery's two-way handshake: LISTEN answers a SYN with SYN,ACK and is ESTABLISHED
    /// at once (breaks `no-half-open` with an old duplicate SYN; RFC 9293 §3.5, Figure 8).
    TwoWayHandshake,
    /// No TIME-WAIT: the 2MSL timer may fire at once, even while the peer may still
    /// retransmit its FIN (breaks `resets-justified`; RFC 9293 §3.6).
    NoTimeWait,
    /// A RST is accepted whatever its sequence number (breaks `resets-justified`;
    /// RFC 9293 §3.5.3, RFC 5961 §3).
    RstNoSeqCheck,
    /// A FIN is never retransmitted (breaks liveness: `close-leads-to-closed`; §3.10.8).
    FinNeverRetransmitted,
    /// Processing a FIN in FIN-WAIT-2 records its SEQ as IRS: the connection
    /// forgets the ISN it synchronized on, in a state that is synchronized but not
    /// ESTABLISHED (breaks `isn-agreement` alone).
    FinOverwritesIrs,
    /// A pure ACK (no text, no SYN or FIN) is acknowledged, as if it carried text: two such
    /// ends answer each other's ACKs for ever, an ACK storm (breaks liveness: `terminates`;
    /// §3.10.7.4 sends an acknowledgment for text and FIN, seventh and eighth steps, and for
    /// an unacceptable segment, never for an acceptable ACK).
    AckEveryAck,
}

impl Broken {
    /// Every broken rule with its command-line name.
    pub const ALL: [(Broken, &'static str); 14] = [
        (Broken::WrongIrs, "wrong-irs"),
        (Broken::AckTooFar, "ack-too-far"),
        (Broken::RstEstablishes, "rst-establishes"),
        (Broken::CloseSkipsFinWait1, "close-skips-fin-wait-1"),
        (Broken::LastAckAnyAck, "last-ack-any-ack"),
        (Broken::AckFinUnprocessed, "ack-fin-unprocessed"),
        (Broken::CloseWaitIgnoresClose, "close-wait-ignores-close"),
        (Broken::DeliverDuplicate, "deliver-duplicate"),
        (Broken::TwoWayHandshake, "two-way-handshake"),
        (Broken::NoTimeWait, "no-time-wait"),
        (Broken::RstNoSeqCheck, "rst-no-seq-check"),
        (Broken::FinNeverRetransmitted, "fin-never-retransmitted"),
        (Broken::FinOverwritesIrs, "fin-overwrites-irs"),
        (Broken::AckEveryAck, "ack-every-ack"),
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("?", |(_, n)| n)
    }
}

/// The choices a reading of RFC 9293 has to make, fixed per run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reading {
    pub rfc: Rfc,
    /// RFC 1337: TIME-WAIT ignores RST segments.
    pub rfc1337: bool,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# The new state variable MAX.SND.WND is defined as the largest window that the local sender
    //# has ever received from its peer (subject to window scaling) or may be hard-coded to a
    //# maximum permissible window value.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
    //= type=exception
    //= reason=Segments carry no window field: the peer's window is assumed open throughout, so it
    //= reason=is never zero and never probed.
    //# Probing of zero (offered) windows MUST be supported (MUST-36).
    /// RCV.WND, and the peer's window assumed for RFC 5961 ACK validation. Segments carry no
    /// window field in the model: both ends keep this window open throughout.
    pub window: u32,
    /// RFC 5961 §7: challenge ACKs are throttled, so one may be left unsent. Only a reading
    /// with a throttle may omit one (`rules::allowed`); synfin-tcp has none, Linux has one.
    pub challenge_ack_throttle: bool,
    /// Test-only: a deliberately broken rule.
    pub broken: Option<Broken>,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            rfc: Rfc::Rfc5961,
            rfc1337: true,
            window: 65535,
            challenge_ack_throttle: false,
            broken: None,
        }
    }
}

impl Reading {
    pub fn broken(&self, m: Broken) -> bool {
        self.broken == Some(m)
    }
}

/// A transmission control block: the connection's state and sequence variables
/// (RFC 9293 §3.3.1). The model keeps the block after CLOSED so that properties can still read
/// how the connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tcb {
    pub state: State,
    pub iss: Seq,
    pub snd_una: Seq,
    pub snd_nxt: Seq,
    pub irs: Seq,
    pub rcv_nxt: Seq,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
    //# Note that a TCP implementation MUST keep track of whether a connection has reached
    //# SYN-RECEIVED state as the result of a passive OPEN or an active OPEN (MUST-11).
    /// Opened with a passive OPEN (decides where RST in SYN-RECEIVED leads, §3.10.7.4).
    pub passive: bool,
    /// Retransmissions left before the user timeout closes the connection (§3.10.8).
    pub retries_left: u8,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# There are two thresholds R1 and R2 measuring the amount of retransmission that has occurred
    //# for the same segment.
    /// The budget `retries_left` starts from, and is restored to whenever SND.UNA advances:
    /// RFC 9293 §3.8.3 counts R2 as retransmissions "of the same segment" (MUST-20, MUST-23).
    pub retry_budget: u8,
    /// Our FIN has been sent (it occupies the last sequence number before SND.NXT).
    pub fin_sent: bool,
    /// The peer's FIN has been processed (§3.10.7.4 eighth step).
    pub fin_rcvd: bool,
    /// Data bytes delivered to the user, in order.
    pub delivered: u8,
}

impl Tcb {
    /// A fresh block in CLOSED whose ISS will be `iss` when the connection opens.
    pub const fn new(iss: Seq, retries: u8) -> Tcb {
        Tcb {
            state: State::Closed,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            irs: Seq(0),
            rcv_nxt: Seq(0),
            passive: false,
            retries_left: retries,
            retry_budget: retries,
            fin_sent: false,
            fin_rcvd: false,
            delivered: 0,
        }
    }

    /// A new connection's block, keeping only the ISS and the retry budget: OPEN creates a
    /// new TCB (§3.10.1), so nothing of an earlier connection (FIN flags, data counts, IRS)
    /// survives into the next.
    pub const fn fresh(&self) -> Tcb {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# Create a new transmission control block (TCB) to hold connection state information.
        Tcb::new(self.iss, self.retry_budget)
    }

    /// SND.UNA = `ack`: new data acknowledged, so the retransmission budget starts again
    /// (§3.8.3: R2 counts retransmissions of one segment).
    pub fn acknowledge(&mut self, ack: Seq) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Any segments on the retransmission queue that are thereby entirely acknowledged are
        //# removed.
        self.snd_una = ack;
        self.retries_left = self.retry_budget;
    }

    /// Whether anything we sent (SYN, data, FIN) is still unacknowledged.
    pub fn outstanding(&self) -> bool {
        self.snd_una != self.snd_nxt
    }

    /// Whether a SYN has been sent in this run.
    pub fn syn_sent(&self) -> bool {
        self.snd_nxt != self.iss
    }

    /// Data bytes sent (SND.NXT past ISS, less SYN and FIN).
    pub fn data_sent(&self) -> u32 {
        self.snd_nxt.since(self.iss) - self.syn_sent() as u32 - self.fin_sent as u32
    }

    /// Our FIN is sent and acknowledged.
    pub fn fin_acked(&self) -> bool {
        self.fin_sent && self.snd_una == self.snd_nxt
    }

    /// Whether the retransmission timer runs: something is unacknowledged in a state that
    /// retransmits (§3.7 / RFC 6298; TIME-WAIT has nothing outstanding).
    pub fn retransmit_armed(&self) -> bool {
        self.outstanding() && !matches!(self.state, State::Closed | State::Listen)
    }

    /// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the acknowledgment used throughout §3.10.7.4.
    pub fn ack_now(&self) -> Segment {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
        Segment::new(Flags::ACK, self.snd_nxt, self.rcv_nxt)
    }

    /// The segment the retransmission timer resends (§3.10.8, RFC 6298 §5.4): the earliest
    /// unacknowledged segment. An unacknowledged SYN goes alone (as SYN,ACK once the peer's SYN
    /// is known); otherwise the unacknowledged data and FIN go together from SND.UNA (a
    /// retransmission may repacketize what it resends).
    pub fn retransmission(&self) -> Segment {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
        //# send the segment at the front of the retransmission queue again,
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# All segments preceding and including FIN will be retransmitted until acknowledged.
        if self.snd_una == self.iss {
            return match self.state {
                State::SynSent => Segment::new(Flags::SYN, self.iss, Seq(0)),
                _ => Segment::new(Flags::SYN_ACK, self.iss, self.rcv_nxt),
            };
        }
        let span = self.snd_nxt.since(self.snd_una);
        let (flags, data) = if self.fin_sent {
            (Flags::FIN_ACK, span - 1)
        } else {
            (Flags::ACK, span)
        };
        Segment::new(flags, self.snd_una, self.rcv_nxt).with_len(data as u8)
    }
}
