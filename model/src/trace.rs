//! The trace renderer: a path of the model as steps (for JSON) and as a text sequence diagram
//! in the style of RFC 9293's figures.

use crate::host::{Input, Timer};
use crate::model::{host, SysAction, SysState, TcpModel};
use crate::segment::Segment;
use crate::seq::Seq;
use crate::state::State;
use serde::Serialize;
use stateright::actor::ActorModelAction;
use stateright::Path;
use std::fmt::Write;

/// One step of a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Who acted: a host's name, or "network" for a loss.
    pub actor: String,
    /// What happened: a user call, an arrival, a timeout, a loss.
    pub action: String,
    /// The segment that arrived or was lost, and from which host index it came.
    pub segment: Option<(usize, Segment)>,
    /// The segment the acting host sent in reply.
    pub sent: Option<Segment>,
    /// Both hosts' states after the step.
    pub states: [State; 2],
    /// User-visible events at the acting host.
    pub events: Vec<&'static str>,
}

/// Names for sequence numbers (the seed's J, K, M, N): a number prints as a name, or as
/// `name+d` for the nearest name below it (d <= 3), or as itself.
#[derive(Clone, Debug, Default)]
pub struct Names(pub Vec<(&'static str, Seq)>);

impl Names {
    /// J and K: the configuration's ISNs.
    pub fn isns(model: &TcpModel) -> Names {
        Names(vec![("J", model.cfg().isn[0]), ("K", model.cfg().isn[1])])
    }

    /// J and K, and J' and K' (the second incarnation's ISS) where the configuration has
    /// more than one incarnation, as the crash scenarios name them.
    pub fn for_model(model: &TcpModel) -> Names {
        let mut names = Names::isns(model);
        if model.cfg().incarnations() {
            names.0.push(("J'", model.host(0).iss_of(1)));
            names.0.push(("K'", model.host(1).iss_of(1)));
        }
        names
    }

    pub fn show(&self, v: Seq) -> String {
        if let Some((n, _)) = self.0.iter().find(|(_, s)| *s == v) {
            return n.to_string();
        }
        self.0
            .iter()
            .map(|(n, s)| (n, v.since(*s)))
            .filter(|(_, d)| (1..=3).contains(d))
            .min_by_key(|(_, d)| *d)
            .map(|(n, d)| format!("{n}+{d}"))
            .unwrap_or_else(|| v.0.to_string())
    }

    /// `J = 100, K = 4294967295`.
    pub fn legend(&self) -> String {
        let parts: Vec<_> = self
            .0
            .iter()
            .map(|(n, s)| format!("{n} = {}", s.0))
            .collect();
        parts.join(", ")
    }

    /// A segment in RFC notation: `<SEQ=J><ACK=K+1><CTL=SYN,ACK>`.
    pub fn segment(&self, seg: &Segment) -> String {
        let mut s = format!("<SEQ={}>", self.show(seg.seq));
        if seg.ack_bit() {
            let _ = write!(s, "<ACK={}>", self.show(seg.ack));
        }
        let _ = write!(s, "<CTL={}>", seg.flags);
        if seg.len > 0 {
            let _ = write!(s, "<DATA {}>", seg.len);
        }
        s
    }
}

/// The steps of `path`.
pub fn steps(model: &TcpModel, path: &Path<SysState, SysAction>) -> Vec<Step> {
    let pairs = path.clone().into_vec();
    let mut out = Vec::new();
    for w in pairs.windows(2) {
        let (state, Some(action)) = &w[0] else {
            continue;
        };
        let next = &w[1].0;
        out.push(step(model, state, action, next));
    }
    out
}

/// How a crash or a reboot reads in a trace (the crashed host's column keeps its last state,
/// which it no longer has).
pub fn crash_action(action: &SysAction) -> &'static str {
    match action {
        ActorModelAction::Crash(_) => "crashes (TCB lost)",
        _ => "reboots (CLOSED, next ISS)",
    }
}

/// One step: `action` taken in `state`, leading to `next`.
pub fn step(model: &TcpModel, state: &SysState, action: &SysAction, next: &SysState) -> Step {
    let states = [host(next, 0).tcb.state, host(next, 1).tcb.state];
    let name = |i: usize| model.cfg().names[i].to_string();
    let (i, input, segment) = match action {
        ActorModelAction::Deliver { src, dst, msg } => {
            let i = usize::from(*dst);
            let seen = model.host(i).as_received(host(state, i), msg);
            (
                i,
                Input::Segment(*msg),
                Some((usize::from(*src), seen.header())),
            )
        }
        ActorModelAction::Timeout(id, t) => (usize::from(*id), Input::Timeout(*t), None),
        ActorModelAction::Drop(env) => {
            return Step {
                actor: "network".into(),
                action: "loses".into(),
                segment: Some((usize::from(env.src), env.msg.header())),
                sent: None,
                states,
                events: vec![],
            };
        }
        ActorModelAction::Crash(id) | ActorModelAction::Recover(id) => {
            return Step {
                actor: name(usize::from(*id)),
                action: crash_action(action).into(),
                segment: None,
                sent: None,
                states,
                events: vec![],
            };
        }
        other => {
            return Step {
                actor: "model".into(),
                action: format!("{other:?}"),
                segment: None,
                sent: None,
                states,
                events: vec![],
            }
        }
    };
    let reaction = model.host(i).react(host(state, i), input);
    let action = match (input, reaction.and_then(|r| r.call)) {
        (_, Some(call)) => call.name().to_string(),
        (Input::Segment(m), _) if crate::attack::injected(&m) => "receives (forged)".into(),
        (Input::Segment(_), _) => "receives".into(),
        (Input::Timeout(Timer::Retransmit), _) => "retransmission timeout".into(),
        (Input::Timeout(Timer::TimeWait), _) => "2MSL timeout".into(),
        _ => "nothing".into(),
    };
    Step {
        actor: name(i),
        action,
        segment,
        sent: reaction.and_then(|r| r.outcome.send),
        states,
        events: reaction
            .map(|r| r.outcome.events.iter().map(|e| e.name()).collect())
            .unwrap_or_default(),
    }
}

const STATE_W: usize = 13;
const MID_W: usize = 48;
const SEG_W: usize = MID_W - 8;

/// `--> seg` / `<-- seg` touch A (left); `seg -->` / `seg <--` touch B (right).
fn wire(left: bool, arrow: &str, seg: &str) -> String {
    if left {
        format!("{arrow} {seg}")
    } else {
        format!("    {seg:<SEG_W$} {arrow}")
    }
}

/// The steps as a sequence diagram: one line per step (two when an arrival draws a reply),
/// both ends' states, the segment on the wire with an arrow at the end it touches (`--> seg`
/// leaves A, `<-- seg` reaches A, `seg -->` reaches B, `seg <--` leaves B, `-X-` is lost),
/// and what happened.
pub fn render(model: &TcpModel, steps: &[Step], names: &Names, first: usize) -> String {
    let cfg = model.cfg();
    let mut out = String::new();
    let _ = writeln!(out, "{}", names.legend());
    let (a, b) = (cfg.names[0], cfg.names[1]);
    let _ = writeln!(out, "     {a:<STATE_W$} {:MID_W$} {b}", "");
    let mut states = if first == 0 {
        [State::Closed; 2]
    } else {
        steps[first - 1].states
    };
    let _ = writeln!(
        out,
        " {:>2}. {:<STATE_W$} {:MID_W$} {}",
        first,
        states[0].rfc_name(),
        "",
        states[1].rfc_name()
    );
    for (n, s) in steps.iter().enumerate().skip(first) {
        let who = if s.actor == a {
            Some(0)
        } else if s.actor == b {
            Some(1)
        } else {
            None
        };
        let mut note = format!("{}: {}", s.actor, s.action);
        if !s.events.is_empty() {
            let _ = write!(note, " [{}]", s.events.join("; "));
        }
        let mid = match (s.segment, who) {
            // An arrival at `who`, from the other end.
            (Some((_, seg)), Some(0)) => wire(true, "<--", &names.segment(&seg)),
            (Some((_, seg)), Some(1)) => wire(false, "-->", &names.segment(&seg)),
            // A loss, shown at the end that sent the segment.
            (Some((0, seg)), None) => wire(true, "-X-", &names.segment(&seg)),
            (Some((_, seg)), None) => wire(false, "-X-", &names.segment(&seg)),
            _ => String::new(),
        };
        states = s.states;
        let line = |mid: &str, note: &str| {
            format!(
                " {:>2}. {:<STATE_W$} {:<MID_W$} {:<STATE_W$}  {}",
                n + 1,
                states[0].rfc_name(),
                mid,
                states[1].rfc_name(),
                note
            )
        };
        if s.segment.is_some() || s.sent.is_none() {
            let _ = writeln!(out, "{}", line(&mid, &note).trim_end());
        }
        if let Some(seg) = s.sent {
            let mid = wire(
                who == Some(0),
                if who == Some(0) { "-->" } else { "<--" },
                &names.segment(&seg),
            );
            let note = if s.segment.is_some() {
                format!("{}: sends", s.actor)
            } else {
                note.clone()
            };
            let _ = writeln!(out, "{}", line(&mid, &note).trim_end());
        }
    }
    out
}
