// The transport's floor for bench/oracle.ts: an "implementation" that answers every adapter
// request at once with `{"id": N, "ok": true, "sent": []}`, doing nothing else, so what an
// exchange with it costs is the client, the pipes and the process hops alone.
import { createInterface } from 'node:readline';

const ID = /"id":(\d+)/;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const id = ID.exec(line)?.[1] ?? 'null';
  process.stdout.write(`{"id":${id},"ok":true,"sent":[],"name":"echo","version":"0","features":[]}\n`);
});
