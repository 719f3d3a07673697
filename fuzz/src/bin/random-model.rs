//! Prints the random model of a seed as JSON AST: `cargo run -p smithy-model-fuzz --bin
//! random-model -- 38 > model.json`, then `smithy-gen model.json ...` to reproduce a failure.

fn main() {
    let Some(seed) = std::env::args().nth(1).and_then(|s| s.parse::<u64>().ok()) else {
        eprintln!("usage: random-model SEED");
        std::process::exit(2);
    };
    let model = smithy_model_fuzz::random_model(seed);
    match serde_json::to_string_pretty(&model) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
