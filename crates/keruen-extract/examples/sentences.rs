//! Prints the sentences of a document as the extractor splits them.
//! Run with: cargo run -p keruen-extract --example sentences -- FILE
fn main() {
    let path = std::env::args().nth(1).expect("usage: sentences FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    for (i, s) in keruen_extract::debug_sentences(&text).iter().enumerate() {
        println!("{i:4} | {}", s.replace('\n', "⏎"));
    }
}
