//! `synfin check`: exhaustive BFS of one configuration and a verdict per property.

use crate::cli::{usage_error, CheckArgs};
use serde::Serialize;
use stateright::{Checker, Expectation, Model};
use std::time::{Duration, Instant};
use synfin_model::config::NetworkKnobs;
use synfin_model::liveness;
use synfin_model::shortest::shortest_path;
use synfin_model::trace::{self, Names, Step};
use synfin_model::{Profile, TcpModel};

#[derive(Serialize)]
struct PropertyReport {
    name: &'static str,
    expectation: &'static str,
    verdict: &'static str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<Vec<Step>>,
    #[serde(skip)]
    diagram: Option<String>,
}

/// The liveness verdicts, with the fairness they assume.
#[derive(Serialize)]
struct LivenessReport {
    fairness: &'static str,
    seconds: f64,
    properties: Vec<LivenessProperty>,
}

#[derive(Serialize)]
struct LivenessProperty {
    name: &'static str,
    expectation: &'static str,
    verdict: &'static str,
    ok: bool,
    /// The lasso: the steps from the initial state, the cycle starting at `cycle_start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<Vec<Step>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cycle_start: Option<usize>,
    #[serde(skip)]
    diagram: Option<String>,
}

/// Liveness runs by default up to this many unique states (about three times the safety
/// check's time at most; larger configurations need `--liveness`).
const LIVENESS_DEFAULT_MAX: usize = 200_000;

#[derive(Serialize)]
struct Report {
    config: &'static str,
    network: NetworkKnobs,
    profile: Profile,
    retries: u8,
    threads: usize,
    states: usize,
    unique_states: usize,
    max_depth: usize,
    seconds: f64,
    unique_states_per_second: f64,
    ok: bool,
    properties: Vec<PropertyReport>,
    /// `None` when skipped (see `liveness_skipped`).
    liveness: Option<LivenessReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    liveness_skipped: Option<String>,
}

pub fn run(args: &CheckArgs) -> u8 {
    let model = match args.model.config().and_then(TcpModel::new) {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut report = check(&model, threads);
    let wanted =
        args.liveness || (!args.no_liveness && report.unique_states <= LIVENESS_DEFAULT_MAX);
    if wanted {
        match liveness(&model) {
            Ok(l) => {
                report.ok &= l.properties.iter().all(|p| p.ok);
                report.liveness = Some(l);
            }
            Err(e) => report.liveness_skipped = Some(e),
        }
    } else {
        report.liveness_skipped = Some(if args.no_liveness {
            "--no-liveness".into()
        } else {
            format!(
                "{} unique states, more than {LIVENESS_DEFAULT_MAX}: run with --liveness",
                report.unique_states
            )
        });
    }
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot encode report: {e}");
                return 1;
            }
        }
    } else {
        print_human(&model, &report);
    }
    if report.ok {
        0
    } else {
        1
    }
}

/// The most unique states the shortest-counterexample search explores before falling back to
/// stateright's path.
const SHORTEST_BUDGET: usize = 5_000_000;

fn check(model: &TcpModel, threads: usize) -> Report {
    let start = Instant::now();
    let checker = model.clone().checker().threads(threads).spawn_bfs();
    let mut next_note = Duration::from_secs(2);
    while !checker.is_done() {
        std::thread::sleep(Duration::from_millis(50));
        if start.elapsed() >= next_note {
            eprintln!(
                "checking {}: {} states, {} unique, depth {}, {:.0} s",
                model.cfg().name,
                checker.state_count(),
                checker.unique_state_count(),
                checker.max_depth(),
                start.elapsed().as_secs_f64()
            );
            next_note += Duration::from_secs(2);
        }
    }
    let checker = checker.join();
    let seconds = start.elapsed().as_secs_f64();
    let discoveries = checker.discoveries();
    let names = Names::isns(model);
    let properties: Vec<_> = model
        .properties()
        .into_iter()
        .map(|p| {
            let found = discoveries.get(p.name);
            let always = matches!(p.expectation, Expectation::Always);
            let (expectation, verdict, ok) = match (p.expectation, found.is_some()) {
                (Expectation::Always, false) => ("always", "holds", true),
                (Expectation::Always, true) => ("always", "violated", false),
                (Expectation::Sometimes, true) => ("sometimes", "found", true),
                (Expectation::Sometimes, false) => ("sometimes", "not found", false),
                (Expectation::Eventually, false) => ("eventually", "holds", true),
                (Expectation::Eventually, true) => ("eventually", "violated", false),
            };
            // Counterexamples are shown; examples of `sometimes` properties are not. stateright's
            // parallel BFS does not return a shortest path, so the counterexample shown is a
            // shortest one from our own search (stateright's if that search gives up).
            let steps = found.filter(|_| !ok).map(|path| {
                let cond = p.condition;
                let shortest = always
                    .then(|| shortest_path(model, |s| !cond(model, s), SHORTEST_BUDGET))
                    .flatten();
                trace::steps(model, shortest.as_ref().unwrap_or(path))
            });
            let diagram = steps.as_ref().map(|s| trace::render(model, s, &names, 0));
            PropertyReport {
                name: p.name,
                expectation,
                verdict,
                ok,
                trace: steps,
                diagram,
            }
        })
        .collect();
    let unique = checker.unique_state_count();
    Report {
        config: model.cfg().name,
        network: model.cfg().network,
        profile: model.cfg().profile,
        retries: model.cfg().retries,
        threads,
        states: checker.state_count(),
        unique_states: unique,
        max_depth: checker.max_depth(),
        seconds,
        unique_states_per_second: unique as f64 / seconds.max(1e-9),
        ok: properties.iter().all(|p| p.ok),
        properties,
        liveness: None,
        liveness_skipped: None,
    }
}

/// Every liveness property under the model's fairness, with lassos rendered where they fail.
fn liveness(model: &TcpModel) -> Result<LivenessReport, String> {
    let start = Instant::now();
    let verdicts = liveness::tcp::check(model, 5_000_000)?;
    let seconds = start.elapsed().as_secs_f64();
    let mut properties = Vec::new();
    for (prop, verdict) in verdicts {
        let (trace, cycle_start, diagram) = match verdict {
            None => (None, None, None),
            Some((actions, cycle_start)) => {
                let path = model
                    .path(&actions)
                    .ok_or("the lasso's actions do not replay")?;
                let steps = trace::steps(model, &path);
                let diagram = trace::render(model, &steps, &Names::isns(model), 0);
                (Some(steps), Some(cycle_start), Some(diagram))
            }
        };
        let ok = trace.is_none();
        properties.push(LivenessProperty {
            name: prop.name,
            expectation: "leads-to",
            verdict: if ok { "holds" } else { "violated" },
            ok,
            trace,
            cycle_start,
            diagram,
        });
    }
    Ok(LivenessReport {
        fairness: liveness::tcp::FAIRNESS,
        seconds,
        properties,
    })
}

fn print_human(model: &TcpModel, r: &Report) {
    let cfg = model.cfg();
    let on = |b: bool| if b { "on" } else { "off" };
    println!("config {}: {}", cfg.name, cfg.about);
    println!(
        "network: loss {}, duplication {}, reordering {}; profile {:?}, RFC 1337 {}; {} retransmission(s) per end",
        on(r.network.loss),
        on(r.network.duplication),
        on(r.network.reordering),
        r.profile.rfc,
        on(r.profile.rfc1337),
        r.retries
    );
    println!(
        "states {}, unique {}, depth {}, {:.2} s, {:.0} unique states/s ({} threads)",
        r.states, r.unique_states, r.max_depth, r.seconds, r.unique_states_per_second, r.threads
    );
    println!();
    for p in &r.properties {
        let mark = if p.ok { "ok  " } else { "FAIL" };
        println!("{mark} {:<24} {:<9} {}", p.name, p.expectation, p.verdict);
    }
    match (&r.liveness, &r.liveness_skipped) {
        (Some(l), _) => {
            println!();
            println!("liveness, {:.2} s; fairness: {}", l.seconds, l.fairness);
            for p in &l.properties {
                let mark = if p.ok { "ok  " } else { "FAIL" };
                println!("{mark} {:<24} {:<9} {}", p.name, p.expectation, p.verdict);
            }
        }
        (None, Some(why)) => {
            println!();
            println!("liveness not checked: {why}");
        }
        (None, None) => {}
    }
    for p in r.properties.iter().filter(|p| p.diagram.is_some()) {
        println!();
        println!("Counterexample for {} ({}):", p.name, p.verdict);
        print!("{}", p.diagram.as_deref().unwrap_or_default());
    }
    for p in r.liveness.iter().flat_map(|l| &l.properties) {
        if let (Some(d), Some(c), Some(t)) = (&p.diagram, p.cycle_start, &p.trace) {
            println!();
            if c >= t.len() {
                println!(
                    "Counterexample for {}: after step {c} nothing more happens, forever \
                     (everything in flight lost, no timer due):",
                    p.name
                );
            } else {
                println!(
                    "Lasso for {}: steps 1 to {c} lead to a cycle; steps {} to {} repeat forever:",
                    p.name,
                    c + 1,
                    t.len()
                );
            }
            print!("{d}");
        }
    }
    println!();
    println!(
        "{}",
        if r.ok {
            "verdict: all properties as expected"
        } else {
            "verdict: FAILED"
        }
    );
}
