//! The explorer's JSON API. The addressing is stateright 0.31's: `/.states/0/3/5` lists the
//! actions possible after the path `0/3/5` (the initial state 0, then action 3, then 5), each
//! with its index, label and the state it leads to; `/.states` lists the initial states. On
//! top of that, `/.path/0/3/5` gives every step of the path with its state panel and the
//! properties evaluated at that state, and the sequence diagram of the whole path; `/.status`
//! describes the model and the counterexample the explorer was opened on.
//!
//! The properties are evaluated at each state. stateright's own explorer does not do this: its
//! page infers a state's verdict from the one discovery path its checker found, so every state
//! off that path reads "Safety holds", violated or not.

use crate::found::Found;
use serde::Serialize;
use stateright::{Expectation, Model};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use synfin_model::liveness;
use synfin_model::model::{SysAction, SysState};
use synfin_model::trace::{self, Names};
use synfin_model::view::{address, label, panel, svg};
use synfin_model::{IsnPolicy, Rfc, TcpModel};

/// The longest path the API replays.
pub const MAX_PATH: usize = 5_000;

/// What the explorer serves.
pub struct Explorer {
    pub model: TcpModel,
    pub names: Names,
    /// The flags that open this model (`--config lifecycle --broken no-time-wait`).
    pub flags: String,
    pub found: Option<Found>,
    /// The address of `found`'s path.
    pub found_indices: Option<Vec<usize>>,
}

#[derive(Serialize)]
struct PropertyAt {
    name: &'static str,
    expectation: &'static str,
    /// `always`: `holds` or `violated`; `sometimes`: `reached` or `not here`; `leads-to`:
    /// which hosts are waiting for Q (P held, Q does not hold yet) — see `waiting`.
    verdict: String,
    ok: bool,
}

#[derive(Serialize)]
struct StepView {
    /// The address of this step (`0/3/5`).
    path: String,
    /// The label of the action that led here (`None` for the initial state).
    action: Option<String>,
    outcome: Option<String>,
    /// The state panel as text.
    state: String,
    panel: panel::Panel,
    fingerprint: String,
    properties: Vec<PropertyAt>,
}

#[derive(Serialize)]
struct PathView {
    steps: Vec<StepView>,
    svg: String,
    /// Where a lasso's cycle starts, if the query said (`?cycle=N`).
    cycle_start: Option<usize>,
}

/// One choice after a path (stateright's `StateView`, with TCP labels).
#[derive(Serialize)]
struct Choice {
    action: Option<String>,
    #[serde(rename = "actionIndex")]
    action_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
    /// The action changes nothing (stateright shows it as ignored).
    ignored: bool,
    /// The `always` properties violated in the state it leads to.
    violates: Vec<&'static str>,
}

#[derive(Serialize)]
struct FoundView {
    property: &'static str,
    expectation: &'static str,
    /// `#/steps/0/3/...` (with `?cycle=N` for a lasso).
    fragment: String,
    steps: usize,
    cycle_start: Option<usize>,
    seconds: f64,
}

#[derive(Serialize)]
struct StatusView {
    config: &'static str,
    about: &'static str,
    flags: String,
    /// Network, profile, retries and broken rule in one line.
    setup: String,
    counterexample: Option<FoundView>,
    properties: Vec<(&'static str, &'static str)>,
}

/// A response: status code, content type, body.
pub type Response = (u16, &'static str, Vec<u8>);

fn json<T: Serialize>(v: &T) -> Response {
    match serde_json::to_vec(v) {
        Ok(b) => (200, "application/json", b),
        Err(e) => (
            500,
            "text/plain",
            format!("cannot encode: {e}").into_bytes(),
        ),
    }
}

fn not_found(msg: String) -> Response {
    (404, "text/plain; charset=utf-8", msg.into_bytes())
}

/// The indices of `/0/3/5` (a trailing slash is allowed).
fn parse_indices(s: &str) -> Result<Vec<usize>, String> {
    let s = s.strip_suffix('/').unwrap_or(s);
    if s.is_empty() {
        return Ok(vec![]);
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err(format!("bad path '{s}'"));
    };
    let v: Result<Vec<usize>, _> = rest.split('/').map(str::parse).collect();
    let v = v.map_err(|_| format!("bad action indices '{s}'"))?;
    if v.len() > MAX_PATH {
        return Err(format!(
            "a path of {} steps is longer than {MAX_PATH}",
            v.len()
        ));
    }
    Ok(v)
}

fn fingerprint(s: &SysState) -> String {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The setup of `model` in one line.
pub fn setup(model: &TcpModel) -> String {
    let cfg = model.cfg();
    let on = |b: bool| if b { "on" } else { "off" };
    format!(
        "network: loss {}, duplication {}, reordering {}; profile {}, RFC 1337 {}; {} \
         retransmission(s) per end; ISN {}; broken rule: {}",
        on(cfg.network.loss),
        on(cfg.network.duplication),
        on(cfg.network.reordering),
        match cfg.profile.rfc {
            Rfc::Rfc5961 => "RFC 5961",
            Rfc::Rfc793 => "RFC 793",
        },
        on(cfg.profile.rfc1337),
        cfg.retries,
        match cfg.isn_policy {
            IsnPolicy::Increasing => "increasing",
            IsnPolicy::Constant => "constant",
        },
        cfg.profile.broken.map_or("none", |m| m.name())
    )
}

impl Explorer {
    /// The answer to a GET of `url` (path and query).
    pub fn respond(&self, url: &str) -> Response {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if path == "/.status" {
            return json(&self.status());
        }
        if let Some(rest) = path.strip_prefix("/.states") {
            return match parse_indices(rest).and_then(|i| self.choices(&i)) {
                Ok(v) => json(&v),
                Err(e) => not_found(e),
            };
        }
        if let Some(rest) = path.strip_prefix("/.path") {
            let cycle = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("cycle="))
                .and_then(|v| v.parse().ok());
            return match parse_indices(rest).and_then(|i| self.path(&i, cycle)) {
                Ok(v) => json(&v),
                Err(e) => not_found(e),
            };
        }
        let asset = |body: &'static str, kind| (200, kind, body.as_bytes().to_vec());
        match path {
            "/" | "/index.html" => asset(include_str!("ui/index.html"), "text/html; charset=utf-8"),
            "/app.js" => asset(include_str!("ui/app.js"), "text/javascript; charset=utf-8"),
            "/app.css" => asset(include_str!("ui/app.css"), "text/css; charset=utf-8"),
            _ => not_found(format!("no such page: {path}")),
        }
    }

    fn status(&self) -> StatusView {
        let cfg = self.model.cfg();
        let mut properties: Vec<_> = self
            .model
            .properties()
            .iter()
            .map(|p| (p.name, expectation(&p.expectation)))
            .collect();
        properties.extend(
            liveness::tcp::properties(cfg)
                .iter()
                .map(|p| (p.name, "leads-to")),
        );
        StatusView {
            config: cfg.name,
            about: cfg.about,
            flags: self.flags.clone(),
            setup: setup(&self.model),
            counterexample: self
                .found
                .as_ref()
                .zip(self.found_indices.as_ref())
                .map(|(f, i)| {
                    let mut fragment = address::fragment(i);
                    if let Some(c) = f.cycle_start {
                        fragment.push_str(&format!("?cycle={c}"));
                    }
                    FoundView {
                        property: f.property,
                        expectation: f.expectation,
                        fragment,
                        steps: f.actions.len(),
                        cycle_start: f.cycle_start,
                        seconds: f.seconds,
                    }
                }),
            properties,
        }
    }

    fn properties_at(&self, s: &SysState) -> Vec<PropertyAt> {
        let m = &self.model;
        let mut v: Vec<PropertyAt> = m
            .properties()
            .iter()
            .map(|p| {
                let holds = (p.condition)(m, s);
                let always = matches!(p.expectation, Expectation::Always);
                PropertyAt {
                    name: p.name,
                    expectation: expectation(&p.expectation),
                    verdict: match (always, holds) {
                        (true, true) => "holds",
                        (true, false) => "violated",
                        (false, true) => "reached",
                        (false, false) => "not here",
                    }
                    .into(),
                    ok: !always || holds,
                }
            })
            .collect();
        for p in liveness::tcp::properties(m.cfg()) {
            if p.forbids_cycles {
                // Not a question one state answers: whether some fair run cycles for ever.
                v.push(PropertyAt {
                    name: p.name,
                    expectation: "leads-to",
                    verdict: "a property of runs, not of one state".into(),
                    ok: true,
                });
                continue;
            }
            let waiting: Vec<&str> = (0..2)
                .filter(|&i| p.p.is_none_or(|pp| pp(i, m, s)) && !(p.q)(i, m, s))
                .map(|i| m.cfg().names[i])
                .collect();
            v.push(PropertyAt {
                name: p.name,
                expectation: "leads-to",
                verdict: if waiting.is_empty() {
                    "nothing pending".into()
                } else {
                    format!("pending for {}", waiting.join(", "))
                },
                ok: true,
            });
        }
        v
    }

    fn view(&self, path: String, prev: Option<(&SysState, &SysAction)>, s: &SysState) -> StepView {
        let panel = panel::panel(&self.model, &self.names, s);
        StepView {
            path,
            action: prev.map(|(l, a)| label::action(&self.model, &self.names, l, a)),
            outcome: prev.map(|(l, a)| label::outcome(&self.model, &self.names, l, a, s)),
            state: panel.text(),
            panel,
            fingerprint: fingerprint(s),
            properties: self.properties_at(s),
        }
    }

    fn path(&self, indices: &[usize], cycle_start: Option<usize>) -> Result<PathView, String> {
        let (init, steps) = address::replay(&self.model, indices)
            .ok_or_else(|| format!("no path follows the action indices {indices:?}"))?;
        let join = |n: usize| {
            indices[..n]
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("/")
        };
        let mut views = vec![self.view(join(1), None, &init)];
        let mut last = &init;
        let mut trace_steps = Vec::new();
        let mut violation = None;
        for (n, (a, s)) in steps.iter().enumerate() {
            views.push(self.view(join(n + 2), Some((last, a)), s));
            trace_steps.push(trace::step(&self.model, last, a, s));
            if violation.is_none()
                && views
                    .last()
                    .is_some_and(|v| v.properties.iter().any(|p| !p.ok))
            {
                violation = Some(n + 1);
            }
            last = s;
        }
        let svg = svg::sequence(
            &self.model,
            &self.names,
            &trace_steps,
            svg::Marks {
                violation,
                cycle_start,
            },
        );
        Ok(PathView {
            steps: views,
            svg,
            cycle_start,
        })
    }

    fn choices(&self, indices: &[usize]) -> Result<Vec<Choice>, String> {
        let m = &self.model;
        if indices.is_empty() {
            return Ok(m
                .init_states()
                .iter()
                .enumerate()
                .map(|(i, s)| Choice {
                    action: None,
                    action_index: i,
                    outcome: None,
                    state: Some(panel::panel(m, &self.names, s).text()),
                    fingerprint: Some(fingerprint(s)),
                    ignored: false,
                    violates: vec![],
                })
                .collect());
        }
        let (init, steps) = address::replay(m, indices)
            .ok_or_else(|| format!("no path follows the action indices {indices:?}"))?;
        let last = steps.last().map_or(&init, |(_, s)| s);
        let mut actions = Vec::new();
        m.actions(last, &mut actions);
        Ok(actions
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let action = Some(label::action(m, &self.names, last, &a));
                match m.next_state(last, a.clone()) {
                    Some(next) => Choice {
                        action,
                        action_index: i,
                        outcome: Some(label::outcome(m, &self.names, last, &a, &next)),
                        state: Some(panel::panel(m, &self.names, &next).text()),
                        fingerprint: Some(fingerprint(&next)),
                        ignored: false,
                        violates: m
                            .properties()
                            .iter()
                            .filter(|p| {
                                matches!(p.expectation, Expectation::Always)
                                    && !(p.condition)(m, &next)
                            })
                            .map(|p| p.name)
                            .collect(),
                    },
                    None => Choice {
                        action,
                        action_index: i,
                        outcome: None,
                        state: None,
                        fingerprint: None,
                        ignored: true,
                        violates: vec![],
                    },
                }
            })
            .collect())
    }
}

fn expectation(e: &Expectation) -> &'static str {
    match e {
        Expectation::Always => "always",
        Expectation::Sometimes => "sometimes",
        Expectation::Eventually => "eventually",
    }
}
