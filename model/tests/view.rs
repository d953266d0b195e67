//! What the explorer shows of the model: labels in the trace's words, a state panel in RFC
//! 9293's names with nothing of stateright's bookkeeping, and a sequence diagram with each
//! host's state after every step.

use stateright::Model;
use synfin_model::model::{SysAction, SysState};
use synfin_model::trace::{self, Names};
use synfin_model::view::{address, label, panel, svg};
use synfin_model::{config, Broken, TcpModel};

/// The seed's handshake, by labels: the path that takes the first action with each label.
fn walk(model: &TcpModel, labels: &[&str]) -> (Vec<SysState>, Vec<SysAction>) {
    let names = Names::for_model(model);
    let mut states = vec![model.init_states().remove(0)];
    let mut actions = Vec::new();
    for want in labels {
        let s = states.last().unwrap().clone();
        let mut choices = Vec::new();
        model.actions(&s, &mut choices);
        let all: Vec<String> = choices
            .iter()
            .map(|a| label::action(model, &names, &s, a))
            .collect();
        let i = all
            .iter()
            .position(|l| l == want)
            .unwrap_or_else(|| panic!("no action '{want}' among {all:?}"));
        let a = choices.swap_remove(i);
        states.push(model.next_state(&s, a.clone()).unwrap());
        actions.push(a);
    }
    (states, actions)
}

const HANDSHAKE: [&str; 5] = [
    "A: OPEN (active)",
    "B: OPEN (passive)",
    "B: receives <SEQ=J><CTL=SYN>",
    "A: receives <SEQ=K><ACK=J+1><CTL=SYN,ACK>",
    "B: receives <SEQ=J+1><ACK=K+1><CTL=ACK>",
];

#[test]
fn labels_read_like_the_text_trace() {
    let model = TcpModel::new(config("handshake").unwrap()).unwrap();
    let (states, actions) = walk(&model, &HANDSHAKE);
    let names = Names::for_model(&model);
    let outcome = label::outcome(&model, &names, &states[2], &actions[2], &states[3]);
    assert_eq!(
        outcome,
        "B sends <SEQ=K><ACK=J+1><CTL=SYN,ACK> · A SYN-SENT, B SYN-RECEIVED"
    );
}

#[test]
fn timers_crashes_and_losses_have_tcp_labels() {
    let mut cfg = config("crash").unwrap();
    cfg.profile.broken = None;
    let model = TcpModel::new(cfg).unwrap();
    let (states, _) = walk(&model, &["A: OPEN (active)", "A: crashes", "A: reboots"]);
    assert!(states[2].crashed[0]);
    let mut cfg = config("lifecycle").unwrap();
    cfg.network.duplication = false;
    let model = TcpModel::new(cfg).unwrap();
    walk(
        &model,
        &[
            "A: OPEN (active)",
            "network: loses <SEQ=J><CTL=SYN> (A to B)",
            "A: retransmission timeout",
        ],
    );
    let mut cfg = config("lifecycle").unwrap();
    cfg.profile.broken = Some(Broken::NoTimeWait);
    let model = TcpModel::new(cfg).unwrap();
    let mut path = HANDSHAKE.to_vec();
    path.extend([
        "A: CLOSE",
        "B: receives <SEQ=J+1><ACK=K+1><CTL=FIN,ACK>",
        "B: CLOSE",
        "A: receives <SEQ=K+1><ACK=J+2><CTL=FIN,ACK>",
        "A: 2MSL timeout",
    ]);
    walk(&model, &path);
}

#[test]
fn the_panel_names_rfc_states_and_variables_and_nothing_of_stateright() {
    let model = TcpModel::new(config("lifecycle").unwrap()).unwrap();
    let (states, _) = walk(&model, &HANDSHAKE[..3]);
    let names = Names::for_model(&model);
    let p = panel::panel(&model, &names, &states[3]);
    assert_eq!(p.hosts[1].state, "SYN-RECEIVED");
    assert_eq!(p.hosts[1].irs, "J");
    assert_eq!(p.hosts[1].snd_nxt, "K+1");
    assert_eq!(p.hosts[1].timers, ["user call", "retransmission"]);
    assert_eq!(p.hosts[0].next_call, Some("CLOSE"));
    assert_eq!(
        p.network.segments,
        [
            "A to B: <SEQ=J><CTL=SYN>",
            "B to A: <SEQ=K><ACK=J+1><CTL=SYN,ACK>"
        ]
    );
    let text = p.text();
    assert!(text.contains("B  SYN-RECEIVED"), "{text}");
    assert!(
        text.contains("ISS=K  SND.UNA=K  SND.NXT=K+1  IRS=J  RCV.NXT=J+1"),
        "{text}"
    );
    for internal in [
        "ActorModelState",
        "random_choices",
        "storages",
        "SynReceived",
        "Id(",
    ] {
        assert!(!text.contains(internal), "{internal} in\n{text}");
    }
}

#[test]
fn the_diagram_shows_each_state_every_segment_and_what_was_not_delivered() {
    let model = TcpModel::new(config("handshake").unwrap()).unwrap();
    let (_, actions) = walk(&model, &HANDSHAKE[..4]);
    let path = model.path(&actions).unwrap();
    let steps = trace::steps(&model, &path);
    let names = Names::for_model(&model);
    let out = svg::sequence(&model, &names, &steps, svg::Marks::default());
    for want in [
        "SYN-SENT",
        "SYN-RECEIVED",
        "ESTABLISHED",
        "&lt;SEQ=J&gt;&lt;CTL=SYN&gt;",
        "&lt;SEQ=K&gt;&lt;ACK=J+1&gt;&lt;CTL=SYN,ACK&gt;",
        // A's ACK is sent at step 4 and not delivered on this path.
        "&lt;SEQ=J+1&gt;&lt;ACK=K+1&gt;&lt;CTL=ACK&gt; not delivered",
        "OPEN (active)",
    ] {
        assert!(out.contains(want), "{want} missing from\n{out}");
    }
    assert_eq!(out.matches(r#"class="delivery""#).count(), 2);
    // stateright's own explorer and reports get the same diagram and TCP step summaries.
    assert_eq!(model.as_svg(path.clone()).as_deref(), Some(out.as_str()));
    let init = model.init_states().remove(0);
    assert_eq!(
        model.format_step(&init, actions[0].clone()).as_deref(),
        Some("A sends <SEQ=J><CTL=SYN> · A SYN-SENT, B CLOSED")
    );
    let lasso = svg::sequence(
        &model,
        &names,
        &steps,
        svg::Marks {
            violation: Some(4),
            cycle_start: Some(4),
        },
    );
    assert!(lasso.contains("after step 4 nothing more happens, forever"));
    assert!(lasso.contains(r#"class="violation""#));
}

#[test]
fn an_address_replays_the_path_it_was_computed_from() {
    let model = TcpModel::new(config("lifecycle").unwrap()).unwrap();
    let (states, actions) = walk(&model, &HANDSHAKE);
    let indices = address::indices(&model, &actions).unwrap();
    assert_eq!(indices.len(), actions.len() + 1);
    let other = TcpModel::new(config("lifecycle").unwrap()).unwrap();
    let (init, steps) = address::replay(&other, &indices).unwrap();
    assert_eq!(init, states[0]);
    assert_eq!(steps.last().unwrap().1, *states.last().unwrap());
    assert_eq!(address::fragment(&[0, 3, 1]), "#/steps/0/3/1");
    assert!(address::replay(&model, &[0, 99]).is_none());
    assert!(address::replay(&model, &[1]).is_none());
}
