//! The coverage table: how often each (state, segment kind) pair was exercised.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use synfin_model::{Flags, Segment, Seq, State, Tcb};

/// The kind of a segment, by its control bits and where it falls against the receive window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Syn,
    SynAck,
    Rst,
    RstAck,
    Fin,
    Ack,
    AckData,
    /// Other combinations (no ACK, SYN+FIN, RST+FIN, ...).
    Other,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Syn,
        Kind::SynAck,
        Kind::Rst,
        Kind::RstAck,
        Kind::Fin,
        Kind::Ack,
        Kind::AckData,
        Kind::Other,
    ];

    pub fn of(seg: &Segment) -> Kind {
        match seg.flags {
            Flags::SYN => Kind::Syn,
            Flags::SYN_ACK => Kind::SynAck,
            Flags::RST => Kind::Rst,
            Flags::RST_ACK => Kind::RstAck,
            Flags::FIN_ACK => Kind::Fin,
            Flags::ACK if seg.len == 0 => Kind::Ack,
            Flags::ACK => Kind::AckData,
            _ => Kind::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Syn => "SYN",
            Kind::SynAck => "SYN,ACK",
            Kind::Rst => "RST",
            Kind::RstAck => "RST,ACK",
            Kind::Fin => "FIN,ACK",
            Kind::Ack => "ACK",
            Kind::AckData => "ACK+data",
            Kind::Other => "other",
        }
    }
}

/// Which side of the window a segment falls on, in the state it arrives in, or `None` where
/// the state has no window to check against (CLOSED, LISTEN). SYN-RECEIVED and the
/// synchronized states: Table 6 of RFC 9293 §3.10.7.4 (SEG.SEQ, or the last octet the
/// segment occupies, in RCV.NXT =< x < RCV.NXT + RCV.WND; a zero window takes only an empty
/// segment at RCV.NXT). SYN-SENT: the ACK acceptability test (ISS < SEG.ACK =< SND.NXT),
/// the one check made there. Written here, apart from the model's rules, so the table does not
/// take their word for it.
pub fn window_side(tcb: &Tcb, seg: &Segment, window: u32) -> Option<bool> {
    let after = |a: Seq, b: Seq| b.0.wrapping_sub(a.0).wrapping_sub(1) < (1 << 31);
    let within = |x: Seq| x.0.wrapping_sub(tcb.rcv_nxt.0) < window;
    match tcb.state {
        State::Closed | State::Listen => None,
        State::SynSent => Some(after(tcb.iss, seg.ack) && !after(tcb.snd_nxt, seg.ack)),
        _ => {
            let len = u32::from(seg.len)
                + u32::from(seg.flags.0 & Flags::SYN.0 != 0)
                + u32::from(seg.flags.0 & Flags::FIN.0 != 0);
            Some(match (len, window) {
                (0, 0) => seg.seq == tcb.rcv_nxt,
                (_, 0) => false,
                (0, _) => within(seg.seq),
                _ => within(seg.seq) || within(Seq(seg.seq.0.wrapping_add(len - 1))),
            })
        }
    }
}

/// Situations the generator must reach, apart from the (state, kind) cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    /// SND.UNA < SEG.ACK < SND.NXT with our FIN outstanding: in FIN-WAIT-1, CLOSING and
    /// LAST-ACK (the data acknowledged, the FIN not).
    PartialAckFinWait1,
    PartialAckClosing,
    PartialAckLastAck,
    /// Text that straddles RCV.NXT (old octets and new in one segment), accepted.
    StraddlingText,
    /// Text that runs past the right edge of the window, its first octet inside.
    TextPastRightEdge,
    /// RCV.NXT wraps past 2^32 on an accepted segment.
    ReceiveWraps,
    /// An arrival in a run whose window is not 65,535.
    SmallWindow,
    /// An RST in TIME-WAIT with RFC 1337 off.
    RstInTimeWaitWithoutRfc1337,
}

impl Feature {
    pub const ALL: [Feature; 8] = [
        Feature::PartialAckFinWait1,
        Feature::PartialAckClosing,
        Feature::PartialAckLastAck,
        Feature::StraddlingText,
        Feature::TextPastRightEdge,
        Feature::ReceiveWraps,
        Feature::SmallWindow,
        Feature::RstInTimeWaitWithoutRfc1337,
    ];

    /// The features one arrival shows: `before` and `after` are the model's TCB around it.
    pub fn of(
        before: &Tcb,
        after: &Tcb,
        seg: &Segment,
        window: u32,
        rfc1337: bool,
    ) -> Vec<Feature> {
        let mut f = Vec::new();
        let strictly_between = |lo: Seq, x: Seq, hi: Seq| {
            x != lo && x != hi && x.0.wrapping_sub(lo.0) < hi.0.wrapping_sub(lo.0)
        };
        if seg.flags.0 & Flags::ACK.0 != 0
            && before.fin_sent
            && strictly_between(before.snd_una, seg.ack, before.snd_nxt)
        {
            match before.state {
                State::FinWait1 => f.push(Feature::PartialAckFinWait1),
                State::Closing => f.push(Feature::PartialAckClosing),
                State::LastAck => f.push(Feature::PartialAckLastAck),
                _ => {}
            }
        }
        let accepted = after.rcv_nxt != before.rcv_nxt && seg.len > 0;
        let start = Seq(seg
            .seq
            .0
            .wrapping_add(u32::from(seg.flags.0 & Flags::SYN.0 != 0)));
        if accepted && start != before.rcv_nxt {
            f.push(Feature::StraddlingText);
        }
        let end = start.0.wrapping_add(u32::from(seg.len));
        if accepted && end.wrapping_sub(before.rcv_nxt.0) > window {
            f.push(Feature::TextPastRightEdge);
        }
        if accepted && after.rcv_nxt.0 < before.rcv_nxt.0 {
            f.push(Feature::ReceiveWraps);
        }
        if window != 65535 {
            f.push(Feature::SmallWindow);
        }
        let rst = seg.flags.0 & Flags::RST.0 != 0;
        if rst && !rfc1337 && before.state == State::TimeWait {
            f.push(Feature::RstInTimeWaitWithoutRfc1337);
        }
        f
    }

    pub fn name(self) -> &'static str {
        match self {
            Feature::PartialAckFinWait1 => "partial ACK, FIN outstanding, in FIN-WAIT-1",
            Feature::PartialAckClosing => "partial ACK, FIN outstanding, in CLOSING",
            Feature::PartialAckLastAck => "partial ACK, FIN outstanding, in LAST-ACK",
            Feature::StraddlingText => "text straddling RCV.NXT, accepted",
            Feature::TextPastRightEdge => "text past the right edge, first octets accepted",
            Feature::ReceiveWraps => "RCV.NXT wraps past 2^32",
            Feature::SmallWindow => "window other than 65,535",
            Feature::RstInTimeWaitWithoutRfc1337 => "RST in TIME-WAIT, RFC 1337 off",
        }
    }
}

static FEATURES: Mutex<BTreeMap<Feature, u64>> = Mutex::new(BTreeMap::new());

/// Record the features of one arrival.
pub fn record_features(features: &[Feature]) {
    if let Ok(mut t) = FEATURES.lock() {
        for f in features {
            *t.entry(*f).or_default() += 1;
        }
    }
}

/// How often each feature was seen so far.
pub fn features() -> BTreeMap<Feature, u64> {
    FEATURES.lock().map(|t| t.clone()).unwrap_or_default()
}

/// Counts per (state, kind, side of the window); `None` where the state has no window.
#[derive(Default)]
pub struct Table(pub BTreeMap<(State, Kind, Option<bool>), u64>);

static TABLE: Mutex<Table> = Mutex::new(Table(BTreeMap::new()));

/// Record one arrival in `state`.
pub fn record(state: State, kind: Kind, inside: Option<bool>) {
    if let Ok(mut t) = TABLE.lock() {
        *t.0.entry((state, kind, inside)).or_default() += 1;
    }
}

/// The counts so far.
pub fn snapshot() -> Table {
    TABLE.lock().map(|t| Table(t.0.clone())).unwrap_or_default()
}

impl Table {
    pub fn hits(&self, state: State, kind: Kind) -> u64 {
        self.0
            .iter()
            .filter(|((s, k, _), _)| *s == state && *k == kind)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn hits_at(&self, state: State, kind: Kind, inside: Option<bool>) -> u64 {
        self.0.get(&(state, kind, inside)).copied().unwrap_or(0)
    }

    /// The cells never exercised: (state, kind) never met at all, or, where the state has a
    /// window, never met on one side of it.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for st in State::ALL {
            for k in Kind::ALL {
                let windowed = !matches!(st, State::Closed | State::Listen);
                if !windowed && self.hits(st, k) == 0 {
                    missing.push(format!("{} {}", st.rfc_name(), k.name()));
                }
                for (side, word) in [(true, "inside"), (false, "outside")] {
                    if windowed && self.hits_at(st, k, Some(side)) == 0 {
                        missing.push(format!("{} {} {word} the window", st.rfc_name(), k.name()));
                    }
                }
            }
        }
        missing
    }

    /// The table as text: a row per state, a column per kind, `in/out` of the window (one
    /// count where the state has no window).
    pub fn render(&self) -> String {
        let mut s = format!("{:<13}", "state");
        for k in Kind::ALL {
            let _ = write!(s, " {:>11}", k.name());
        }
        s.push('\n');
        for st in State::ALL {
            let _ = write!(s, "{:<13}", st.rfc_name());
            for k in Kind::ALL {
                let cell = match st {
                    State::Closed | State::Listen => format!("{}", self.hits(st, k)),
                    _ => format!(
                        "{}/{}",
                        self.hits_at(st, k, Some(true)),
                        self.hits_at(st, k, Some(false))
                    ),
                };
                let _ = write!(s, " {cell:>11}");
            }
            s.push('\n');
        }
        s
    }
}
