//! `synfin check`: exhaustive BFS of one configuration and a verdict per property.

use crate::cli::{usage_error, CheckArgs};
use crate::guard::{self, Limits, Stopped};
use crate::link::{self, Link, DEFAULT_ADDR};
use crate::search;
use crate::trace_dir;
use serde::Serialize;
use stateright::{Expectation, Model};
use std::collections::HashMap;
use std::time::Instant;
use synfin_model::config::NetworkKnobs;
use synfin_model::liveness;
use synfin_model::odds;
use synfin_model::trace::{self, Names, Step};
use synfin_model::{Reading, TcpModel};

#[derive(Serialize)]
struct PropertyReport {
    name: &'static str,
    expectation: &'static str,
    verdict: &'static str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<Vec<Step>>,
    /// The explorer command and URL of the counterexample, or of the example that found a
    /// `sometimes` property.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    link: Option<Link>,
    /// Why there is no link, when there is a trace but no link.
    #[serde(skip_serializing_if = "Option::is_none")]
    link_error: Option<String>,
    /// For a `sometimes` property: the number of steps of the example.
    #[serde(skip_serializing_if = "Option::is_none")]
    example_steps: Option<usize>,
    #[serde(skip)]
    diagram: Option<String>,
}

/// The liveness verdicts, with the fairness they assume.
#[derive(Serialize)]
struct LivenessReport {
    fairness: &'static str,
    seconds: f64,
    /// The graph the liveness search explored.
    graph: GraphReport,
    properties: Vec<LivenessProperty>,
}

/// The size of the liveness graph: states, edges, the bytes it holds (per state too), and the
/// odds that two of its states share a 64-bit fingerprint.
#[derive(Serialize)]
struct GraphReport {
    #[serde(flatten)]
    size: liveness::tcp::GraphSize,
    bytes_per_state: f64,
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    link: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_error: Option<String>,
    #[serde(skip)]
    diagram: Option<String>,
}

/// Liveness runs by default up to this many unique states (the check peaks at about 120 bytes
/// a state on the compact engine: 0.6 GB at most; every named configuration fits).
const LIVENESS_DEFAULT_MAX: usize = 5_000_000;

/// With `--liveness`: the most unique states the liveness graph may hold (its state numbers
/// are 32-bit).
const LIVENESS_FORCED_MAX: usize = u32::MAX as usize - 1;

#[derive(Serialize)]
struct Report {
    config: &'static str,
    network: NetworkKnobs,
    profile: Reading,
    retries: u8,
    threads: usize,
    /// `compact`, or `actor` where the compact engine has no representation.
    engine: &'static str,
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
    /// Configurations with the off-path attacker: the odds of one blind segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    odds: Option<odds::Table>,
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
    let limits = Limits::new(args.max_states.map(|n| n as usize), args.max_memory);
    let mut report = match check(&model, threads, limits) {
        Ok(r) => r,
        Err(stopped) => {
            stopped.report(args.json);
            // The checker's threads are still running: end here.
            std::process::exit(i32::from(guard::STOPPED));
        }
    };
    match odds::table(model.cfg()) {
        Ok(t) => report.odds = t,
        Err(e) => {
            errln!("error: odds: {e}");
            report.ok = false;
        }
    }
    let max = if args.liveness {
        LIVENESS_FORCED_MAX
    } else {
        LIVENESS_DEFAULT_MAX
    };
    let wanted = !args.no_liveness && report.unique_states <= max;
    if wanted {
        // Where every `always` property holds the search went through every state, so the
        // liveness graph, built on its own, must hold as many: a cross-check of both.
        let exhaustive = report
            .properties
            .iter()
            .all(|p| p.expectation != "always" || p.ok);
        match liveness(&model, max) {
            Ok(l) if exhaustive && l.graph.size.states != report.unique_states => {
                report.ok = false;
                report.liveness_skipped = Some(format!(
                    "the liveness graph has {} states, the search found {}",
                    l.graph.size.states, report.unique_states
                ));
            }
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
                "{} unique states, more than {max}: run with --liveness",
                report.unique_states
            )
        });
    }
    let mut code_on_write_error = 0;
    if let Some(dir) = &args.trace_dir {
        let mut items: Vec<trace_dir::Item> = Vec::new();
        for p in &report.properties {
            if let (Some(steps), Some(diagram)) = (&p.trace, &p.diagram) {
                items.push(trace_dir::Item {
                    property: p.name,
                    steps,
                    diagram,
                    cycle_start: None,
                    link: p.link.as_ref(),
                });
            }
        }
        for p in report.liveness.iter().flat_map(|l| &l.properties) {
            if let (Some(steps), Some(diagram)) = (&p.trace, &p.diagram) {
                items.push(trace_dir::Item {
                    property: p.name,
                    steps,
                    diagram,
                    cycle_start: p.cycle_start,
                    link: p.link.as_ref(),
                });
            }
        }
        match trace_dir::write(dir, &model, &items) {
            Ok(files) => errln!(
                "wrote {} counterexample(s) to {} ({} files)",
                items.len(),
                dir.display(),
                files.len()
            ),
            Err(e) => {
                errln!("error: {e}");
                code_on_write_error = 1;
            }
        }
    }
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                errln!("error: cannot encode report: {e}");
                return 1;
            }
        }
    } else {
        print_human(&model, &report);
    }
    if report.ok {
        code_on_write_error
    } else {
        1
    }
}

use crate::found::SHORTEST_BUDGET;

/// The most unique states the search for shortest examples explores (beyond, an example is
/// stateright's discovery path, not always a shortest one).
const EXAMPLES_BUDGET: usize = 500_000;

fn check(model: &TcpModel, threads: usize, limits: Limits) -> Result<Report, Stopped> {
    let explored = search::explore(model, threads, limits)?;
    let seconds = explored.seconds;
    let discoveries = &explored.discoveries;
    let names = Names::isns(model);
    // The shortest example of each `sometimes` property found, in one search; stateright's
    // discovery path where that search gives up.
    let reached: Vec<_> = model
        .properties()
        .into_iter()
        .filter(|p| {
            matches!(p.expectation, Expectation::Sometimes) && discoveries.contains_key(p.name)
        })
        .collect();
    let targets: Vec<(&'static str, bool)> = reached.iter().map(|p| (p.name, false)).collect();
    let examples: HashMap<&str, _> = reached
        .iter()
        .map(|p| p.name)
        .zip(search::shortest(model, &targets, EXAMPLES_BUDGET))
        .filter_map(|(n, p)| Some((n, p?)))
        .collect();
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
            let counterexample = found.filter(|_| !ok).map(|path| {
                let shortest = always
                    .then(|| search::shortest(model, &[(p.name, true)], SHORTEST_BUDGET).pop())
                    .flatten()
                    .flatten();
                shortest.unwrap_or_else(|| path.clone())
            });
            let steps = counterexample
                .as_ref()
                .map(|path| trace::steps(model, path));
            let diagram = steps.as_ref().map(|s| trace::render(model, s, &names, 0));
            // The link opens the counterexample shown, or the path that found an example.
            let example = examples.get(p.name).or(found).filter(|_| ok);
            let shown = counterexample.as_ref().or(example);
            let linked = shown.map(|path| {
                let actions = path.clone().into_actions();
                let n = actions.len();
                let l = if counterexample.is_some() {
                    link::link(model, p.name, &actions, None, DEFAULT_ADDR)
                } else {
                    link::example(model, &actions, DEFAULT_ADDR)
                };
                (l, n)
            });
            let (link, link_error, example_steps) = match linked {
                None => (None, None, None),
                Some((Ok(l), n)) => (Some(l), None, ok.then_some(n)),
                Some((Err(e), n)) => (None, Some(e), ok.then_some(n)),
            };
            PropertyReport {
                name: p.name,
                expectation,
                verdict,
                ok,
                trace: steps,
                link,
                link_error,
                example_steps,
                diagram,
            }
        })
        .collect();
    let unique = explored.unique_states;
    Ok(Report {
        config: model.cfg().name,
        network: model.cfg().network,
        profile: model.cfg().profile,
        retries: model.cfg().retries,
        threads,
        engine: explored.engine,
        states: explored.states,
        unique_states: unique,
        max_depth: explored.max_depth,
        seconds,
        unique_states_per_second: unique as f64 / seconds.max(1e-9),
        ok: properties.iter().all(|p| p.ok),
        properties,
        liveness: None,
        liveness_skipped: None,
        odds: None,
    })
}

/// Every liveness property under the model's fairness, with lassos rendered where they fail.
fn liveness(model: &TcpModel, max_states: usize) -> Result<LivenessReport, String> {
    let start = Instant::now();
    let checked = liveness::tcp::check_config(model.cfg(), max_states)?;
    let seconds = start.elapsed().as_secs_f64();
    let size = checked.graph;
    let verdicts = checked.verdicts;
    let mut properties = Vec::new();
    for (name, verdict) in verdicts {
        let (trace, cycle_start, diagram, link) = match verdict {
            None => (None, None, None, None),
            Some((actions, cycle_start)) => {
                let path = model
                    .path(&actions)
                    .ok_or("the lasso's actions do not replay")?;
                let steps = trace::steps(model, &path);
                let diagram = trace::render(model, &steps, &Names::isns(model), 0);
                let link = link::link(model, name, &actions, Some(cycle_start), DEFAULT_ADDR);
                (Some(steps), Some(cycle_start), Some(diagram), Some(link))
            }
        };
        let (link, link_error) = match link {
            None => (None, None),
            Some(Ok(l)) => (Some(l), None),
            Some(Err(e)) => (None, Some(e)),
        };
        let ok = trace.is_none();
        properties.push(LivenessProperty {
            name,
            expectation: "leads-to",
            verdict: if ok { "holds" } else { "violated" },
            ok,
            trace,
            cycle_start,
            link,
            link_error,
            diagram,
        });
    }
    Ok(LivenessReport {
        fairness: liveness::tcp::FAIRNESS,
        seconds,
        graph: GraphReport {
            size,
            bytes_per_state: size.bytes as f64 / size.states.max(1) as f64,
        },
        properties,
    })
}

/// The two lines under a counterexample that open it in the explorer.
fn print_link(link: &Option<Link>, error: &Option<String>) {
    match (link, error) {
        (Some(l), _) => {
            outln!("Open it in the explorer: {}", l.explore_command);
            outln!("                   then: {}", l.explore_url);
        }
        (None, Some(e)) => outln!("(no explorer link: {e})"),
        (None, None) => {}
    }
}

fn print_human(model: &TcpModel, r: &Report) {
    let cfg = model.cfg();
    let on = |b: bool| if b { "on" } else { "off" };
    outln!("config {}: {}", cfg.name, cfg.about);
    outln!(
        "network: loss {}, duplication {}, reordering {}; profile {:?}, RFC 1337 {}; {} retransmission(s) per end",
        on(r.network.loss),
        on(r.network.duplication),
        on(r.network.reordering),
        r.profile.rfc,
        on(r.profile.rfc1337),
        r.retries
    );
    outln!(
        "states {}, unique {}, depth {}, {:.2} s, {:.0} unique states/s ({} threads)",
        r.states,
        r.unique_states,
        r.max_depth,
        r.seconds,
        r.unique_states_per_second,
        r.threads
    );
    outln!();
    for p in &r.properties {
        let mark = if p.ok { "ok  " } else { "FAIL" };
        outln!("{mark} {:<24} {:<9} {}", p.name, p.expectation, p.verdict);
    }
    match (&r.liveness, &r.liveness_skipped) {
        (Some(l), _) => {
            outln!();
            outln!("liveness, {:.2} s; fairness: {}", l.seconds, l.fairness);
            let g = &l.graph;
            outln!(
                "graph: {} states, {} edges, {:.0} MB ({:.0} bytes a state); odds of a \
                 fingerprint collision below {:.1e}",
                g.size.states,
                g.size.edges,
                g.size.bytes as f64 / 1e6,
                g.bytes_per_state,
                g.size.collision_odds
            );
            for p in &l.properties {
                let mark = if p.ok { "ok  " } else { "FAIL" };
                outln!("{mark} {:<24} {:<9} {}", p.name, p.expectation, p.verdict);
            }
        }
        (None, Some(why)) => {
            outln!();
            outln!("liveness not checked: {why}");
        }
        (None, None) => {}
    }
    for p in r.properties.iter().filter(|p| p.diagram.is_some()) {
        outln!();
        outln!("Counterexample for {} ({}):", p.name, p.verdict);
        out!("{}", p.diagram.as_deref().unwrap_or_default());
        print_link(&p.link, &p.link_error);
    }
    for p in r.liveness.iter().flat_map(|l| &l.properties) {
        if let (Some(d), Some(c), Some(t)) = (&p.diagram, p.cycle_start, &p.trace) {
            outln!();
            if c >= t.len() {
                outln!(
                    "Counterexample for {}: after step {c} nothing more happens, forever \
                     (everything in flight lost, no timer due):",
                    p.name
                );
            } else {
                outln!(
                    "Lasso for {}: steps 1 to {c} lead to a cycle; steps {} to {} repeat forever:",
                    p.name,
                    c + 1,
                    t.len()
                );
            }
            out!("{d}");
            print_link(&p.link, &p.link_error);
        }
    }
    let examples: Vec<_> = r
        .properties
        .iter()
        .filter_map(|p| Some((p, p.link.as_ref()?, p.example_steps?)))
        .collect();
    if let Some((_, first, _)) = examples.first() {
        outln!();
        let cmd = first.explore_command.as_str();
        let cmd = cmd.split(" --counterexample").next().unwrap_or(cmd);
        outln!("Examples (a shortest path to each `sometimes` property), after `{cmd}`:");
        for (p, l, n) in examples {
            outln!("  {:<24} {n:>3} steps  {}", p.name, l.explore_url);
        }
    }
    if let Some(t) = &r.odds {
        print_odds(t);
    }
    outln!();
    outln!(
        "{}",
        if r.ok {
            "verdict: all properties as expected"
        } else {
            "verdict: FAILED"
        }
    );
}

/// The odds table: one line per attack and reading.
fn print_odds(t: &odds::Table) {
    outln!();
    outln!(
        "Odds of one blind segment against {} (the best of the {} synchronized blocks it \
         reached; RCV.WND = MAX.SND.WND = {}):",
        t.victim,
        t.blocks,
        t.window
    );
    outln!(
        "  {:<11} {:<9} {:>10} {:>22}  {:<14} succeeds with",
        "attack",
        "reading",
        "P(success)",
        "segments for 50%",
        "in state"
    );
    for r in &t.rows {
        let reading = match r.reading {
            synfin_model::Rfc::Rfc5961 => "RFC 5961",
            synfin_model::Rfc::Rfc793 => "RFC 793",
        };
        let half = r
            .segments_for_half
            .map_or("never".to_string(), |n| format!("{n:.3e}"));
        let with = if r.succeeds_with.is_empty() {
            "nothing".to_string()
        } else {
            r.succeeds_with.join("; ")
        };
        outln!(
            "  {:<11} {:<9} {:>10.3e} {:>22}  {:<14} {with}",
            r.attack.name(),
            reading,
            r.probability,
            half,
            r.state.map_or("-", |s| s.rfc_name())
        );
    }
}
