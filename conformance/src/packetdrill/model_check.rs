//! The model against the packetdrill corpus: every script that passes against the endpoint is
//! replayed, input by input, into the model's rules (the same reference and comparison as
//! [`crate::single`]), and each step the endpoint took must be one the model allows.
//!
//! The replay uses the endpoint's ISS ([`ENDPOINT_ISN`]), the profile (RFC 793 or RFC 5961)
//! the script's sysctls selected for each injected segment, and the endpoint's receive window
//! (65,535). A listener closed with its connection in SYN-RECEIVED ([`Input::Discard`])
//! is no rule of the model: the connection is dropped by the stack, so the replay goes on from
//! a fresh TCB in CLOSED, and nothing may be sent. Segments
//! are abstracted by [`crate::abstraction::segment`] (window, options, PSH, URG dropped). The
//! model cannot say:
//!
//! * a `write()` of more than one octet (the model's SEND is one octet), nor a `write()`
//!   before ESTABLISHED (the model does not queue; `Event::ErrorNotQueued`);
//! * a segment of more than 255 octets (the model's length is a `u8`);
//!
//! such scripts are "not comparable", with the reason.

use super::parse;
use super::report::Verdict;
use super::run::{self, Input, TraceStep, ENDPOINT_ISN};
use crate::abstraction;
use crate::endpoint::Observation;
use crate::single::compare;
use crate::single::reference::{outcome, RefState, Transition};
use std::fmt;
use std::path::Path;
use synfin_model::rules;
use synfin_model::script::Call;
use synfin_model::{Rfc, Seq, State};
use synfin_tcp::Profile;

/// Where the model and the endpoint first part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The script line whose input it was.
    pub lineno: usize,
    /// The index of the input in the trace.
    pub step: usize,
    /// The model's state before the input.
    pub state: String,
    pub input: String,
    /// What the endpoint sent, in the model's terms.
    pub endpoint: String,
    /// What the model's reference rule sends.
    pub model: String,
    /// [`compare::check`]'s account of the difference.
    pub why: String,
}

/// How a passing script's trace fares against the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelVerdict {
    /// Every step is one the model allows.
    Accepted {
        steps: usize,
    },
    Disagrees(Disagreement),
    NotComparable(String),
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} (step {}), in {}: {}\n    endpoint sent {}\n    model sends   {}\n    {}",
            self.lineno, self.step, self.state, self.input, self.endpoint, self.model, self.why
        )
    }
}

/// One passing script's result.
#[derive(Clone, Debug)]
pub struct ScriptCheck {
    pub path: String,
    pub verdict: ModelVerdict,
}

fn rfc(p: Profile) -> Rfc {
    match p {
        Profile::Rfc793 => Rfc::Rfc793,
        Profile::Rfc5961 => Rfc::Rfc5961,
    }
}

/// Replays an endpoint trace into the model.
pub fn check_trace(trace: &[TraceStep]) -> ModelVerdict {
    let cfg = run::endpoint_config();
    let budget = u8::try_from(cfg.retries).unwrap_or(u8::MAX);
    let syn_budget = u8::try_from(cfg.syn_retries).unwrap_or(u8::MAX);
    let mut s = RefState::new(Seq(ENDPOINT_ISN), Rfc::Rfc5961);
    s.tcb = synfin_model::Tcb::new(Seq(ENDPOINT_ISN), budget);
    s.profile.rfc1337 = cfg.rfc1337;
    s.profile.window = u32::from(cfg.recv_buffer);
    for (i, step) in trace.iter().enumerate() {
        // `None`: read(), which is no input to the model.
        let t = match &step.input {
            Input::Call(c) => Some(Transition::Call(*c)),
            Input::Write(1) if Call::Send.ready(s.tcb.state) => Some(Transition::Call(Call::Send)),
            Input::Write(n) => {
                return ModelVerdict::NotComparable(format!(
                    "line {}: write() of {n} octets in {} (the model SENDs one octet, \
                     once open for sending)",
                    step.lineno,
                    s.tcb.state.rfc_name()
                ))
            }
            Input::Read => None,
            Input::Inject(p, profile) => {
                s.profile.rfc = rfc(*profile);
                match abstraction::segment(&p.segment) {
                    Some(seg) => Some(Transition::Arrive(seg)),
                    None => {
                        return ModelVerdict::NotComparable(format!(
                            "line {}: injected segment of {} octets",
                            step.lineno,
                            p.segment.payload.len()
                        ))
                    }
                }
            }
            Input::Timer(_) => Some(Transition::Timeout),
            Input::Discard => {
                if !step.sent.is_empty() || !step.events.is_empty() {
                    return ModelVerdict::Disagrees(Disagreement {
                        lineno: step.lineno,
                        step: i,
                        state: s.tcb.state.rfc_name().to_string(),
                        input: "listener closed (connection discarded)".to_string(),
                        endpoint: format!(
                            "{} segment(s), {} event(s)",
                            step.sent.len(),
                            step.events.len()
                        ),
                        model: "nothing".to_string(),
                        why: "a discarded connection sends and tells nothing".to_string(),
                    });
                }
                s.tcb = synfin_model::Tcb::new(Seq(ENDPOINT_ISN), budget);
                s.before = s.tcb;
                s.last = rules::Outcome::unchanged(&s.tcb);
                continue;
            }
        };
        let mut sent = Vec::new();
        for p in &step.sent {
            match abstraction::segment(&p.segment) {
                Some(seg) => sent.push(seg),
                None => {
                    return ModelVerdict::NotComparable(format!(
                        "line {}: the endpoint sent {} octets in one segment",
                        step.lineno,
                        p.segment.payload.len()
                    ))
                }
            }
        }
        let mut obs = Observation {
            sent,
            ..Observation::default()
        };
        for e in &step.events {
            obs.events.add(abstraction::event(*e));
        }
        if let Some(e) = step.error.and_then(abstraction::call_error) {
            obs.events.add(e);
        }
        // `delivered` is the model's ghost count (a `u8`); the comparison ignores it.
        s.tcb.delivered = 0;
        let before = s.tcb;
        let (out, allowed) = match &t {
            // read() is no input to the model: nothing may change or be sent.
            None => {
                let out = rules::Outcome::unchanged(&before);
                (out, vec![out])
            }
            Some(t @ Transition::Arrive(seg)) => (
                outcome(&s, t),
                rules::allowed::arrivals(&before, seg, &s.profile),
            ),
            Some(t) => {
                let out = outcome(&s, t);
                (out, vec![out])
            }
        };
        let matched = compare::check(&allowed, &obs, &step.tcb);
        if let Err(why) = matched {
            let input = match (&step.input, &t) {
                (_, None) => "read()".to_string(),
                (Input::Timer(us), _) => {
                    format!("timer at {}.{:06}", us / 1_000_000, us % 1_000_000)
                }
                (_, Some(Transition::Arrive(seg))) => format!("arrival {seg:?}"),
                (_, Some(t)) => format!("{t:?}"),
            };
            return ModelVerdict::Disagrees(Disagreement {
                lineno: step.lineno,
                step: i,
                state: before.state.rfc_name().to_string(),
                input,
                endpoint: format!("{:?}", obs.sent),
                model: format!("{:?}", out.send.into_iter().collect::<Vec<_>>()),
                why,
            });
        }
        // Go on from the outcome the endpoint matched (an allowed alternative, if not the
        // reference rule's).
        let out = matched.map_or(out, |i| allowed[i]);
        s.before = before;
        s.tcb = out.tcb;
        s.last = out;
        // The endpoint gives a SYN `syn_retries` retransmissions and data `retries`; the model
        // has one budget, so it is set to the SYN's on entering SYN-SENT or SYN-RECEIVED.
        if matches!(s.tcb.state, State::SynSent | State::SynReceived) && before.state != s.tcb.state
        {
            s.tcb.retries_left = syn_budget;
        }
    }
    ModelVerdict::Accepted { steps: trace.len() }
}

/// Runs one script against the endpoint and, if it passes, its trace against the model.
/// `None` when the script does not pass against the endpoint.
pub fn check_text(path: &str, src: &str) -> Option<ScriptCheck> {
    let script = parse::parse(src)
        .ok()
        .filter(parse::Script::has_statements)?;
    let (verdict, notes) = run::run_script(path, &script);
    if verdict != Verdict::Pass {
        return None;
    }
    Some(ScriptCheck {
        path: path.to_string(),
        verdict: check_trace(&notes.trace),
    })
}

/// Every passing script under `corpus`, sorted by path.
pub fn check_corpus(corpus: &Path) -> std::io::Result<Vec<ScriptCheck>> {
    let summary = super::run_corpus(corpus)?;
    let mut out = Vec::new();
    for r in summary
        .reports
        .iter()
        .filter(|r| r.verdict == Verdict::Pass)
    {
        // It read a moment ago; if it no longer does, there is nothing to check.
        if let Ok(src) = super::read_script(&corpus.join(&r.path)) {
            out.extend(check_text(&r.path, &src));
        }
    }
    Ok(out)
}
