//! What a link opens: the shortest counterexample of an `always` property (ending at the
//! violating state), the shortest example of a `sometimes` property, or the lasso of a
//! `leads-to` property (the steps to the cycle, then one turn of it).

use std::time::Instant;
use synfin_model::liveness;
use synfin_model::model::SysAction;
use synfin_model::shortest::shortest_path;
use synfin_model::TcpModel;

/// The most unique states a shortest-path search explores.
pub const SHORTEST_BUDGET: usize = 5_000_000;
/// The most unique states the liveness graph holds when a lasso is asked for.
pub const LIVENESS_BUDGET: usize = 5_000_000;

/// A path to show, with what it shows.
#[derive(Clone, Debug)]
pub struct Found {
    pub property: &'static str,
    /// `always`, `sometimes` or `leads-to`.
    pub expectation: &'static str,
    pub actions: Vec<SysAction>,
    /// For a lasso: how many of the actions lead to the cycle (the cycle is the rest; equal to
    /// the length for a run that stops there).
    pub cycle_start: Option<usize>,
    /// How long the search took.
    pub seconds: f64,
}

/// The names of the properties of `model`'s configuration, safety and reachability first.
pub fn names(model: &TcpModel) -> Vec<&'static str> {
    let mut v: Vec<_> = stateright::Model::properties(model)
        .iter()
        .map(|p| p.name)
        .collect();
    v.extend(
        liveness::tcp::properties(model.cfg())
            .iter()
            .map(|p| p.name),
    );
    v
}

/// The path that shows property `name` of `model`: `Err` if there is no such property, or
/// nothing to show (an `always` or `leads-to` property that holds, a `sometimes` property
/// never found), or the search outgrows its budget.
pub fn find(model: &TcpModel, name: &str) -> Result<Found, String> {
    let start = Instant::now();
    if let Some(p) = stateright::Model::properties(model)
        .into_iter()
        .find(|p| p.name == name)
    {
        let cond = p.condition;
        let always = matches!(p.expectation, stateright::Expectation::Always);
        let path = if always {
            shortest_path(model, |s| !cond(model, s), SHORTEST_BUDGET)
        } else {
            shortest_path(model, |s| cond(model, s), SHORTEST_BUDGET)
        };
        let Some(path) = path else {
            return Err(if always {
                format!("'{name}' holds in this configuration: there is no counterexample to show")
            } else {
                format!(
                    "'{name}' is never reached in this configuration: there is no example to show"
                )
            });
        };
        return Ok(Found {
            property: p.name,
            expectation: if always { "always" } else { "sometimes" },
            actions: path.into_actions(),
            cycle_start: None,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    if liveness::tcp::properties(model.cfg())
        .iter()
        .any(|p| p.name == name)
    {
        let verdicts = liveness::tcp::check_config(model.cfg(), LIVENESS_BUDGET)?.verdicts;
        let (prop, lasso) = verdicts
            .into_iter()
            .find(|(p, _)| *p == name)
            .ok_or("the liveness check lost a property")?;
        let Some((actions, cycle_start)) = lasso else {
            return Err(format!(
                "'{name}' holds in this configuration under the model's fairness: there is no \
                 lasso to show"
            ));
        };
        return Ok(Found {
            property: prop,
            expectation: "leads-to",
            actions,
            cycle_start: Some(cycle_start),
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    Err(format!(
        "unknown property '{name}' for config '{}'; its properties: {}",
        model.cfg().name,
        names(model).join(", ")
    ))
}
