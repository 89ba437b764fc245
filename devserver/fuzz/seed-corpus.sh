#!/usr/bin/env bash
# Seeds the request reader's corpus with requests of every framing the devserver reads; the
# leading byte picks the read size (see fuzz_targets/http_request.rs).
set -euo pipefail
cd "$(dirname "$0")"
dir=corpus/http_request
mkdir -p "$dir"
printf '\x03GET /v1/models?limit=2 HTTP/1.1\r\nhost: x\r\nanthropic-version: 2023-06-01\r\n\r\n' > "$dir/get"
printf '\x07POST /v1/messages HTTP/1.1\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}GET / HTTP/1.0\r\n\r\n' > "$dir/pipelined"
printf '\x05\r\nPOST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n' > "$dir/chunked"
printf '\x01POST / HTTP/1.1\nContent-Length: 1, 1\nConnection: close\n\nx' > "$dir/bare-lf"
echo "seeded $(ls "$dir" | wc -l) requests in $dir"
