//! The state panel: for each host its RFC 9293 state, its TCB (§3.3.1) in the trace's
//! symbolic numbers, the user's next call and the timers that are set; then the segments in
//! the network in RFC notation. Nothing of stateright's bookkeeping (`random_choices`,
//! `storages`, hash-set internals) is shown, only what TCP has.

use crate::host::Timer;
use crate::model::{host, SysState, TcpModel};
use crate::trace::Names;
use serde::Serialize;
use stateright::actor::Network;
use std::fmt::Write;

/// One host, as RFC 9293 names its variables.
#[derive(Clone, Debug, Serialize)]
pub struct HostPanel {
    pub name: &'static str,
    /// The RFC 9293 state name (`SYN-RECEIVED`).
    pub state: &'static str,
    /// Crashed and not yet rebooted: the state shown is the one it lost.
    pub crashed: bool,
    pub incarnation: u8,
    pub iss: String,
    pub snd_una: String,
    pub snd_nxt: String,
    pub irs: String,
    pub rcv_nxt: String,
    pub retries_left: u8,
    pub retry_budget: u8,
    pub fin_sent: bool,
    pub fin_received: bool,
    pub bytes_delivered: u8,
    /// The user's next call, if the script has one (`CLOSE`).
    pub next_call: Option<&'static str>,
    /// The timers that are set: `user call`, `retransmission`, `2MSL`.
    pub timers: Vec<&'static str>,
}

/// The network: what it may still deliver.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkPanel {
    /// How the network behaves.
    pub kind: &'static str,
    /// `A to B: <SEQ=J><CTL=SYN>`, with `(x2)` for copies on a non-duplicating network.
    pub segments: Vec<String>,
}

/// Both hosts and the network.
#[derive(Clone, Debug, Serialize)]
pub struct Panel {
    pub hosts: [HostPanel; 2],
    pub network: NetworkPanel,
}

fn timer_name(t: Timer) -> &'static str {
    match t {
        Timer::User => "user call",
        Timer::Retransmit => "retransmission",
        Timer::TimeWait => "2MSL",
    }
}

/// The panel of `s`.
pub fn panel(model: &TcpModel, names: &Names, s: &SysState) -> Panel {
    let cfg = model.cfg();
    let hosts = [0, 1].map(|i| {
        let h = host(s, i);
        let t = &h.tcb;
        let mut timers: Vec<Timer> = s.timers_set[i].iter().copied().collect();
        timers.sort();
        HostPanel {
            name: cfg.names[i],
            state: t.state.rfc_name(),
            crashed: s.crashed[i],
            incarnation: h.incarnation,
            iss: names.show(t.iss),
            snd_una: names.show(t.snd_una),
            snd_nxt: names.show(t.snd_nxt),
            irs: names.show(t.irs),
            rcv_nxt: names.show(t.rcv_nxt),
            retries_left: t.retries_left,
            retry_budget: t.retry_budget,
            fin_sent: t.fin_sent,
            fin_received: t.fin_rcvd,
            bytes_delivered: t.delivered,
            next_call: model
                .host(i)
                .script
                .get(usize::from(h.next_call))
                .map(|c| c.name()),
            timers: timers.into_iter().map(timer_name).collect(),
        }
    });
    let line = |src: stateright::actor::Id, dst: stateright::actor::Id, seg: &crate::Segment| {
        format!(
            "{} to {}: {}",
            cfg.names[usize::from(src)],
            cfg.names[usize::from(dst)],
            names.segment(&seg.header())
        )
    };
    let (kind, segments): (&'static str, Vec<String>) = match &s.network {
        Network::UnorderedDuplicating(set, _) => (
            if cfg.network.loss {
                "unordered, duplicating: each segment may arrive again and again, or never \
                 again (loss is implicit)"
            } else {
                "unordered, duplicating: each segment may arrive again and again"
            },
            {
                // In sequence-number order, not text order.
                let mut v: Vec<_> = set.iter().map(|e| (e.src, e.dst, e.msg.header())).collect();
                v.sort();
                v.iter().map(|(s, d, m)| line(*s, *d, m)).collect()
            },
        ),
        Network::UnorderedNonDuplicating(bag) => (
            "unordered, each copy arrives at most once",
            {
                let mut v: Vec<_> = bag.iter().collect();
                v.sort_by_key(|(e, _)| (e.src, e.dst, e.msg.header()));
                v
            }
            .into_iter()
            .map(|(e, n)| {
                let l = line(e.src, e.dst, &e.msg);
                if *n > 1 {
                    format!("{l} (x{n})")
                } else {
                    l
                }
            })
            .collect(),
        ),
        Network::Ordered(flows) => (
            "ordered per direction, each copy arrives at most once",
            flows
                .iter()
                .flat_map(|((src, dst), q)| q.iter().map(move |m| (*src, *dst, m)))
                .map(|(src, dst, m)| line(src, dst, m))
                .collect(),
        ),
    };
    Panel {
        hosts,
        network: NetworkPanel { kind, segments },
    }
}

impl Panel {
    /// The panel as text, one host per block, then the network.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let yes = |b: bool| if b { "yes" } else { "no" };
        for h in &self.hosts {
            let crashed = if h.crashed {
                "  (crashed: TCB lost)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{}  {}{}   incarnation {}",
                h.name, h.state, crashed, h.incarnation
            );
            let _ = writeln!(
                out,
                "   ISS={}  SND.UNA={}  SND.NXT={}  IRS={}  RCV.NXT={}",
                h.iss, h.snd_una, h.snd_nxt, h.irs, h.rcv_nxt
            );
            let _ = writeln!(
                out,
                "   retransmissions left {}/{}  FIN sent {}  FIN received {}  bytes delivered {}",
                h.retries_left,
                h.retry_budget,
                yes(h.fin_sent),
                yes(h.fin_received),
                h.bytes_delivered
            );
            let timers = if h.timers.is_empty() {
                "none".to_string()
            } else {
                h.timers.join(", ")
            };
            let _ = writeln!(
                out,
                "   user's next call: {}   timers set: {}",
                h.next_call.unwrap_or("none (script done)"),
                timers
            );
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "network ({}), {} segment(s):",
            self.network.kind,
            self.network.segments.len()
        );
        for seg in &self.network.segments {
            let _ = writeln!(out, "   {seg}");
        }
        out
    }
}
