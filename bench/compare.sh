#!/usr/bin/env bash
# Put synfin's checking speed next to two anchors measured in the same sitting (issue 15):
#   - stateright's own two-phase-commit example, `2pc check 8`, built here from the
#     stateright 0.31.0 crate source in ~/.cargo/registry (offline);
#   - SPIN on the Promela mirror of `lifecycle` and `simultaneous-open` in
#     ../shared/bench/spin (skipped, with a note, when `spin` is not on PATH).
#
#   bash bench/compare.sh                    from the repository root (any cwd works)
#   RUNS=5 bash bench/compare.sh             timed runs per measurement (default 3); medians
#   SYNFIN=path/to/synfin bash bench/compare.sh   (default: target/release/synfin)
#   THREADS1=1 bash bench/compare.sh         also time synfin --threads 1 on lifecycle and
#                                            simultaneous-open (SPIN's pan uses one core)
#   SKIP_CRASH=1 bash bench/compare.sh       leave out `check --config crash --liveness`
#                                            (~75-90 s and ~4 GB per run)
#   ONLY=lifecycle bash bench/compare.sh     passed on to SPIN's run.sh: no simultaneous-open
#
# It builds nothing in the repository: synfin is the existing binary; the 2pc example is built
# in a temporary cargo project under /tmp (`cargo build --release --offline`, ~35 s, not timed).
# Needs cargo, GNU time (/usr/bin/time), awk; SPIN's run.sh also needs spin, gcc and bc.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
synfin=${SYNFIN:-$here/../target/release/synfin}
spin_dir=$root/../shared/bench/spin

[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) not found: apt-get install -y time" >&2; exit 2; }
[ -x "$synfin" ] || { echo "synfin binary not found at $synfin (set SYNFIN, or build it)" >&2; exit 2; }
synfin=$(realpath "$synfin")

work=$(mktemp -d /tmp/synfin-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Time a private copy: a rebuild of target/release/synfin during the sitting cannot swap it.
cp "$synfin" "$work/synfin"
synfin_info="$synfin ($("$synfin" --version 2>/dev/null || echo '?'), built $(date -u -r "$synfin" +%FT%TZ), sha256 $(sha256sum "$synfin" | cut -c1-12))"
synfin=$work/synfin

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
say() { echo "$*" >&2; }   # progress goes to stderr, the report to stdout

# Result rows, one per measurement: name|unique|median wall s|median RSS KB|note
rows=()

# ---------------------------------------------------------------------------------------------
# 1. stateright's 2pc example, built from the crate source.
#
# The example's dev-dependencies env_logger 0.11 and pico-args 0.5 are not in the offline
# registry, so the copy built here (src/main.rs) differs from examples/2pc.rs in three ways:
#   - the `env_logger::init_from_env(...)` line is deleted (it only routes `log` output;
#     the WriteReporter report goes to stdout either way);
#   - a 20-line `mod pico_args` is appended that implements the three calls main() makes
#     (Arguments::from_env, subcommand, opt_free_from_str) on positional arguments;
#   - `use stateright::report::WriteReporter` becomes a thin wrapper around it (appended
#     `mod bench_report`) that is polled every 10 ms instead of every second and prints the
#     checker's own elapsed time to stderr. Checker::report() sleeps reporter.delay() (1 s by
#     default) between is_done() polls, so with the stock reporter the process lives on for
#     up to a second after the search ends and its wall time rounds up to whole seconds
#     (measured: 5.01 / 6.01 / 6.02 s). The stdout report is unchanged: the same lines, a
#     "Checking." line about once a second and the final "Done. ... sec=N" line.
# The model, the checker calls (.threads(num_cpus::get()).spawn_dfs()) and the release profile
# are untouched; num_cpus 1.17 (a dev-dependency too) is in the registry and used as is.
# ---------------------------------------------------------------------------------------------
sr_src=$(ls -d "$HOME"/.cargo/registry/src/*/stateright-0.31.0 2>/dev/null | head -1 || true)
[ -n "$sr_src" ] && [ -f "$sr_src/examples/2pc.rs" ] || {
  echo "stateright-0.31.0 source not found under ~/.cargo/registry/src" >&2; exit 2; }
for line in 'env_logger::init_from_env' '^use stateright::report::WriteReporter;$'; do
  grep -q "$line" "$sr_src/examples/2pc.rs" || {
    echo "examples/2pc.rs has changed shape (no '$line'); check the patch" >&2; exit 2; }
done

tpc=$work/twopc
mkdir -p "$tpc/src"
cat >"$tpc/Cargo.toml" <<EOF
[package]
name = "twopc"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "2pc"
path = "src/main.rs"

[dependencies]
stateright = { path = "$sr_src" }
num_cpus = "1.17"
EOF
# The lock file of this repository pins the versions synfin itself is built with (ahash,
# dashmap, parking_lot, ...); cargo drops the entries the example does not use.
[ -f "$root/Cargo.lock" ] && cp "$root/Cargo.lock" "$tpc/Cargo.lock"
sed -e '/env_logger::init_from_env/d' \
  -e 's/^use stateright::report::WriteReporter;$/use bench_report::WriteReporter;/' \
  "$sr_src/examples/2pc.rs" >"$tpc/src/main.rs"
cat >>"$tpc/src/main.rs" <<'EOF'

/// Stand-in for the `pico-args` dev-dependency (not in the offline registry): the three calls
/// the example makes, on positional arguments only.
mod pico_args {
    #[derive(Debug)]
    pub struct Error(#[allow(dead_code)] String);
    pub struct Arguments(std::collections::VecDeque<String>);
    impl Arguments {
        pub fn from_env() -> Self {
            Arguments(std::env::args().skip(1).collect())
        }
        pub fn subcommand(&mut self) -> Result<Option<String>, Error> {
            Ok(self.0.pop_front())
        }
        pub fn opt_free_from_str<T: std::str::FromStr>(&mut self) -> Result<Option<T>, Error> {
            match self.0.pop_front() {
                None => Ok(None),
                Some(s) => s.parse().map(Some).map_err(|_| Error(format!("not a number: {s}"))),
            }
        }
    }
}

/// stateright's WriteReporter, polled every 10 ms instead of every second (so the process ends
/// within 10 ms of the search), printing the checker's own elapsed time to stderr.
mod bench_report {
    use stateright::report::{ReportData, ReportDiscovery, Reporter};
    use stateright::Model;
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::hash::Hash;
    use std::time::Duration;

    pub struct WriteReporter<'a, W>(stateright::report::WriteReporter<'a, W>, u64);

    impl<'a, W> WriteReporter<'a, W> {
        pub fn new(writer: &'a mut W) -> Self {
            Self(stateright::report::WriteReporter::new(writer), 0)
        }
    }

    impl<M: Model, W: std::io::Write> Reporter<M> for WriteReporter<'_, W> {
        fn report_checking(&mut self, data: ReportData) {
            if data.done {
                eprintln!("elapsed {:.3} s", data.duration.as_secs_f64());
            }
            // The stock "Checking." line about once a second, as with the 1 s delay.
            if data.done || self.1 % 100 == 0 {
                Reporter::<M>::report_checking(&mut self.0, data);
            }
            self.1 += 1;
        }
        fn report_discoveries(
            &mut self,
            model: &M,
            discoveries: BTreeMap<&'static str, ReportDiscovery<M>>,
        ) where
            M::Action: Debug + PartialEq,
            M::State: Debug + Hash + PartialEq,
        {
            self.0.report_discoveries(model, discoveries)
        }
        fn delay(&self) -> Duration {
            Duration::from_millis(10)
        }
    }
}
EOF
say "building stateright's 2pc example from $sr_src (cargo build --release --offline) ..."
if ! (cd "$tpc" && CARGO_TARGET_DIR="$tpc/target" cargo build --release --offline -q 2>"$work/cargo.err"); then
  cat "$work/cargo.err" >&2; echo "building the 2pc example failed" >&2; exit 1
fi
tpc_bin=$tpc/target/release/2pc

echo "synfin compare: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$runs"
echo "synfin: $synfin_info"
echo "stateright: $sr_src"

say "timing 2pc check 8 ($runs runs) ..."
walls=() rss=() owns=() uniq=
for i in $(seq "$runs"); do
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$tpc_bin" check 8 >"$work/out.txt" 2>"$work/err.txt" || {
    cat "$work/out.txt" "$work/err.txt" >&2; echo "2pc check 8 failed" >&2; exit 1; }
  # Its report ends with `Done. states=18507778, unique=1745408, depth=26, sec=5` (whole seconds).
  u=$(sed -n 's/^Done\. .*unique=\([0-9]*\),.*/\1/p' "$work/out.txt")
  [ -n "$u" ] || { cat "$work/out.txt" >&2; echo "no 'Done.' line from 2pc" >&2; exit 1; }
  [ -z "$uniq" ] || [ "$uniq" = "$u" ] || say "  warning: unique states differ between runs ($uniq, $u)"
  uniq=$u
  own=$(sed -n 's/^elapsed \([0-9.]*\) s$/\1/p' "$work/err.txt")
  read -r w m <"$work/time.txt"
  walls+=("$w") rss+=("$m") owns+=("$own")
  say "  run $i: $u unique, $w s wall (search $own s), $m KB"
done
rows+=("stateright 2pc check 8|$uniq|$(printf '%s\n' "${walls[@]}" | median)|$(printf '%s\n' "${rss[@]}" | median)|DFS $(printf '%.2f' "$(printf '%s\n' "${owns[@]}" | median)") s, $(nproc) threads")

# ---------------------------------------------------------------------------------------------
# 2. synfin. `--json` gives unique_states and the checker's own seconds (the first "seconds"
# key; with liveness, the second one is the liveness check's).
# ---------------------------------------------------------------------------------------------
synfin_run() { # label, then synfin arguments
  local label=$1; shift
  say "timing synfin $* ($runs runs) ..."
  local walls=() rss=() owns=() lives=() uniq= i u own live w m
  for i in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$synfin" "$@" --json >"$work/out.json" 2>"$work/err.txt" || {
      tail -20 "$work/err.txt" >&2; echo "synfin $* failed" >&2; exit 1; }
    grep -q '"ok": false' "$work/out.json" && say "  warning: a property failed in synfin $*"
    u=$(sed -n 's/^ *"unique_states": \([0-9]*\),*$/\1/p' "$work/out.json" | head -1)
    own=$(sed -n 's/^ *"seconds": \([0-9.e+-]*\),*$/\1/p' "$work/out.json" | sed -n 1p)
    live=$(sed -n 's/^ *"seconds": \([0-9.e+-]*\),*$/\1/p' "$work/out.json" | sed -n 2p)
    [ -n "$u" ] || { head -40 "$work/out.json" >&2; echo "no unique_states in synfin's JSON" >&2; exit 1; }
    [ -z "$uniq" ] || [ "$uniq" = "$u" ] || say "  warning: unique states differ between runs ($uniq, $u)"
    uniq=$u
    read -r w m <"$work/time.txt"
    walls+=("$w") rss+=("$m") owns+=("$own")
    [ -n "$live" ] && lives+=("$live")
    say "  run $i: $u unique, $w s wall (search $own s${live:+, liveness $live s}), $m KB"
  done
  local note
  note="search $(printf '%.2f' "$(printf '%s\n' "${owns[@]}" | median)") s"
  if [ ${#lives[@]} -gt 0 ]; then
    note+=" + liveness $(printf '%.2f' "$(printf '%s\n' "${lives[@]}" | median)") s"
  fi
  rows+=("$label|$uniq|$(printf '%s\n' "${walls[@]}" | median)|$(printf '%s\n' "${rss[@]}" | median)|$note")
}
synfin_run "synfin lifecycle --no-liveness" check --no-liveness --config lifecycle
synfin_run "synfin simultaneous-open --no-liveness" check --no-liveness --config simultaneous-open
if [ -n "${THREADS1:-}" ]; then
  synfin_run "synfin lifecycle --no-liveness --threads 1" check --no-liveness --config lifecycle --threads 1
  synfin_run "synfin simultaneous-open --no-liveness --threads 1" check --no-liveness --config simultaneous-open --threads 1
fi
if [ -z "${SKIP_CRASH:-}" ]; then
  synfin_run "synfin crash --liveness" check --config crash --liveness
fi

# ---------------------------------------------------------------------------------------------
# 3. SPIN (its own run.sh: every variant it documents, with and without -DPROPS, RUNS runs
# each, medians). Its wall_s column is the whole pan process, like /usr/bin/time's %e.
# ---------------------------------------------------------------------------------------------
declare -A spin_wall=()
spin_note=
if ! command -v spin >/dev/null; then
  spin_note="SPIN skipped: spin is not on PATH (install: apt-get install -y spin bc; SPIN 6.5.2)"
elif ! command -v bc >/dev/null || ! command -v gcc >/dev/null; then
  spin_note="SPIN skipped: its run.sh needs bc and gcc (apt-get install -y bc gcc)"
elif [ ! -x "$spin_dir/run.sh" ] && [ ! -f "$spin_dir/run.sh" ]; then
  spin_note="SPIN skipped: $spin_dir/run.sh not found"
else
  say "running SPIN: $spin_dir/run.sh $runs ..."
  # Without SYNFIN: synfin is timed above, once, in the same way as the other rows.
  (unset SYNFIN; bash "$spin_dir/run.sh" "$runs") >"$work/spin.txt" 2>"$work/spin.err" || {
    cat "$work/spin.txt" "$work/spin.err" >&2; echo "SPIN's run.sh failed" >&2; exit 1; }
  # variant stored transit. depth pan_s wall_s pan_MB rss_MB build_s
  while read -r name stored _ _ pan_s wall_s _ rss_mb _; do
    case $name in lc-*|so-*) ;; *) continue ;; esac
    spin_wall[$name]=$wall_s
    space=lifecycle; [[ $name == so-* ]] && space=simultaneous-open
    note="pan's own time $pan_s s"
    [[ $name == *hc4 ]] && note+="; HC4 hash compaction is lossy"
    rows+=("SPIN $name ($space)|$stored|$wall_s|$(awk -v m="$rss_mb" 'BEGIN {printf "%d", m * 1024}')|$note")
  done <"$work/spin.txt"
fi

# ---------------------------------------------------------------------------------------------
# 4. The table.
# ---------------------------------------------------------------------------------------------
ratio() { # synfin seconds, SPIN variant
  local s=${spin_wall[$2]:-}
  if [ -n "$s" ]; then awk -v a="$1" -v b="$s" 'BEGIN {printf "%.1fx", a / b}'; else echo -; fi
}
echo
printf '%-52s %10s %9s %13s %8s %13s %13s  %s\n' run "unique" "seconds" "unique/s" "RSS MB" \
  "vs SPIN" "vs SPIN+PROPS" note
for r in "${rows[@]}"; do
  IFS='|' read -r name uniq secs kb note <<<"$r"
  vs=- vsp=-
  case $name in
    "synfin lifecycle"*) vs=$(ratio "$secs" lc-dfs-w16) vsp=$(ratio "$secs" lc-props) ;;
    "synfin simultaneous-open"*) vs=$(ratio "$secs" so-dfs-w20) vsp=$(ratio "$secs" so-props) ;;
  esac
  printf '%-52s %10s %9.3f %13s %8.1f %13s %13s  %s\n' "$name" "$uniq" "$secs" \
    "$(awk -v u="$uniq" -v s="$secs" 'BEGIN {if (s > 0) printf "%d", u / s; else print "-"}')" \
    "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$vs" "$vsp" "$note"
done
echo
echo "seconds: median wall time of the whole process over $runs runs (/usr/bin/time %e; for SPIN,"
echo "run.sh's wall_s); unique/s = unique states / those seconds; RSS: median max RSS."
echo "vs SPIN: synfin's seconds / SPIN's on the same state space (lifecycle: lc-dfs-w16 and"
echo "lc-props; simultaneous-open: so-dfs-w20 and so-props). The +PROPS rows check 7 of synfin's"
echo "'always' properties; synfin checks all of its properties. 2pc and synfin use every core;"
echo "SPIN's pan is single-threaded (THREADS1=1 adds synfin --threads 1 rows). SPIN's 'unique' is"
echo "states stored: synfin's count plus one pre-initial state (fewer with lossy -DHC4)."
if [ -n "$spin_note" ]; then echo "$spin_note"; fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
