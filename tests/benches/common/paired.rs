//! Paired timing, beside criterion's: the generated and the hand-written
//! side of a pair run in turn, call by call (which goes first alternates),
//! so that the load of a shared, noisy machine falls on both alike.
//! Criterion measures one side, then the other: a burst of load during
//! one of them moves its ratio by tens of percent.

use std::time::{Duration, Instant};

/// Runs `generated` and `handwritten` in turn for about `budget` (at least
/// 20 rounds), and prints the median time of each call and their ratio.
pub fn compare(
    name: &str,
    budget: Duration,
    mut generated: impl FnMut(),
    mut handwritten: impl FnMut(),
) {
    let (mut times_generated, mut times_handwritten) = (Vec::new(), Vec::new());
    let timed = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let start = Instant::now();
    for round in 0.. {
        if round >= 20 && start.elapsed() > budget {
            break;
        }
        if round % 2 == 0 {
            times_generated.push(timed(&mut generated));
            times_handwritten.push(timed(&mut handwritten));
        } else {
            times_handwritten.push(timed(&mut handwritten));
            times_generated.push(timed(&mut generated));
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort_unstable();
        times[times.len() / 2]
    };
    let (generated, handwritten) = (median(&mut times_generated), median(&mut times_handwritten));
    eprintln!(
        "paired {name}: generated {generated:.2?}, handwritten {handwritten:.2?}, ratio {:.2} ({} rounds)",
        generated.as_secs_f64() / handwritten.as_secs_f64(),
        times_generated.len()
    );
}

/// [`compare`] with a third side, `other` (named `other_name`): all three
/// in turn, each round starting with the next; prints each median, and the
/// generated side's ratio to each of the others.
#[allow(dead_code)] // Not every benchmark has a third side.
pub fn compare3(
    name: &str,
    budget: Duration,
    mut generated: impl FnMut(),
    mut handwritten: impl FnMut(),
    (other_name, mut other): (&str, impl FnMut()),
) {
    let mut times: [Vec<Duration>; 3] = Default::default();
    let start = Instant::now();
    for round in 0..usize::MAX {
        if round >= 20 && start.elapsed() > budget {
            break;
        }
        for k in 0..3 {
            let side = (round + k) % 3;
            let began = Instant::now();
            match side {
                0 => generated(),
                1 => handwritten(),
                _ => other(),
            }
            times[side].push(began.elapsed());
        }
    }
    let rounds = times[0].len();
    let [generated, handwritten, other] = times.map(|mut times| {
        times.sort_unstable();
        times[times.len() / 2]
    });
    eprintln!(
        "paired {name}: generated {generated:.2?}, handwritten {handwritten:.2?}, {other_name} {other:.2?}; \
         ratio to handwritten {:.2}, to {other_name} {:.3} ({} rounds)",
        generated.as_secs_f64() / handwritten.as_secs_f64(),
        generated.as_secs_f64() / other.as_secs_f64(),
        rounds,
    );
}
