// Drives the official @e2b/code-interpreter SDK (pinned by package-lock.json)
// against fake_e2b_server. When the SDK and the fake disagree, the fake is
// wrong. Usage: node conformance.js <path of fake_e2b_server>
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const readline = require('node:readline');

const API_KEY = 'e2b_fake_0123456789abcdef';

function startFake(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0', '--keepalive-ms', '200', ...(process.env.FAKE_E2B_LOG ? ['--log'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^PORT (\d+)$/.exec(line);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`fake_e2b_server exited with ${code}`)));
  });
}

async function check(name, body) {
  const started = Date.now();
  await body();
  console.log(`ok - ${name} (${Date.now() - started} ms)`);
}

async function main() {
  const binary = process.argv[2];
  assert.ok(binary, 'usage: node conformance.js <fake_e2b_server>');
  const { child, port } = await startFake(binary);
  const base = `http://127.0.0.1:${port}`;
  process.env.E2B_API_KEY = API_KEY;
  process.env.E2B_API_URL = base;
  process.env.E2B_SANDBOX_URL = base;
  const { Sandbox } = require('@e2b/code-interpreter');
  let sandbox;
  try {
    await check('create', async () => {
      sandbox = await Sandbox.create({ timeoutMs: 120000, metadata: { app: 'conformance' } });
      assert.match(sandbox.sandboxId, /^ifake/);
    });
    await check('runCode with stdout', async () => {
      const seen = [];
      const execution = await sandbox.runCode("print('hello')", { onStdout: (m) => seen.push(m.line) });
      assert.deepEqual(execution.logs.stdout, ['hello\n']);
      assert.deepEqual(seen, ['hello\n']);
      assert.equal(execution.error, undefined);
      assert.equal(execution.executionCount, 1);
    });
    await check('runCode with a result', async () => {
      const execution = await sandbox.runCode('x = 40\nx + 2');
      assert.equal(execution.text, '42');
      assert.equal(execution.results.length, 1);
      assert.equal(execution.results[0].isMainResult, true);
    });
    await check('runCode with an error', async () => {
      const execution = await sandbox.runCode("raise ValueError('boom')");
      assert.equal(execution.error.name, 'ValueError');
      assert.equal(execution.error.value, 'boom');
      assert.match(execution.error.traceback, /ValueError: boom/);
    });
    await check('state survives between runs', async () => {
      const execution = await sandbox.runCode('x');
      assert.equal(execution.text, '40');
    });
    await check('contexts: create, run, list, restart, remove', async () => {
      const context = await sandbox.createCodeContext({ language: 'python', cwd: '/tmp' });
      assert.equal(context.language, 'python');
      assert.equal(context.cwd, '/tmp');
      let execution = await sandbox.runCode('y = 5\ny', { context });
      assert.equal(execution.text, '5');
      execution = await sandbox.runCode('y', { language: 'python' });
      assert.equal(execution.error.name, 'NameError');
      assert.equal(execution.error.value, "name 'y' is not defined");
      const contexts = await sandbox.listCodeContexts();
      assert.ok(contexts.some((c) => c.id === context.id));
      assert.ok(contexts.some((c) => c.language === 'javascript'));
      await sandbox.restartCodeContext(context);
      execution = await sandbox.runCode('y', { context });
      assert.equal(execution.error.name, 'NameError');
      await sandbox.removeCodeContext(context.id);
      assert.ok(!(await sandbox.listCodeContexts()).some((c) => c.id === context.id));
    });
    await check('streamed output with keepalives and a body timeout', async () => {
      // The fake's keepalive every 200 ms must be ignored by the SDK.
      const execution = await sandbox.runCode("print('a')\nprint('b')", { timeoutMs: 5000 });
      assert.deepEqual(execution.logs.stdout, ['a\n', 'b\n']);
    });
    await check('files: envd upload and read back', async () => {
      await sandbox.files.write('/home/user/.safecell/workspace.db', Buffer.from('SQLite format 3\0'));
      const back = await sandbox.files.read('/home/user/.safecell/workspace.db');
      assert.equal(back, 'SQLite format 3\0');
    });
    await check('setTimeout', async () => {
      await sandbox.setTimeout(60000);
      const listed = await Sandbox.list().nextItems();
      assert.ok(listed.some((s) => s.sandboxId === sandbox.sandboxId));
    });
    await check('kill twice', async () => {
      assert.equal(await Sandbox.kill(sandbox.sandboxId), true);
      assert.equal(await Sandbox.kill(sandbox.sandboxId), false);
    });
    await check('a killed sandbox gives the SDK its 502 (TimeoutError)', async () => {
      await assert.rejects(sandbox.runCode('1'), (error) => error.name === 'TimeoutError');
    });
    await check('a bad key is an AuthenticationError', async () => {
      await assert.rejects(Sandbox.create({ apiKey: 'e2b_wrong_key_123456' }),
        (error) => error.name === 'AuthenticationError' && /Unauthorized, please check your credentials/.test(error.message));
    });
    await check('no sandbox left', async () => {
      const listed = await Sandbox.list().nextItems();
      assert.equal(listed.length, 0);
    });
  } finally {
    child.kill();
  }
}

// The SDK leaves its 60 s request timer armed when runCode throws (the 502
// check above), which would keep Node alive for a minute: exit explicitly.
main().then(() => process.exit(0), (error) => {
  console.error('not ok -', error);
  process.exit(1);
});
