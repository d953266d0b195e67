//! The shortest counterexample of every run that must fail, as a sequence diagram pinned by an
//! insta snapshot: the story of each broken rule, in as few steps as it takes.

use synfin_model::model::SysState;
use synfin_model::trace::{render, Names};
use synfin_model::view::panel;
use synfin_model::TcpModel;
use synfin_proofs::{proofs, Expect};

/// Both hosts' sequence variables at the violating state (RFC 9293 §3.3.1): the diagram shows
/// segments, not what each end recorded, and some defects (a wrong IRS) live only there.
fn variables(model: &TcpModel, s: &SysState) -> String {
    let p = panel::panel(model, &Names::isns(model), s);
    let mut out = String::from("At the violating state:\n");
    for h in &p.hosts {
        out.push_str(&format!(
            "  {}  {:<12}  ISS={}  SND.UNA={}  SND.NXT={}  IRS={}  RCV.NXT={}\n",
            h.name, h.state, h.iss, h.snd_una, h.snd_nxt, h.irs, h.rcv_nxt
        ));
    }
    out
}

#[test]
fn every_broken_run_has_a_shortest_counterexample_snapshot() {
    for p in proofs() {
        let Expect::Violates(property) = p.expect else {
            continue;
        };
        let (model, steps) = p
            .shortest_counterexample()
            .unwrap_or_else(|| panic!("{}: {property} is never violated", p.name));
        let path = p
            .shortest_counterexample_path()
            .expect("the same counterexample, as a path");
        let diagram = format!(
            "{}: {property} violated in {} steps\n{}{}",
            p.name,
            steps.len(),
            render(&model, &steps, &Names::isns(&model), 0),
            variables(&model, path.last_state())
        );
        insta::assert_snapshot!(p.name, diagram);
    }
}

#[test]
fn every_liveness_variant_has_a_lasso_snapshot() {
    for p in proofs() {
        let Expect::ViolatesLiveness(property) = p.expect else {
            continue;
        };
        let (model, (actions, stem)) = p
            .lasso()
            .unwrap_or_else(|| panic!("{}: {property} never fails", p.name));
        let path = model.path(&actions).expect("the lasso replays");
        let steps = synfin_model::trace::steps(&model, &path);
        let ending = if stem == actions.len() {
            "after the last step nothing more happens, forever (the cycle is a stutter: \
             everything in flight is lost and no timer is due)"
                .to_string()
        } else {
            format!("the steps after step {stem} repeat forever")
        };
        let diagram = format!(
            "{}: {property} fails; {ending}\n{}",
            p.name,
            render(&model, &steps, &Names::isns(&model), 0)
        );
        insta::assert_snapshot!(format!("{}-lasso", p.name), diagram);
    }
}
