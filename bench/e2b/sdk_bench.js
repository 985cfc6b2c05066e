// The official SDK doing what bench_e2b's C++ side does, against the same
// fake. Usage: node sdk_bench.js <sdk folder> <base url> <cold n> <warm n>
'use strict';
const path = require('node:path');
const [sdkDir, base, coldN, warmN] = process.argv.slice(2);
process.env.E2B_API_KEY = 'e2b_fake_0123456789abcdef';
process.env.E2B_API_URL = base;
process.env.E2B_SANDBOX_URL = base;
const { Sandbox } = require(path.join(sdkDir, 'node_modules', '@e2b/code-interpreter'));

async function main() {
  const cold = [];
  const warm = [];
  await (await Sandbox.create()).kill(); // JIT and connection warm-up, not measured
  for (let i = 0; i < Number(coldN); ++i) {
    const start = process.hrtime.bigint();
    const sandbox = await Sandbox.create({ timeoutMs: 120000 });
    const execution = await sandbox.runCode("print('x')");
    if (execution.logs.stdout[0] !== 'x\n') throw new Error('unexpected output');
    await sandbox.kill();
    cold.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sandbox = await Sandbox.create({ timeoutMs: 120000 });
  await sandbox.runCode('x = 0');
  for (let i = 0; i < Number(warmN); ++i) {
    const start = process.hrtime.bigint();
    const execution = await sandbox.runCode('x + 1');
    if (execution.text !== '1') throw new Error('unexpected result');
    warm.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await sandbox.kill();
  console.log(JSON.stringify({ cold, warm }));
}
main().catch((error) => { console.error(error); process.exit(1); });
