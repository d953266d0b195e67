//! A trace as a [Mermaid](https://mermaid.js.org/syntax/sequenceDiagram.html) `sequenceDiagram`,
//! which GitHub and GitLab render from a ```` ```mermaid ```` block: the same steps as
//! [`crate::trace::render`]'s text diagram, drawn the way RFC 9293 §3.5 explains its figures
//! ("Right arrows (-->) indicate departure of a TCP segment from TCP Peer A to TCP Peer B or
//! arrival of a segment at B from A ... TCP connection states represent the state AFTER the
//! departure or arrival of the segment").
//!
//! - a `Note over A,B` with the legend of the symbolic sequence numbers (`J = 100, K = ...`);
//! - each host's state before the first step (`Note over A: CLOSED`);
//! - each delivery as a solid arrow from the sender to the receiver, labelled with the segment
//!   in RFC notation (`A->>B: <SEQ=J><CTL=SYN>`, §3.5's abbreviated form);
//! - each loss as an arrow ending in a cross (`A-xB: <SEQ=J><CTL=SYN> (lost)`);
//! - a user call, a timeout, a crash or a reboot as a note over the host
//!   (`Note over A: OPEN (active) → SYN-SENT`), with the host's new state when it changed;
//! - after an arrival, the receiver's new state when it changed (`Note over B: SYN-RECEIVED`),
//!   and the user-visible events of the step in brackets (`[connected]`, §3.9.1).
//!
//! A segment is drawn when it arrives (or is lost), not when it is sent: the reply a host sends
//! to an arrival is the arrow of a later step. Segments still in flight at the end of the trace
//! are not drawn.
//!
//! Text is escaped for Mermaid's sequence-diagram grammar, where `;` ends a statement and `#`
//! starts a comment (and an entity code): both are written as entity codes (`#59;`, `#35;`),
//! which Mermaid turns back into the characters. `<` and `>` are kept: message and note text
//! runs from the colon to the end of the line, and Mermaid draws it as SVG text.

use crate::model::TcpModel;
use crate::state::State;
use crate::trace::{Names, Step};
use std::fmt::Write;

/// The trace `steps` of `model` as a Mermaid `sequenceDiagram`, from the first step on, with
/// the sequence numbers named by `names`. Every line but the first ends in `\n`.
pub fn render(model: &TcpModel, steps: &[Step], names: &Names) -> String {
    render_from(model, steps, names, 0)
}

/// As [`render`], but only the steps from index `first` on (the earlier steps set the scene,
/// as a scenario's `first` says); the notes at the top give both hosts' states after step
/// `first - 1`. A `first` past the end draws no step.
pub fn render_from(model: &TcpModel, steps: &[Step], names: &Names, first: usize) -> String {
    let hosts = model.cfg().names;
    let ids = [participant_id(hosts[0], 0), participant_id(hosts[1], 1)];
    let mut out = String::from("sequenceDiagram\n");
    for (id, name) in ids.iter().zip(hosts) {
        if id == name {
            let _ = writeln!(out, "    participant {id}");
        } else {
            let _ = writeln!(out, "    participant {id} as {}", escape(name));
        }
    }
    let legend = names.legend();
    if !legend.is_empty() {
        let _ = writeln!(
            out,
            "    Note over {},{}: {}",
            ids[0],
            ids[1],
            escape(&legend)
        );
    }
    let mut states = match first.checked_sub(1).and_then(|i| steps.get(i)) {
        Some(s) => s.states,
        None => [State::Closed; 2],
    };
    for (id, state) in ids.iter().zip(states) {
        let _ = writeln!(out, "    Note over {id}: {}", state.rfc_name());
    }
    for s in steps.iter().skip(first) {
        let actor = hosts.iter().position(|h| *h == s.actor);
        let mut changed = [s.states[0] != states[0], s.states[1] != states[1]];
        match (s.segment, actor) {
            // An arrival at `i`; the note below says what it did there.
            (Some((src, seg)), Some(i)) => {
                let from = ids.get(src).unwrap_or(&ids[1 - i]);
                let _ = writeln!(
                    out,
                    "    {from}->>{}: {}",
                    ids[i],
                    escape(&names.segment(&seg))
                );
                let mut note = Vec::new();
                if changed[i] {
                    note.push(s.states[i].rfc_name().to_string());
                }
                note.extend(events(s));
                if !note.is_empty() {
                    let _ = writeln!(out, "    Note over {}: {}", ids[i], escape(&note.join(" ")));
                }
                changed[i] = false;
            }
            // A loss: the network drops a segment on its way from `src` to the other host.
            (Some((src, seg)), None) => {
                let src = src.min(1);
                let _ = writeln!(
                    out,
                    "    {}-x{}: {} (lost)",
                    ids[src],
                    ids[1 - src],
                    escape(&names.segment(&seg))
                );
            }
            // A user call, a timeout, a crash or a reboot at `i`.
            (None, Some(i)) => {
                let mut note = s.action.clone();
                if changed[i] {
                    let _ = write!(note, " → {}", s.states[i].rfc_name());
                }
                if let Some(e) = events(s) {
                    let _ = write!(note, " {e}");
                }
                let _ = writeln!(out, "    Note over {}: {}", ids[i], escape(&note));
                changed[i] = false;
            }
            // Anything else the model did, over both hosts.
            (None, None) => {
                let _ = writeln!(
                    out,
                    "    Note over {},{}: {}: {}",
                    ids[0],
                    ids[1],
                    escape(&s.actor),
                    escape(&s.action)
                );
            }
        }
        // A state that changed without being its host's own step (not in the model's steps
        // today, but drawn rather than lost).
        for i in 0..2 {
            if changed[i] {
                let _ = writeln!(out, "    Note over {}: {}", ids[i], s.states[i].rfc_name());
            }
        }
        states = s.states;
    }
    out
}

/// The step's events as `[connected]`, `[connection closing, closed]`; `None` without any.
fn events(s: &Step) -> Option<String> {
    (!s.events.is_empty()).then(|| format!("[{}]", s.events.join(", ")))
}

/// Mermaid's id for host `i`: its name when that is a plain word (`A`), else `H0`/`H1` (with
/// the name as the participant's alias).
fn participant_id(name: &str, i: usize) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "end" | "note" | "participant" | "actor" | "as" | "over" | "loop" | "alt" | "opt"
        );
    if plain {
        name.to_string()
    } else {
        format!("H{i}")
    }
}

/// `text` as Mermaid message or note text: `#` and `;` as entity codes (`#35;`, `#59;`), and
/// line breaks as spaces (a message is one line).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
