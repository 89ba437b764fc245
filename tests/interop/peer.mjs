// Starting and stopping llama.cpp's llama-server for the interop tests (scripts/peer-server.sh).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const PEER_KEY = 'sk-peer-interop-key';
const peerScript = fileURLToPath(new URL('../../scripts/peer-server.sh', import.meta.url));

/**
 * Starts a server; resolves to `{url, pid, report, stop}`, where `report` is the script's line
 * naming the binary, the CPU and the CPU backend variant ggml loaded. `cpu` names a CPU for
 * qemu-x86_64 to emulate. When the server cannot start, rejects with the script's one line
 * saying why (binary, CPU flags, how it ended, the log's last lines).
 */
export async function startPeer({ cpu } = {}) {
  const env = { ...process.env, PEER_SERVER_CPU: cpu ?? process.env.PEER_SERVER_CPU ?? '' };
  let stdout, stderr;
  try {
    ({ stdout, stderr } = await promisify(execFile)('bash', [peerScript, 'start', String(process.pid)], { env }));
  } catch (error) {
    throw new Error(lastScriptLine(error.stderr) ?? error.message);
  }
  const [url, pid] = stdout.trim().split(' ');
  let running = true;
  const stop = () => {
    if (!running) return;
    running = false;
    try {
      process.kill(Number(pid));
    } catch {
      // already gone
    }
  };
  // The script's watchdog stops the server when this process is gone; stop it sooner here.
  process.once('exit', stop);
  return { url, pid: Number(pid), report: lastScriptLine(stderr), stop };
}

function lastScriptLine(stderr) {
  return String(stderr ?? '')
    .split('\n')
    .findLast((line) => line.startsWith('peer-server: '));
}
