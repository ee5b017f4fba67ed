//! The signing ratios measured interleaved: the contenders run round-robin in one
//! process, and each ratio is taken within a round (see `common::interleave`), so a
//! busy, shared machine moves numerator and denominator together.
//!
//! ```sh
//! taskset -c 1 cargo bench --bench interleaved            # 31 rounds
//! taskset -c 1 cargo bench --bench interleaved -- --rounds 51
//! ```
//!
//! It prints every round and the median, min and max of each ratio, and writes
//! them to `target/interleaved/signing.json`, which `benches/ratios.py` sets beside
//! criterion's figures.
//!
//! For instruction counts, one contender alone, a fixed number of times:
//!
//! ```sh
//! valgrind --tool=callgrind target/release/deps/interleaved-<hash> --only signer/signature_cached --iters 10000
//! ```

mod common;

use std::hint::black_box;
use std::path::PathBuf;

use common::{interleave, summary, Contender, Floor, Setup, TIMESTAMP};
use tencentcloud_cvm_core::signing::{Signer, SigningKey, SigningParams};

/// (numerator, denominator, the largest ratio the goal allows)
const RATIOS: [(&str, &str, f64); 6] = [
    ("signer/signature_cached", "floor/warm", 1.0),
    ("request/terminate_1_cached", "floor/warm", 2.0),
    ("signer/signature_cold_key", "floor/cold", 1.2),
    ("floor/warm_api", "floor/warm", f64::INFINITY),
    ("floor/unchained", "floor/warm", f64::INFINITY),
    ("signer/signature_cached", "floor/unchained", f64::INFINITY),
];

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let setup = Setup::new();
    let signer = Signer::new();
    let params = setup
        .config
        .signing_params(common::ACTION, &setup.body, TIMESTAMP)
        .expect("valid parameters");
    let mut floor = Floor::new(&setup);
    let mut api_floor = Floor::new(&setup);
    let mut cold_floor = Floor::new(&setup);
    let floor_ref = Floor::new(&setup);

    // Every contender computes the same signature.
    let expected = signer.signature(&params, &setup.credentials);
    assert_eq!(&floor.warm(&setup.body), expected.as_bytes());
    assert_eq!(&api_floor.warm_api(&setup.body), expected.as_bytes());
    assert_eq!(&cold_floor.cold(&setup.body), expected.as_bytes());

    let body = &setup.body;
    let mut contenders = vec![
        Contender::new("floor/warm", || floor.warm(black_box(body))),
        Contender::new("floor/warm_api", || api_floor.warm_api(black_box(body))),
        Contender::new("floor/unchained", || floor_ref.unchained()),
        Contender::new("signer/signature_cached", || {
            signer.signature(black_box(&params), &setup.credentials)
        }),
        Contender::new("request/terminate_1_cached", || {
            setup
                .config
                .terminate_instances(
                    black_box(&setup.one),
                    TIMESTAMP,
                    &setup.credentials,
                    &signer,
                )
                .expect("builds")
        }),
        Contender::new("floor/cold", || cold_floor.cold(black_box(body))),
        Contender::new("signer/signature_cold_key", || {
            let p: &SigningParams<'_> = black_box(&params);
            SigningKey::derive(setup.credentials.secret_key(), p.date(), p.service())
                .sign(&signer.string_to_sign(p))
        }),
    ];

    if let Some(only) = arg::<String>(&args, "--only") {
        let iters = arg(&args, "--iters").unwrap_or(10_000u64);
        let c = contenders
            .iter_mut()
            .find(|c| c.name == only)
            .unwrap_or_else(|| panic!("no contender {only}"));
        (c.run)(iters);
        return;
    }

    let rounds = arg(&args, "--rounds").unwrap_or(31usize);
    let reps = arg(&args, "--reps").unwrap_or(8usize);
    let batch_ms = arg(&args, "--batch-ms").unwrap_or(1.0f64);
    let run = interleave(&mut contenders, rounds, reps, batch_ms);

    print!("round");
    for name in &run.names {
        print!(" | {name}");
    }
    for (a, b, _) in RATIOS {
        print!(" | {} / {}", short(a), short(b));
    }
    println!();
    for (r, times) in run.rounds.iter().enumerate() {
        print!("{r:5}");
        for t in times {
            print!(" | {t:7.1}");
        }
        for (a, b, _) in RATIOS {
            print!(" | {:.3}", run.ratios(a, b)[r]);
        }
        println!();
    }
    println!();
    println!("| contender | median ns | min | max |");
    println!("| --- | ---: | ---: | ---: |");
    for name in &run.names {
        let (m, lo, hi) = summary(&run.times(name));
        println!("| {name} | {m:.1} | {lo:.1} | {hi:.1} |");
    }
    println!();
    println!("| ratio | median | min | max | goal |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut json = String::from("{\n  \"rounds\": ");
    json += &rounds.to_string();
    json += ",\n  \"ratios\": {\n";
    for (i, (a, b, goal)) in RATIOS.iter().enumerate() {
        let (m, lo, hi) = summary(&run.ratios(a, b));
        let goal_text = if goal.is_finite() {
            format!("≤ {goal}")
        } else {
            String::new()
        };
        println!("| {a} / {b} | {m:.3} | {lo:.3} | {hi:.3} | {goal_text} |");
        json += &format!(
            "    \"{a} / {b}\": {{\"median\": {m:.4}, \"min\": {lo:.4}, \"max\": {hi:.4}}}{}\n",
            if i + 1 < RATIOS.len() { "," } else { "" }
        );
    }
    json += "  },\n  \"median_ns\": {\n";
    for (i, name) in run.names.iter().enumerate() {
        let (m, _, _) = summary(&run.times(name));
        json += &format!(
            "    \"{name}\": {m:.2}{}\n",
            if i + 1 < run.names.len() { "," } else { "" }
        );
    }
    json += "  }\n}\n";
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("interleaved");
    let path = dir.join("signing.json");
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, json)) {
        Ok(()) => println!("\nwritten to {}", path.display()),
        Err(e) => eprintln!("\ncould not write {}: {e}", path.display()),
    }
}

fn short(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}
