// The recipe's way, for bench_api: each request creates a sandbox with the
// official SDK, runs print("hello") and kills it, against the same fake.
// Usage: node sdk_per_request.js <sdk folder> <base url> <sequential n> <concurrent n> <clients>
// Prints {"sequential": [ms...], "concurrent": [ms...], "concurrentWallMs": ms}.
'use strict';
const path = require('node:path');
const [sdkDir, base, seqN, concN, clients] = process.argv.slice(2);
process.env.E2B_API_KEY = 'e2b_fake_0123456789abcdef';
process.env.E2B_API_URL = base;
process.env.E2B_SANDBOX_URL = base;
const { Sandbox } = require(path.join(sdkDir, 'node_modules', '@e2b/code-interpreter'));

async function request() {
  const start = process.hrtime.bigint();
  const sandbox = await Sandbox.create({ timeoutMs: 120000 });
  try {
    const execution = await sandbox.runCode('print("hello")');
    if (execution.logs.stdout[0] !== 'hello\n') throw new Error('unexpected output');
  } finally {
    await sandbox.kill();
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  await request(); // JIT and connection warm-up, not measured
  const sequential = [];
  for (let i = 0; i < Number(seqN); ++i) sequential.push(await request());
  const concurrent = [];
  let issued = 0;
  const wallStart = process.hrtime.bigint();
  const client = async () => {
    while (issued < Number(concN)) {
      ++issued;
      concurrent.push(await request());
    }
  };
  await Promise.all(Array.from({ length: Number(clients) }, client));
  const concurrentWallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  console.log(JSON.stringify({ sequential, concurrent, concurrentWallMs }));
}
main().catch((error) => { console.error(error); process.exit(1); });
