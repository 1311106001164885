// The transport's floor for bench/oracle.ts: an "implementation" that answers every adapter
// request at once with `{"id": N, "ok": true, "sent": []}`, doing nothing else, so what an
// exchange with it costs is the client, the pipes and the process hops alone. It reads as
// `hmip6 serve-reference` does (blocking reads of stdin, one write per read), so that
// serve-reference's time over this floor is its own work.
import { readSync, writeSync } from 'node:fs';

const ID = /"id":(\d+)/;
const buffer = Buffer.allocUnsafe(64 * 1024);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let partial = '';
for (;;) {
  let n;
  try {
    n = readSync(0, buffer, 0, buffer.length, null);
  } catch (e) {
    if (e.code === 'EINTR') continue;
    // A stdin that does not block: wait a little for the next request.
    if (e.code === 'EAGAIN') {
      Atomics.wait(sleeper, 0, 0, 1);
      continue;
    }
    if (e.code !== 'EOF') throw e;
    n = 0;
  }
  if (n === 0) break;
  const lines = (partial + buffer.toString('latin1', 0, n)).split('\n');
  partial = lines.pop();
  let out = '';
  for (const line of lines) {
    const id = ID.exec(line)?.[1] ?? 'null';
    out += `{"id":${id},"ok":true,"sent":[],"name":"echo","version":"0","features":[]}\n`;
  }
  writeSync(1, out);
  if (lines.some((line) => line.includes('"type":"shutdown"'))) break;
}
