//! The profile files synfin ships (`profiles/*.toml`) parse, and every family says whose
//! departure it is, cites the RFC and has a signature pattern that can match something.

use std::path::Path;
use synfin_conformance::profile::Profile;

#[test]
fn every_shipped_profile_parses_and_cites_the_rfc() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../profiles");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let p = Profile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        for f in &p.families {
            assert!(
                f.rfc.contains("RFC"),
                "{}: {} cites no RFC",
                p.stack,
                f.name
            );
            for s in &f.signatures {
                assert!(
                    s.split(" / ").count() >= 4,
                    "{}: {}: pattern {s:?} is not state / input / stack [..] / reference [..]",
                    p.stack,
                    f.name
                );
            }
        }
        names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
    }
    names.sort();
    assert_eq!(names, ["freebsd", "linux", "pytcp", "smoltcp"]);
    for name in ["freebsd", "linux", "smoltcp"] {
        Profile::shipped(name).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(Profile::shipped("plan9").is_err());
}

#[test]
fn a_missing_or_oversized_profile_is_an_error_not_a_panic() {
    let e = Profile::load(Path::new("/nonexistent/profile.toml")).unwrap_err();
    assert!(e.contains("/nonexistent/profile.toml"), "{e}");
    let dir = std::env::temp_dir().join(format!("synfin-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.toml");
    std::fs::write(&big, vec![b'#'; (1 << 20) + 1]).unwrap();
    let e = Profile::load(&big).unwrap_err();
    assert!(e.contains("larger than"), "{e}");
    // A file whose length says nothing: read no further than the limit.
    let e = Profile::load(Path::new("/dev/zero")).unwrap_err();
    assert!(e.contains("larger than") || e.contains("UTF-8"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
