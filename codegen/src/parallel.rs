//! Stages 4 and 5 run part by part (see [`crate::emit::plan`]), on up to one thread per core.
//!
//! Token streams are `!Send`, so a part is emitted and formatted on one thread, from the shared
//! IR; only its text crosses threads. The parts depend on the IR alone, never on the number of
//! threads, and their texts are put back in plan order: the output is the same on any machine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::diag::Error;
use crate::emit::{self, Part};
use crate::ir::Api;
use crate::{format, Config};

/// Room for the recursion of `syn` and `prettyplease` on deeply nested types, as on a main thread.
const WORKER_STACK: usize = 8 << 20;

/// The formatted Rust files, and how the wall-clock time splits between emit and format.
pub(crate) struct Rendered {
    /// `(path, text)` of each file, in plan order.
    pub files: Vec<(&'static str, String)>,
    pub emit: Duration,
    pub format: Duration,
}

/// How many threads [`render`] uses by default: one per core, but no more than there are parts
/// worth a thread (the heads of files are tiny).
pub(crate) fn default_threads(api: &Api) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = emit::plan(api, None)
        .iter()
        .flat_map(|f| &f.parts)
        .filter(|p| matches!(p, Part::Types { .. } | Part::Operations { .. }))
        .count();
    cores.min(parts).max(1)
}

/// Emits and formats every part of every file on `threads` threads (the calling one included)
/// and joins the parts of each file. `per_part` overrides the part size (tests).
pub(crate) fn render(api: &Api, config: &Config, threads: usize, per_part: Option<usize>) -> Result<Rendered, Error> {
    let plan = emit::plan(api, per_part);
    let jobs: Vec<(&'static str, Part)> = plan
        .iter()
        .flat_map(|f| f.parts.iter().map(move |p| (f.path, *p)))
        .collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Worked::default();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(path, part)) = jobs.get(index) else {
                return done;
            };
            let t = Instant::now();
            let mut tokens = Some(emit::emit_part(api, config, part));
            let emitted = Instant::now();
            let text = format::format_with(path, || {
                tokens.take().unwrap_or_else(|| emit::emit_part(api, config, part))
            });
            done.emit += emitted - t;
            done.format += emitted.elapsed();
            done.texts.push((index, text));
        }
    };
    let started = Instant::now();
    let mut workers = Vec::with_capacity(threads);
    std::thread::scope(|s| {
        let spawned: Vec<_> = (1..threads)
            .map_while(|_| {
                // A thread that cannot be started leaves its parts to the others.
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        workers.push(work());
        for h in spawned {
            workers.push(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
    });
    let wall = started.elapsed();

    let mut texts: Vec<Option<Result<String, Error>>> = jobs.iter().map(|_| None).collect();
    let (mut emit_sum, mut format_sum) = (Duration::ZERO, Duration::ZERO);
    for w in workers {
        emit_sum += w.emit;
        format_sum += w.format;
        for (index, text) in w.texts {
            texts[index] = Some(text);
        }
    }
    let mut texts = texts.into_iter();
    let mut files = Vec::with_capacity(plan.len());
    for file in &plan {
        let parts = texts
            .by_ref()
            .take(file.parts.len())
            // Every job ran: the workers only stop when the list is exhausted.
            .map(|text| text.unwrap_or_else(|| Err(Error::Internal(format!("a part of {} was lost", file.path)))))
            .collect::<Result<Vec<String>, Error>>()?;
        files.push((file.path, parts.concat()));
    }
    // Threads run both stages at once: split the wall clock in proportion to their summed time.
    let total = (emit_sum + format_sum).as_secs_f64();
    let emit = if total > 0.0 {
        wall.mul_f64(emit_sum.as_secs_f64() / total)
    } else {
        Duration::ZERO
    };
    Ok(Rendered {
        files,
        emit,
        format: wall.saturating_sub(emit),
    })
}

#[derive(Default)]
struct Worked {
    /// `(index into the job list, formatted text)`.
    texts: Vec<(usize, Result<String, Error>)>,
    emit: Duration,
    format: Duration,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proc_macro2::TokenStream;

    use crate::{emit, format, generate_inner, Config, Split};

    /// The bytes depend neither on the number of threads nor on where files are split into parts:
    /// for every fixture, each file is what formatting it whole gives (as before it was split),
    /// with one item per part on three threads, the default parts on two, and one part per
    /// section on one.
    #[test]
    fn output_is_independent_of_threads_and_parts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![root.join("specs/modbox.yaml")];
        let fixtures = std::fs::read_dir(root.join("tests/fixtures")).expect("fixtures");
        specs.extend(fixtures.map(|e| e.expect("entry").path()).filter(|p| p.is_file()));
        specs.sort();
        let mut compared = 0;
        for spec in &specs {
            let bytes = std::fs::read(spec).expect("spec");
            let config = Config::new(spec, spec.display().to_string(), "fixture");
            let run = |threads, per_part| {
                let split = Split {
                    threads: Some(threads),
                    per_part,
                };
                generate_inner(&config, &bytes, split).map(|(out, _)| out)
            };
            let Ok(out) = run(3, Some(1)) else {
                continue;
            };
            for file in emit::plan(&out.api, None) {
                let mut tokens = TokenStream::new();
                for part in &file.parts {
                    tokens.extend(emit::emit_part(&out.api, &config, *part));
                }
                let whole = format::format(file.path, tokens).expect("formats");
                let generated = &out.files[file.path];
                let body = generated.split_once('\n').map_or("", |(_header, body)| body);
                assert!(
                    body == whole,
                    "{}: {} differs from the whole file",
                    spec.display(),
                    file.path
                );
            }
            for (threads, per_part) in [(2, None), (1, Some(usize::MAX))] {
                let other = run(threads, per_part).expect("generates").files;
                assert!(
                    out.files == other,
                    "{}: {threads} threads, {per_part:?} items per part",
                    spec.display()
                );
            }
            compared += 1;
        }
        assert!(compared >= 20, "only {compared} fixtures generated");
    }
}
