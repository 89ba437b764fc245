//! The figures of a reply, measured as it arrives and shown in its head (live while it
//! streams): time to first token, tokens per second, bytes, retries, and a small chart of when
//! the text arrived, so that what the library is fast at shows.

use leptos::prelude::*;

/// The most arrival times a reply keeps for its chart: enough for a smooth line, bounded for a
/// long reply.
const MAX_ARRIVALS: usize = 2000;

/// How a reply arrived, in milliseconds from the moment it was asked for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// When the first text or thinking arrived.
    pub first_token_ms: Option<f64>,
    /// When the reply ended (while it streams: the last arrival).
    pub end_ms: f64,
    /// Bytes of the response body.
    pub bytes: u64,
    /// Retries before the reply began.
    pub retries: u32,
    /// When each text or thinking delta arrived (the first `MAX_ARRIVALS`).
    pub arrivals: Vec<f64>,
    /// How many deltas arrived.
    pub deltas: u64,
}

impl Figures {
    /// A delta arrived at `at_ms`.
    pub fn arrived(&mut self, at_ms: f64) {
        self.first_token_ms.get_or_insert(at_ms);
        self.end_ms = at_ms;
        self.deltas += 1;
        if self.arrivals.len() < MAX_ARRIVALS {
            self.arrivals.push(at_ms);
        }
    }

    /// Output tokens per second from the first token to the end, when there is a span to
    /// measure.
    pub fn tokens_per_second(&self, output_tokens: u64) -> Option<f64> {
        let first = self.first_token_ms?;
        let seconds = (self.end_ms - first) / 1000.0;
        (seconds > 0.0 && output_tokens > 1).then(|| (output_tokens - 1) as f64 / seconds)
    }
}

/// The chart's size in CSS pixels, and the most points it draws.
const CHART_WIDTH: f64 = 160.0;
const CHART_HEIGHT: f64 = 28.0;
const CHART_POINTS: usize = 80;

/// One line of figures and the arrival chart. `output_tokens` (from the final usage) gives
/// tokens per second; while the reply streams it is `None` and the line counts deltas.
#[component]
pub fn FiguresLine(figures: Figures, output_tokens: Option<u64>) -> impl IntoView {
    let mut parts = Vec::new();
    if let Some(first) = figures.first_token_ms {
        parts.push(format!("first token {first:.0} ms"));
    }
    match output_tokens {
        Some(tokens) => {
            if let Some(rate) = figures.tokens_per_second(tokens) {
                parts.push(format!("{rate:.1} tokens/s"));
            }
        }
        None => parts.push(format!("{} deltas", figures.deltas)),
    }
    // A tool run's rounds are read by the runner, which does not count bytes.
    if figures.bytes > 0 {
        parts.push(bytes_text(figures.bytes));
    }
    parts.push(match figures.retries {
        0 => "no retries".to_owned(),
        1 => "1 retry".to_owned(),
        n => format!("{n} retries"),
    });
    view! {
        <div class="figures">
            <span class="figures-text">{parts.join(" · ")}</span>
            <ArrivalChart figures />
        </div>
    }
}

/// `1234` → "1.2 kB".
fn bytes_text(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} B"),
        1000..=999_999 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.2} MB", bytes as f64 / 1e6),
    }
}

/// The text deltas so far (up) against time from the request (right): the flat start is the
/// time to the first token, the slope the speed.
#[component]
fn ArrivalChart(figures: Figures) -> impl IntoView {
    let arrivals = &figures.arrivals;
    let count = arrivals.len();
    // When the list stopped at its cap, the chart ends at its last point.
    let end = if figures.deltas > count as u64 {
        arrivals.last().copied().unwrap_or(0.0)
    } else {
        figures.end_ms
    };
    if count < 2 || end <= 0.0 {
        return ().into_any();
    }
    let step = count.div_ceil(CHART_POINTS);
    let points: Vec<String> = arrivals
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i == count - 1)
        .map(|(i, at)| {
            let x = at / end * CHART_WIDTH;
            let y = CHART_HEIGHT - (i + 1) as f64 / count as f64 * CHART_HEIGHT;
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let label = format!(
        "Token arrival: {} deltas, the first at {:.0} ms, over {:.1} s",
        figures.deltas,
        figures.first_token_ms.unwrap_or(0.0),
        end / 1000.0
    );
    let title = label.clone();
    view! {
        <svg
            class="arrivals"
            viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}")
            width=CHART_WIDTH
            height=CHART_HEIGHT
            role="img"
            aria-label=label
        >
            <title>{title}</title>
            <polyline points=points.join(" ") fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(bytes_text(999), "999 B");
        assert_eq!(bytes_text(12_345), "12.3 kB");
        assert_eq!(bytes_text(2_500_000), "2.50 MB");
    }

    #[test]
    fn tokens_per_second_spans_first_token_to_end() {
        let mut figures = Figures::default();
        assert_eq!(figures.tokens_per_second(10), None);
        figures.arrived(100.0);
        figures.arrived(600.0);
        figures.arrived(1100.0);
        // 11 tokens, the first at 100 ms, the last at 1100 ms: 10 more in one second.
        assert_eq!(figures.tokens_per_second(11), Some(10.0));
        assert_eq!(figures.first_token_ms, Some(100.0));
        assert_eq!(figures.deltas, 3);
    }
}
