#!/usr/bin/env bash
# Seeds the fuzz corpora from the shared SSE fixtures: whole streams for the decoders (with a
# leading byte that picks the chunk size), and every event's data plus every tool input for
# the partial-JSON parser.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=${ANTHROPIC_WASM_FIXTURES:-../../shared/fixtures/sse}
mkdir -p corpus/sse_decoder corpus/stream_parser corpus/partial_json
for f in "$fixtures"/*.sse; do
  name=$(basename "$f" .sse)
  { printf '\x07'; cat "$f"; } > "corpus/sse_decoder/$name"
  { printf '\x05'; cat "$f"; } > "corpus/stream_parser/$name"
done
python3 - "$fixtures" <<'PY'
import glob, json, sys
n = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.sse")):
    tool_inputs = {}
    for line in open(path, encoding="utf-8"):
        if not line.startswith("data:"):
            continue
        try:
            data = json.loads(line[5:])
        except ValueError:
            continue
        open(f"corpus/partial_json/data{n}", "w").write(json.dumps(data)); n += 1
        delta = data.get("delta", {})
        if delta.get("type") == "input_json_delta":
            tool_inputs[data["index"]] = tool_inputs.get(data["index"], "") + delta["partial_json"]
    for text in tool_inputs.values():
        open(f"corpus/partial_json/tool{n}", "w").write(text); n += 1
print(f"seeded {n} partial-JSON inputs")
PY
