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

/// Whether SEG.SEQ is at RCV.NXT or inside the window (Table 6's question, roughly), for the
/// synchronized states.
pub fn in_window(tcb: &Tcb, seg: &Segment, window: u32) -> bool {
    let start = tcb.rcv_nxt;
    let end = Seq(start.0.wrapping_add(window));
    !seg.seq.lt(start) && seg.seq.lt(end)
}

/// Counts per (state, kind, in window).
#[derive(Default)]
pub struct Table(pub BTreeMap<(State, Kind, bool), u64>);

static TABLE: Mutex<Table> = Mutex::new(Table(BTreeMap::new()));

/// Record one arrival in `state`.
pub fn record(state: State, kind: Kind, inside: bool) {
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

    pub fn hits_at(&self, state: State, kind: Kind, inside: bool) -> u64 {
        self.0.get(&(state, kind, inside)).copied().unwrap_or(0)
    }

    /// The table as text: a row per state, a column per kind, `in/out` of the window.
    pub fn render(&self) -> String {
        let mut s = format!("{:<13}", "state");
        for k in Kind::ALL {
            let _ = write!(s, " {:>11}", k.name());
        }
        s.push('\n');
        for st in State::ALL {
            let _ = write!(s, "{:<13}", st.name());
            for k in Kind::ALL {
                let cell = format!(
                    "{}/{}",
                    self.hits_at(st, k, true),
                    self.hits_at(st, k, false)
                );
                let _ = write!(s, " {cell:>11}");
            }
            s.push('\n');
        }
        s
    }
}
