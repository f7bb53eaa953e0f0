//! The tagger's model file on arbitrary bytes, and on the built-in model with bytes
//! changed: reading never panics, and a file that reads tags a sentence.
#![no_main]

use archive::fuzz::tagger::{Model, Tagger};
use libfuzzer_sys::fuzz_target;

const BUILT_IN: &[u8] = include_bytes!("../../src/recognise/tagger/anercorp.model");

fuzz_target!(|data: &[u8]| {
    let _ = Model::from_bytes(data);
    // The built-in model with some bytes overwritten: refused by its checksum, or (when
    // the change is in the header) by what the header says.
    let mut damaged = BUILT_IN.to_vec();
    for chunk in data.chunks(5) {
        if let [a, b, c, d, value] = *chunk {
            let at = u32::from_le_bytes([a, b, c, d]) as usize % damaged.len();
            damaged[at] = value;
        }
    }
    if let Ok(model) = Model::from_bytes(&damaged) {
        let tagger = Tagger::new(model);
        let _ = tagger.tag(&["قال", "الرييس", "دونالد", "ترامب"]);
    }
});
