//! The property: any bytes give `Ok` or an error located in the spec; never a panic, a stack
//! overflow or a hang. The first byte picks the format, so both parsers are fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (display, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("spec.yaml", rest),
        Some((_, rest)) => ("spec.json", rest),
        None => ("spec.json", data),
    };
    let config = codegen::Config::new(format!("/nonexistent-fuzz-dir/{display}"), display, "fuzzed");
    match codegen::generate_from_bytes(&config, bytes) {
        Ok(_) => {}
        Err(codegen::Error::Parse { location, .. } | codegen::Error::Spec { location, .. }) => {
            assert_eq!(location.file, display);
            assert!(location.line_col.is_some(), "error without line and column: {location}");
        }
        Err(e) => panic!("error without a location in the spec: {e}"),
    }
});
