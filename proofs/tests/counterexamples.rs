//! The shortest counterexample of every run that must fail, as a sequence diagram pinned by an
//! insta snapshot: the story of each broken rule, in as few steps as it takes.

use synfin_model::trace::{render, Names};
use synfin_proofs::{proofs, Expect};

#[test]
fn every_broken_run_has_a_shortest_counterexample_snapshot() {
    for p in proofs() {
        let Expect::Violates(property) = p.expect else {
            continue;
        };
        let (model, steps) = p
            .shortest_counterexample()
            .unwrap_or_else(|| panic!("{}: {property} is never violated", p.name));
        let diagram = format!(
            "{}: {property} violated in {} steps\n{}",
            p.name,
            steps.len(),
            render(&model, &steps, &Names::isns(&model), 0)
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
