//! The sequence diagram of a path, as SVG for the explorer: two lifelines, each host's state
//! after every step beside its lifeline, user calls, timeouts, crashes and reboots as notes
//! beside the state, and every delivery as an arrow from the step that sent the segment to the
//! step that delivered it, labelled in RFC notation. A segment delivered a second time is
//! marked `(again)`, a lost one ends in a cross, and one that was in the network before the
//! run (an old duplicate) comes from the top. Colours are chosen for a dark background, which
//! the diagram brings with it. One label per row, placed short of the arrowhead: labels do not
//! overlap each other or the heads.

use crate::model::TcpModel;
use crate::segment::Segment;
use crate::state::State;
use crate::trace::{Names, Step};
use std::fmt::Write;

const ROW: usize = 32;
const TOP: usize = 64;
/// The distance between the lifelines.
const MID: usize = 440;
const CHAR_W: f64 = 7.3;

const BG: &str = "#161b22";
const LINE: &str = "#6e7681";
const TEXT: &str = "#f0f6fc";
const NOTE: &str = "#e3b341";
const FROM_A: &str = "#58a6ff";
const FROM_B: &str = "#f0883e";
const RST: &str = "#ff7b72";
const LOST: &str = "#8b949e";
const MARK: &str = "#3d1d20";
const CYCLE_BAR: &str = "#3fb950";

/// Which rows to mark: the step where a property is violated, and where a lasso's cycle
/// starts (a stop when it is past the last step).
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks {
    /// 1-based step number.
    pub violation: Option<usize>,
    /// Number of steps before the cycle.
    pub cycle_start: Option<usize>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn y(row: usize) -> usize {
    TOP + row * ROW
}

/// Where the lifelines are: A's leaves room on its left for A's longest note and state.
#[derive(Clone, Copy)]
struct Layout {
    x_a: usize,
}

impl Layout {
    fn x(self, host: usize) -> usize {
        if host == 0 {
            self.x_a
        } else {
            self.x_a + MID
        }
    }
}

/// The width of a note and state beside a lifeline, in characters.
fn side_chars(s: &Step) -> usize {
    s.action.chars().count()
        + 5
        + s.events.iter().map(|e| e.len() + 3).sum::<usize>()
        + s.states
            .iter()
            .map(|st| st.rfc_name().len())
            .max()
            .unwrap_or(0)
}

/// The diagram of `steps` (from the initial state, where both hosts are CLOSED).
pub fn sequence(model: &TcpModel, names: &Names, steps: &[Step], marks: Marks) -> String {
    let cfg = model.cfg();
    let acting = |s: &Step, h: usize| cfg.names.get(h).is_some_and(|n| *n == s.actor);
    let side = |h: usize| {
        steps
            .iter()
            .filter(|s| acting(s, h))
            .map(side_chars)
            .max()
            .unwrap_or(12)
            .max(14) as f64
            * CHAR_W
    };
    let lay = Layout {
        x_a: 40 + side(0) as usize,
    };
    let x = |h: usize| lay.x(h);
    let width = lay.x(1) + 16 + side(1) as usize + 8;
    // One more row under the last step for a lasso's note.
    let rows = steps.len() + 1 + usize::from(marks.cycle_start.is_some());
    let height = y(rows) + 10;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">"#
    );
    let _ = write!(
        out,
        r#"<defs><marker id="head-a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{FROM_A}"/></marker><marker id="head-b" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{FROM_B}"/></marker><marker id="head-rst" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{RST}"/></marker></defs>"#
    );
    let _ = write!(out, r#"<rect width="100%" height="100%" fill="{BG}"/>"#);
    // Marked rows first, under everything else.
    if let Some(v) = marks.violation.filter(|v| *v <= steps.len()) {
        let _ = write!(
            out,
            r#"<rect class="violation" x="0" y="{}" width="{width}" height="{ROW}" fill="{MARK}"/>"#,
            y(v) - ROW / 2 - 2
        );
    }
    if let Some(c) = marks.cycle_start {
        // A bar in the left margin beside the rows of the cycle, and a note on a row of its
        // own under the last step.
        let n = steps.len();
        let note = if c >= n {
            format!("■ after step {n} nothing more happens, forever")
        } else {
            let _ = write!(
                out,
                r#"<rect class="cycle" x="28" y="{}" width="5" height="{}" rx="2" fill="{CYCLE_BAR}"/>"#,
                y(c) - 8,
                (n - c) * ROW + 12
            );
            format!(
                "↻ steps {} to {n} repeat forever: step {n} is the state after step {c} again",
                c + 1
            )
        };
        let _ = write!(
            out,
            r#"<text class="cycle-note" x="{}" y="{}" fill="{CYCLE_BAR}">{}</text>"#,
            40,
            y(n + 1) + 4,
            esc(&note)
        );
    }
    for (i, name) in cfg.names.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect x="{}" y="8" width="60" height="26" rx="4" fill="none" stroke="{TEXT}"/><text x="{}" y="26" fill="{TEXT}" text-anchor="middle" font-weight="bold" font-size="14">{}</text>"#,
            x(i) - 30,
            x(i),
            esc(name)
        );
        let _ = write!(
            out,
            r#"<line x1="{0}" y1="34" x2="{0}" y2="{1}" stroke="{LINE}" stroke-dasharray="4 4"/>"#,
            x(i),
            height - 6
        );
    }
    // Row 0: the initial states.
    let mut states = [State::Closed; 2];
    let write_state = |out: &mut String, row: usize, host: usize, note: &str, state: State| {
        let (anchor, xx) = if host == 0 {
            ("end", lay.x(0) - 12)
        } else {
            ("start", lay.x(1) + 12)
        };
        let note = esc(note);
        let state = esc(state.rfc_name());
        let body = match (note.is_empty(), host) {
            (true, _) => format!(r#"<tspan fill="{TEXT}" font-weight="bold">{state}</tspan>"#),
            (false, 0) => format!(
                r#"<tspan fill="{NOTE}">{note} ▸ </tspan><tspan fill="{TEXT}" font-weight="bold">{state}</tspan>"#
            ),
            (false, _) => format!(
                r#"<tspan fill="{TEXT}" font-weight="bold">{state}</tspan><tspan fill="{NOTE}"> ◂ {note}</tspan>"#
            ),
        };
        let _ = write!(
            out,
            r#"<text class="state" x="{xx}" y="{}" text-anchor="{anchor}">{body}</text>"#,
            y(row) + 4
        );
    };
    for (h, s) in states.iter().enumerate() {
        write_state(&mut out, 0, h, "", *s);
    }
    let _ = write!(
        out,
        r#"<text x="8" y="{}" fill="{LOST}">0</text>"#,
        y(0) + 4
    );
    // Segment labels, drawn last, over every line.
    let mut labels = String::new();
    // Sends: (row, sender, header) for every segment sent so far.
    let mut sent: Vec<(usize, usize, Segment)> = Vec::new();
    let mut delivered: Vec<(usize, Segment)> = Vec::new();
    for (n, s) in steps.iter().enumerate() {
        let row = n + 1;
        let _ = write!(
            out,
            r#"<text x="8" y="{}" fill="{LOST}">{row}</text>"#,
            y(row) + 4
        );
        let actor = cfg.names.iter().position(|a| *a == s.actor);
        if let Some((src, seg)) = s.segment {
            let from = sent
                .iter()
                .rev()
                .find(|(_, h, x)| *h == src && *x == seg)
                .map(|(r, _, _)| *r);
            let again = delivered.contains(&(src, seg));
            let lost = actor.is_none();
            if !lost {
                delivered.push((src, seg));
            }
            let mut label = names.segment(&seg);
            match (from, lost, again) {
                (_, true, _) => label.push_str(" lost"),
                (None, _, _) => label.push_str(" (old duplicate)"),
                (_, _, true) => label.push_str(" (again)"),
                _ => {}
            }
            let row_bg = if marks.violation == Some(row) {
                MARK
            } else {
                BG
            };
            arrow(
                &mut out,
                &mut labels,
                row_bg,
                lay,
                src,
                from,
                row,
                lost,
                seg.rst(),
                &label,
            );
        }
        if let (Some(h), Some(seg)) = (actor, s.sent) {
            sent.push((row, h, seg));
        }
        for (h, st) in s.states.iter().enumerate() {
            let note = match actor {
                Some(a) if a == h && s.segment.is_none() => s.action.clone(),
                _ => String::new(),
            };
            let mut note = note;
            if actor == Some(h) && !s.events.is_empty() {
                if !note.is_empty() {
                    note.push(' ');
                }
                note.push_str(&format!("[{}]", s.events.join("; ")));
            }
            if *st != states[h] || !note.is_empty() {
                write_state(&mut out, row, h, &note, *st);
            }
        }
        states = s.states;
    }
    // Segments sent and never delivered on this path: a short dashed stub from the sender.
    for (row, h, seg) in &sent {
        if !delivered.contains(&(*h, *seg)) {
            stub(&mut out, lay, *h, *row, &names.segment(seg));
        }
    }
    out.push_str(&labels);
    out.push_str("</svg>");
    out
}

/// A segment sent at `row` by `src` that this path never delivers: a dashed stub a quarter of
/// the way to the peer, labelled under the line.
fn stub(out: &mut String, lay: Layout, src: usize, row: usize, seg: &str) {
    let (x1, yy) = (lay.x(src), y(row));
    let x2 = if src == 0 { x1 + MID / 4 } else { x1 - MID / 4 };
    let (anchor, lx) = if src == 0 {
        ("start", x1 + 6)
    } else {
        ("end", x1 - 6)
    };
    let _ = write!(
        out,
        r#"<line class="undelivered" x1="{x1}" y1="{yy}" x2="{x2}" y2="{yy}" stroke="{LOST}" stroke-dasharray="3 3"/><text class="undelivered" x="{lx}" y="{}" fill="{LOST}" font-size="11" text-anchor="{anchor}">{} not delivered</text>"#,
        yy + 13,
        esc(seg)
    );
}

/// One delivery (or loss) arrow from host `src`'s row `from` (the top edge for a segment that
/// was in the network before the run) to the other host at `row`.
#[allow(clippy::too_many_arguments)]
fn arrow(
    out: &mut String,
    labels: &mut String,
    row_bg: &str,
    lay: Layout,
    src: usize,
    from: Option<usize>,
    row: usize,
    lost: bool,
    rst: bool,
    label: &str,
) {
    let dst = 1 - src;
    let (x1, y1) = (lay.x(src), from.map_or(40, y));
    let (mut x2, y2) = (lay.x(dst), y(row));
    let (colour, head) = match (rst, src) {
        (true, _) => (RST, "head-rst"),
        (false, 0) => (FROM_A, "head-a"),
        (false, _) => (FROM_B, "head-b"),
    };
    if lost {
        x2 = (x1 + x2) / 2;
        let _ = write!(
            out,
            r#"<line class="lost" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{LOST}" stroke-dasharray="6 4"/><text x="{x2}" y="{}" fill="{RST}" text-anchor="middle" font-size="16">✕</text>"#,
            y2 + 5
        );
    } else {
        let _ = write!(
            out,
            r#"<line class="delivery" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="1.6" marker-end="url(#{head})"/>"#
        );
    }
    // The label sits on the delivery row, above the arrow, short of the arrowhead (or the
    // cross), on a background of its own.
    let gap = 18.0;
    let (lx, anchor) = if lost {
        if src == 0 {
            (x2 as f64 - gap, "end")
        } else {
            (x2 as f64 + gap, "start")
        }
    } else if dst == 1 {
        (x2 as f64 - gap, "end")
    } else {
        (x2 as f64 + gap, "start")
    };
    let colour = if lost { LOST } else { colour };
    // A box in the row's own colour keeps the label readable over the lines it would cross
    // (the labels are drawn after every line).
    let w = label.chars().count() as f64 * CHAR_W;
    let rx = if anchor == "end" {
        lx - w - 3.0
    } else {
        lx - 3.0
    };
    let _ = write!(
        labels,
        r#"<rect x="{rx:.0}" y="{}" width="{:.0}" height="15" rx="3" fill="{row_bg}"/><text class="segment" x="{lx:.0}" y="{}" fill="{colour}" text-anchor="{anchor}">{}</text>"#,
        y2 - 19,
        w + 6.0,
        y2 - 8,
        esc(label)
    );
}
