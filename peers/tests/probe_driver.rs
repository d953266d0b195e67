//! A driver that breaks `peers/DRIVER.md` gets an error that says how, never a panic or a
//! hang: garbage on its output, a wrong id, an answer without `ok`, a line too long, an exit,
//! silence; a refusal (`ok: false`) is a refused call with the driver's reason. No namespace
//! needed: these drivers are shell and Python one-liners that never touch the network.

use serde_json::json;
use std::time::Instant;
use synfin_peers::probe::driver::{Driver, ANSWER};

/// A driver that answers hello properly, then runs `then` (a Python statement with `req`, the
/// request, and `out(obj)` to answer) for every later request.
fn python(then: &str) -> String {
    let program = format!(
        "import json,sys\n\
         def out(o): print(json.dumps(o), flush=True)\n\
         for line in sys.stdin:\n\
         \x20   req = json.loads(line)\n\
         \x20   if req['op'] == 'hello': out({{'id': req['id'], 'ok': True, 'name': 'fake', 'state': True}}); continue\n\
         \x20   {then}\n"
    );
    format!("python3 -c {}", shlex::try_quote(&program).unwrap())
}

fn started(then: &str) -> Driver {
    Driver::start(&python(then)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_driver_that_answers_is_spoken_to_and_its_refusals_are_errors() {
    let mut d = started(
        "out({'id': req['id'], 'ok': req['op'] != 'close', 'error': 'not now', 'state': 'LISTEN'})",
    );
    assert_eq!((d.name.as_str(), d.tells_state), ("fake", true));
    let v = d.request(json!({"op": "state"})).unwrap();
    assert_eq!(v["state"], "LISTEN");
    let e = d.request(json!({"op": "close"})).unwrap_err();
    assert_eq!(e, "close: not now");
    assert!(d.broken.is_none(), "a refusal is no protocol break");
    d.stop();
}

#[test]
fn protocol_breaks_are_errors_that_say_how() {
    let cases = [
        ("out('a string')", "answered id null"),
        ("print('not json', flush=True)", "not a JSON line"),
        ("out({'id': req['id'] + 1, 'ok': True})", "answered id"),
        ("out({'id': req['id']})", "without \"ok\""),
        ("print('x' * 70000, flush=True)", "longer than"),
        ("sys.exit(0)", "closed its output"),
    ];
    for (then, says) in cases {
        let mut d = started(then);
        let e = d.request(json!({"op": "state"})).unwrap_err();
        assert!(e.contains(says), "{then}: {e}");
        // Once broken, every request fails at once with the same reason.
        assert_eq!(d.request(json!({"op": "state"})).unwrap_err(), e);
        d.stop();
    }
}

/// A driver that said it tells states and answers a name that is no RFC 9293 state breaks
/// the protocol (it is not taken for "cannot tell").
#[test]
fn a_state_that_is_no_rfc_name_breaks_the_protocol() {
    use synfin_peers::kernel::peer::Calls;
    use synfin_peers::probe::driver::DriverCalls;
    let mut d = started("out({'id': req['id'], 'ok': True, 'state': 'established'})");
    assert_eq!(DriverCalls(&mut d).state(1), None);
    let broken = d.broken.clone().expect("broken");
    assert!(broken.contains("no RFC 9293 state name"), "{broken}");
    d.stop();
}

#[test]
fn a_driver_that_does_not_start_or_does_not_say_hello_is_an_error() {
    let e = Driver::start("").map(|_| ()).unwrap_err();
    assert!(e.contains("not a command line"), "{e}");
    let e = Driver::start("'unclosed").map(|_| ()).unwrap_err();
    assert!(e.contains("not a command line"), "{e}");
    let e = Driver::start("/nonexistent/driver --x")
        .map(|_| ())
        .unwrap_err();
    assert!(e.contains("cannot start"), "{e}");
    let e = Driver::start("true").map(|_| ()).unwrap_err();
    assert!(e.contains("hello"), "{e}");
}

#[test]
fn a_silent_driver_times_out() {
    let mut d = started("pass");
    let t = Instant::now();
    let e = d.request(json!({"op": "state"})).unwrap_err();
    assert!(e.contains("no answer"), "{e}");
    assert!(t.elapsed() >= ANSWER);
    d.stop();
}
