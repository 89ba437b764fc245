// The stream benchmark's loopback HTTP server, in its own process so its work does not run on
// the measured client's thread: the native writer of bench/sse-writer/main.rs, built here with
// plain rustc (std only, ~1 s) into target/bench/ when the build for its current source is
// missing. Native so that its cost is the system calls alone: a Node server spent ~3.5 s of JS
// on 3.6 M `res.write`s of 1–7 bytes and still gathered them into a few `writev`s. This one
// sends each piece as its own `writev` with TCP_NODELAY (`piece`: 1–7-byte writes on the wire),
// or the same HTTP chunks in 64 KiB writes (`coalesced`: ~0.2 s). See bench/README.md.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = join(root, 'bench/sse-writer/main.rs');

/** The writer's binary for the current source, built first when missing. */
export function writerBinary() {
  const key = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = join(root, 'target/bench');
  const binary = join(dir, `sse-writer-${key}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const cargoRustc = join(homedir(), '.cargo/bin/rustc');
  const rustc = existsSync(cargoRustc) ? cargoRustc : 'rustc';
  const partial = `${binary}.${process.pid}`;
  execFileSync(rustc, ['--edition', '2021', '-C', 'opt-level=3', '-o', partial, source], { stdio: 'inherit' });
  renameSync(partial, binary); // a concurrent bench never runs half a file
  return binary;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) a process and all its threads have used so far, in ms, from
 * /proc/PID/stat (10 ms steps), or null where there is no /proc: read before and after a run,
 * the difference is what the server spent on it.
 */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3, the state
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks; // utime, stime
  } catch {
    return null;
  }
}

/** Starts a writer serving BODY_PATH; resolves to { child, port, cpuMs(), stop() } once it listens. */
export function startServer(bodyPath, chunking, writes) {
  const binary = writerBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [bodyPath, chunking, writes], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sse-writer (${chunking}) did not start in 60 s`)), 60_000);
    child.stdout.on('data', (data) => {
      out += data;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const stop = () => {
        child.stdin.end(); // it exits when its stdin ends
        setTimeout(() => child.kill(), 2000).unref();
      };
      resolve({ child, port: JSON.parse(out.split('\n')[0]).port, cpuMs: () => cpuMsOf(child.pid), stop });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sse-writer (${chunking}) exited with ${code}`));
    });
  });
}
