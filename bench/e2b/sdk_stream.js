// The official SDK's side of bench_e2b's stream runs, one run per "run" line
// on stdin, so that its runs interleave with SafeCell's in the same minute.
// Usage: node sdk_stream.js <sdk folder> <base url> <code> <lines>
// Prints "ready", then per run {"ms": <time>, "lines": <stdout lines seen>}.
'use strict';
const path = require('node:path');
const readline = require('node:readline');
const [sdkDir, base, code, lines] = process.argv.slice(2);
process.env.E2B_API_KEY = 'e2b_fake_0123456789abcdef';
process.env.E2B_API_URL = base;
process.env.E2B_SANDBOX_URL = base;
const { Sandbox } = require(path.join(sdkDir, 'node_modules', '@e2b/code-interpreter'));

async function runOnce(sandbox) {
  let seen = 0;
  const start = process.hrtime.bigint();
  await sandbox.runCode(code, {
    onStdout: (output) => {
      for (const c of output.line) if (c === '\n') ++seen;
    },
  });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, lines: seen };
}

async function main() {
  const sandbox = await Sandbox.create({ timeoutMs: 600000 });
  await runOnce(sandbox); // JIT and connection warm-up, not measured
  console.log('ready');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line !== 'run') break;
    const result = await runOnce(sandbox);
    if (result.lines !== Number(lines)) throw new Error(`stream: ${result.lines} of ${lines} lines`);
    console.log(JSON.stringify(result));
  }
  await sandbox.kill();
}
main().catch((error) => { console.error(error); process.exit(1); });
