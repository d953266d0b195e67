//! Action labels that read like the text traces: `A: OPEN (active)`, `B: receives
//! <SEQ=K><ACK=J+1><CTL=SYN,ACK>`, `A: retransmission timeout`, `A: 2MSL timeout`,
//! `A: crashes`, `B: reboots`, `network: loses <SEQ=J><CTL=SYN> (A to B)`.

use crate::host::{Input, Timer};
use crate::model::{host, SysAction, SysState, TcpModel};
use crate::trace::Names;
use stateright::actor::ActorModelAction;

/// The label of `action` taken in `state`.
pub fn action(model: &TcpModel, names: &Names, state: &SysState, action: &SysAction) -> String {
    let name = |id: stateright::actor::Id| model.cfg().names[usize::from(id)];
    match action {
        ActorModelAction::Deliver { dst, msg, .. } => {
            let i = usize::from(*dst);
            let seen = model.host(i).as_received(host(state, i), msg);
            let forged = if crate::attack::injected(msg) {
                " (forged)"
            } else {
                ""
            };
            format!(
                "{}: receives{forged} {}",
                name(*dst),
                names.segment(&seen.header())
            )
        }
        ActorModelAction::Drop(env) => format!(
            "network: loses {} ({} to {})",
            names.segment(&env.msg.header()),
            name(env.src),
            name(env.dst)
        ),
        ActorModelAction::Timeout(id, Timer::User) => {
            let i = usize::from(*id);
            let h = host(state, i);
            match model.host(i).script.get(usize::from(h.next_call)) {
                Some(call) if call.ready(h.tcb.state) => format!("{}: {}", name(*id), call.name()),
                Some(call) => format!("{}: {} (waits)", name(*id), call.name()),
                None => format!("{}: no more calls", name(*id)),
            }
        }
        ActorModelAction::Timeout(id, Timer::Retransmit) => {
            format!("{}: retransmission timeout", name(*id))
        }
        ActorModelAction::Timeout(id, Timer::TimeWait) => format!("{}: 2MSL timeout", name(*id)),
        ActorModelAction::Crash(id) => format!("{}: crashes", name(*id)),
        ActorModelAction::Recover(id) => format!("{}: reboots", name(*id)),
        other => format!("{other:?}"),
    }
}

/// What the step did, in one line: the acting host's reply and user-visible events, and both
/// hosts' states after it (`B sends <SEQ=K><ACK=J+1><CTL=SYN,ACK> · A SYN-SENT, B
/// SYN-RECEIVED`).
pub fn outcome(
    model: &TcpModel,
    names: &Names,
    state: &SysState,
    action: &SysAction,
    next: &SysState,
) -> String {
    let cfg = model.cfg();
    let mut parts = Vec::new();
    let acting = match action {
        ActorModelAction::Deliver { dst, msg, .. } => {
            Some((usize::from(*dst), Input::Segment(*msg)))
        }
        ActorModelAction::Timeout(id, t) => Some((usize::from(*id), Input::Timeout(*t))),
        _ => None,
    };
    if let Some((i, input)) = acting {
        match model.host(i).react(host(state, i), input) {
            Some(r) => {
                if let Some(seg) = r.outcome.send {
                    parts.push(format!("{} sends {}", cfg.names[i], names.segment(&seg)));
                }
                let events: Vec<_> = r.outcome.events.iter().map(|e| e.name()).collect();
                if !events.is_empty() {
                    parts.push(format!("{} is told: {}", cfg.names[i], events.join("; ")));
                }
            }
            None => parts.push(format!("{} ignores it", cfg.names[i])),
        }
    }
    parts.push(format!(
        "{} {}, {} {}",
        cfg.names[0],
        host(next, 0).tcb.state.rfc_name(),
        cfg.names[1],
        host(next, 1).tcb.state.rfc_name()
    ));
    parts.join(" · ")
}
