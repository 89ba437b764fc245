#!/bin/sh
# Type test of the package's declarations (pkg/, after scripts/build-pkg.sh: its wire types are
# generated from SDK 1.15's): compiles the consumer files in tests/types (strict, with the built
# declaration files mapped to 'anthropic-wasm'); compiles tests/types/sdk/consumer.ts, written for
# SDK 1.15, against the SDK and against this package, and the assignability checks between the
# two packages' core types (tests/types/sdk); and checks that the declared value exports are
# exactly client.js's. Ends with `types: N passed, M failed`: N counts the consumer files that
# compile, M those that do not, plus one each for errors in js/index.d.ts itself and for an export
# mismatch. Exits non-zero on any error.
# Needs `npm install` at the repository root (devDependency typescript).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

out=$(npx --no-install tsc -p tests/types --pretty false 2>&1)
status=$?
# npm may print config warnings on stderr; keep only the compiler's lines.
errors=$(printf '%s\n' "$out" | grep -E '\([0-9]+,[0-9]+\): error TS|^error TS|error TS[0-9]+:' || true)
if [ $status -ne 0 ] && [ -z "$errors" ]; then
  printf '%s\n' "$out"
  echo "types: tsc did not run (exit $status); run npm install at the repository root"
  exit 2
fi
[ -n "$errors" ] && printf '%s\n' "$errors"

passed=0
failed=0
for file in tests/types/*.ts; do
  if printf '%s\n' "$errors" | grep -q "^$file("; then
    failed=$((failed + 1))
    echo "FAIL $file"
  else
    passed=$((passed + 1))
    echo "ok   $file"
  fi
done

# The SDK 1.15 program against the SDK itself and against this package, and the assignability
# of the two packages' types: one count each.
for project in tests/types/sdk/tsconfig.official.json tests/types/sdk/tsconfig.json; do
  if sdk_out=$(npx --no-install tsc -p "$project" --pretty false 2>&1); then
    passed=$((passed + 1))
    echo "ok   $project"
  else
    failed=$((failed + 1))
    printf '%s\n' "$sdk_out" | grep 'error TS'
    echo "FAIL $project"
  fi
done

# Errors outside the consumer files (in js/index.d.ts itself, or global ones) fail the run too.
other=$(printf '%s\n' "$errors" | grep -v '^tests/types/' | grep -c . || true)
if [ "$other" -gt 0 ]; then
  failed=$((failed + 1))
  echo "FAIL $other error(s) outside tests/types, e.g. in js/index.d.ts (see above)"
fi

# Every export of the built package (pkg/node.js) is declared as a value, and nothing else is.
runtime=$(node --input-type=module -e "
  const m = await import('$PWD/pkg/node.js');
  for (const name of Object.keys(m)) console.log(name === 'default' ? 'default ' + m.default.name : 'value ' + name);" | sort)
declared=$(grep -oE '^export declare (class|function|const|let) [A-Za-z_$][A-Za-z0-9_$]*|^export default [A-Za-z_$][A-Za-z0-9_$]*' js/index.d.ts |
  sed -E 's/^export declare (class|function|const|let) /value /; s/^export default /default /' | sort)
exports_ok=1
if [ "$runtime" != "$declared" ]; then
  exports_ok=0
  failed=$((failed + 1))
  echo "FAIL exports differ between pkg/node.js (<) and js/index.d.ts (>):"
  diff_out=$(printf '%s\n' "$runtime" >/tmp/types-check-runtime.$$; printf '%s\n' "$declared" >/tmp/types-check-declared.$$;
    diff /tmp/types-check-runtime.$$ /tmp/types-check-declared.$$; rm -f /tmp/types-check-runtime.$$ /tmp/types-check-declared.$$)
  printf '%s\n' "$diff_out" | grep -E '^[<>]'
else
  echo "ok   exports: $(printf '%s\n' "$runtime" | grep -c .) in pkg/node.js, all declared"
fi

echo "types: $passed passed, $failed failed"
if [ $status -ne 0 ] || [ "$failed" -ne 0 ] || [ "$other" -gt 0 ] || [ $exports_ok -ne 1 ]; then
  exit 1
fi
exit 0
