// Drives the official @e2b/code-interpreter SDK (pinned by package-lock.json)
// against fake_e2b_server. When the SDK and the fake disagree, the fake is
// wrong. Usage: node conformance.js <fake_e2b_server> [<safecell>]: with the
// safecell binary, SafeCell's own create request is compared with the SDK's.
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const API_KEY = 'e2b_fake_0123456789abcdef';

function startFake(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0', '--keepalive-ms', '200', ...(process.env.FAKE_E2B_LOG ? ['--log'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    const creates = []; // every create request's body, as the fake received it
    lines.on('line', (line) => {
      const match = /^PORT (\d+)$/.exec(line);
      if (match) resolve({ child, port: Number(match[1]), creates });
      if (line.startsWith('CREATE ')) creates.push(JSON.parse(line.slice('CREATE '.length)));
    });
    child.on('exit', (code) => reject(new Error(`fake_e2b_server exited with ${code}`)));
  });
}

// The fake prints a create's body before it answers, but its stdout and
// the SDK's HTTP answer reach us independently: wait for the line.
async function waitForCreates(creates, count) {
  for (let waited = 0; creates.length < count && waited < 5000; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(creates.length >= count, `the fake printed ${creates.length} create bodies, not ${count}`);
}

async function check(name, body) {
  const started = Date.now();
  await body();
  console.log(`ok - ${name} (${Date.now() - started} ms)`);
}

async function main() {
  const binary = process.argv[2];
  assert.ok(binary, 'usage: node conformance.js <fake_e2b_server>');
  const safecell = process.argv[3];
  // Before the fake starts: an SDK that is not installed fails at once
  // instead of leaving the fake running with ctest's stderr.
  const { Sandbox } = require('@e2b/code-interpreter');
  const { child, port, creates } = await startFake(binary);
  const base = `http://127.0.0.1:${port}`;
  process.env.E2B_API_KEY = API_KEY;
  process.env.E2B_API_URL = base;
  process.env.E2B_SANDBOX_URL = base;
  let sandbox;
  try {
    await check('create', async () => {
      sandbox = await Sandbox.create({ timeoutMs: 120000, metadata: { app: 'conformance' } });
      assert.match(sandbox.sandboxId, /^ifake/);
    });
    await check('create sends no allow_internet_access by default (E2B then allows internet)', async () => {
      await waitForCreates(creates, 1);
      assert.equal('allow_internet_access' in creates[0], false);
    });
    await check('allowInternetAccess: false is sent as allow_internet_access: false', async () => {
      const before = creates.length;
      const closed = await Sandbox.create({ timeoutMs: 60000, allowInternetAccess: false });
      await waitForCreates(creates, before + 1);
      const body = creates[before];
      assert.equal(body.allow_internet_access, false);
      assert.equal('allowInternetAccess' in body, false);
      await closed.kill();
    });
    if (safecell) {
      await check('SafeCell sends the same field as the SDK: allow_internet_access: false', async () => {
        const sdkBody = creates.find((body) => body.allow_internet_access === false);
        const before = creates.length;
        await runSafecell(safecell, base, []);
        await waitForCreates(creates, before + 1);
        const ours = creates.slice(before);
        assert.equal(ours.length, 1);
        assert.equal(ours[0].metadata.app, 'safecell');
        assert.equal(typeof ours[0].allow_internet_access, typeof sdkBody.allow_internet_access);
        assert.equal(ours[0].allow_internet_access, sdkBody.allow_internet_access);
      });
      await check('safecell run --allow-internet sends allow_internet_access: true, as the SDK\'s option does', async () => {
        const sdkAt = creates.length;
        const sdk = await Sandbox.create({ timeoutMs: 60000, allowInternetAccess: true });
        await waitForCreates(creates, sdkAt + 1);
        const sdkBody = creates[sdkAt];
        await sdk.kill();
        const before = creates.length;
        await runSafecell(safecell, base, ['--allow-internet']);
        await waitForCreates(creates, before + 1);
        const ours = creates.slice(before);
        assert.equal(ours.length, 1);
        assert.equal(sdkBody.allow_internet_access, true);
        assert.equal(ours[0].allow_internet_access, true);
      });
    }
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

// `safecell run` of a one-line Python snippet on E2B (the fake), hermetic:
// its own home, data folder and no keychain; the E2B key from the
// environment. Resolves once it has exited 0.
function runSafecell(binary, base, flags) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'safecell-conformance-'));
  const snippet = path.join(home, 'hello.py');
  fs.writeFileSync(snippet, "print('hello')\n");
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    SAFECELL_DATA_DIR: path.join(home, 'data'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, 'no-session-bus')}`,
    E2B_API_KEY: API_KEY,
    COHERE_API_KEY: '',
    SAFECELL_COHERE_URL: 'http://127.0.0.1:9',
    SAFECELL_E2B_API_URL: base,
    SAFECELL_E2B_SANDBOX_URL: base,
  };
  return new Promise((resolve, reject) => {
    const run = spawn(binary, ['run', snippet, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    run.stdout.on('data', (chunk) => { output += chunk; });
    run.stderr.on('data', (chunk) => { output += chunk; });
    run.on('exit', (code) => {
      fs.rmSync(home, { recursive: true, force: true });
      if (code === 0 && output.includes('hello')) resolve(output);
      else reject(new Error(`safecell run exited with ${code}: ${output}`));
    });
  });
}

// The SDK leaves its 60 s request timer armed when runCode throws (the 502
// check above), which would keep Node alive for a minute: exit explicitly.
main().then(() => process.exit(0), (error) => {
  console.error('not ok -', error);
  process.exit(1);
});
