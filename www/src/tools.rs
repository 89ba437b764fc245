//! The demo's tools, run in the page by the library's tool runner: a calculator, a clock and a
//! periodic table (a lookup over a built-in table of elements). Their schemas use enums and
//! numbers, which the local server fills from the prompt ("use the calculator to multiply 6 by
//! 7", "check the periodic table for helium"), so a tool loop works without a key.

use anthropic_wasm::helpers::RunnableTool;
use serde::Deserialize;
use serde_json::json;

/// The elements the lookup knows: name, symbol, atomic number, standard atomic weight.
const ELEMENTS: [(&str, &str, u32, f64); 8] = [
    ("hydrogen", "H", 1, 1.008),
    ("helium", "He", 2, 4.0026),
    ("carbon", "C", 6, 12.011),
    ("nitrogen", "N", 7, 14.007),
    ("oxygen", "O", 8, 15.999),
    ("iron", "Fe", 26, 55.845),
    ("silver", "Ag", 47, 107.87),
    ("gold", "Au", 79, 196.97),
];

/// All demo tools.
pub fn demo_tools() -> Vec<RunnableTool> {
    vec![calculator(), clock(), lookup()]
}

#[derive(Deserialize)]
struct Arithmetic {
    operation: String,
    a: f64,
    b: f64,
}

/// `a op b`, or why not.
fn calculate(input: &Arithmetic) -> Result<String, String> {
    let value = match input.operation.as_str() {
        "add" => input.a + input.b,
        "subtract" => input.a - input.b,
        "multiply" => input.a * input.b,
        "divide" if input.b == 0.0 => return Err("division by zero".into()),
        "divide" => input.a / input.b,
        other => return Err(format!("unknown operation {other:?}")),
    };
    Ok(format!("{value}"))
}

fn calculator() -> RunnableTool {
    RunnableTool::new(
        "calculator",
        "Adds, subtracts, multiplies or divides two numbers exactly.",
        json!({
            "type": "object",
            "properties": {
                "operation": {"type": "string", "enum": ["add", "subtract", "multiply", "divide"]},
                "a": {"type": "number"},
                "b": {"type": "number"}
            },
            "required": ["operation", "a", "b"]
        }),
        |input: Arithmetic| async move { calculate(&input) },
    )
}

#[derive(Deserialize)]
struct Zone {
    timezone: String,
}

fn clock() -> RunnableTool {
    RunnableTool::new(
        "clock",
        "The current date and time, in UTC or in the user's local time.",
        json!({
            "type": "object",
            "properties": {"timezone": {"type": "string", "enum": ["UTC", "local"]}},
            "required": ["timezone"]
        }),
        |input: Zone| async move {
            let now = js_sys::Date::new_0();
            let text: String = if input.timezone == "local" {
                now.to_string().into()
            } else {
                now.to_iso_string().into()
            };
            Ok::<_, String>(text)
        },
    )
}

#[derive(Deserialize)]
struct Element {
    element: String,
}

/// The table's row for an element, as the tool answers it.
fn element_facts(name: &str) -> Result<String, String> {
    ELEMENTS
        .iter()
        .find(|(known, ..)| known.eq_ignore_ascii_case(name))
        .map(|(name, symbol, number, weight)| {
            format!("{name}: symbol {symbol}, atomic number {number}, atomic weight {weight}")
        })
        .ok_or_else(|| format!("no element called {name:?} in the table"))
}

fn lookup() -> RunnableTool {
    let names: Vec<&str> = ELEMENTS.iter().map(|(name, ..)| *name).collect();
    RunnableTool::new(
        "periodic_table",
        "Looks up a chemical element in a small built-in table: symbol, atomic number, weight.",
        json!({
            "type": "object",
            "properties": {"element": {"type": "string", "enum": names}},
            "required": ["element"]
        }),
        |input: Element| async move { element_facts(&input.element) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn arithmetic(operation: &str, a: f64, b: f64) -> Result<String, String> {
        calculate(&Arithmetic {
            operation: operation.into(),
            a,
            b,
        })
    }

    #[test]
    fn the_calculator_computes_and_refuses_what_it_cannot() {
        assert_eq!(arithmetic("multiply", 6.0, 7.0), Ok("42".into()));
        assert_eq!(arithmetic("divide", 1.0, 4.0), Ok("0.25".into()));
        assert_eq!(
            arithmetic("divide", 1.0, 0.0),
            Err("division by zero".into())
        );
        assert!(arithmetic("power", 2.0, 3.0).is_err());
    }

    #[test]
    fn the_lookup_reads_its_table() {
        assert_eq!(
            element_facts("Helium"),
            Ok("helium: symbol He, atomic number 2, atomic weight 4.0026".into())
        );
        assert!(element_facts("unobtainium").is_err());
    }
}
