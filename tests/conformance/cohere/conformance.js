// Conformance: the official cohere-ai SDK (pinned in package-lock.json)
// against SafeCell's FakeCohere. When they disagree, the fake is wrong.
// Usage: node conformance.js <path to fake_cohere_server>
'use strict';
const assert = require('node:assert/strict');
const { CohereClient, CohereClientV2, Cohere } = require('cohere-ai');
const { startFake } = require('./fakeServer');

const KEY = 'conformance-key-0123456789';
const MODEL = 'command-a-03-2025';
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function client(fake, options = {}) {
  return new CohereClientV2({ token: KEY, baseUrl: fake.baseUrl, maxRetries: 0, timeoutInSeconds: 10, ...options });
}

test('chat: reply, billed usage, and the request the SDK sent', async (fake) => {
  await fake.enqueue({ kind: 'chat', text: 'Hello ✓ wörld', inputTokens: 5, outputTokens: 418 });
  const res = await client(fake).chat({
    model: MODEL,
    messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }],
    responseFormat: { type: 'json_object', jsonSchema: { type: 'object', properties: { a: { type: 'string' } } } },
    temperature: 0.2,
    maxTokens: 100,
  });
  assert.equal(res.finishReason, 'COMPLETE');
  assert.equal(res.message.role, 'assistant');
  assert.deepEqual(res.message.content, [{ type: 'text', text: 'Hello ✓ wörld' }]);
  assert.equal(res.usage.billedUnits.inputTokens, 5);
  assert.equal(res.usage.billedUnits.outputTokens, 418);
  assert.match(res.id, /^[0-9a-f-]{36}$/);
  const [sent] = await fake.requests();
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, '/v2/chat');
  assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
  assert.match(sent.headers['content-type'], /^application\/json/);
  const body = JSON.parse(sent.body);
  assert.equal(body.stream, false);
  assert.equal(body.max_tokens, 100);
  assert.equal(body.response_format.type, 'json_object');
  assert.ok(body.response_format.json_schema, 'the SDK sends json_schema');
});

test('chatStream: events in order, text and usage at message-end', async (fake) => {
  await fake.enqueue({ kind: 'stream', pieces: ['LL', 'Ms ✓', ' é€😀'], inputTokens: 5, outputTokens: 26 });
  const stream = await client(fake).chatStream({ model: MODEL, messages: [{ role: 'user', content: 'Tell me about LLMs' }] });
  const types = [];
  let text = '';
  let end;
  for await (const ev of stream) {
    types.push(ev.type);
    if (ev.type === 'content-delta') text += ev.delta.message.content.text;
    if (ev.type === 'message-end') end = ev;
  }
  assert.deepEqual(types, ['message-start', 'content-start', 'content-delta', 'content-delta', 'content-delta',
                           'content-end', 'message-end']);
  assert.equal(text, 'LLMs ✓ é€😀');
  assert.equal(end.delta.finishReason, 'COMPLETE');
  assert.equal(end.delta.usage.billedUnits.inputTokens, 5);
  assert.equal(end.delta.usage.billedUnits.outputTokens, 26);
  const [sent] = await fake.requests();
  assert.equal(sent.headers.accept, 'text/event-stream');
  assert.equal(JSON.parse(sent.body).stream, true);
});

test('chatStream: split reads, CRLF and [DONE] parse the same', async (fake) => {
  await fake.enqueue({ kind: 'stream', pieces: ['a', 'é', '€'], splitBytes: 5, splitDelayMs: 1 },
                     { kind: 'stream', pieces: ['a', 'é', '€'], crlf: true, done: true });
  for (let i = 0; i < 2; ++i) {
    let text = '';
    const types = [];
    for await (const ev of await client(fake).chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })) {
      types.push(ev.type);
      if (ev.type === 'content-delta') text += ev.delta.message.content.text;
    }
    assert.equal(text, 'aé€');
    assert.equal(types.at(-1), 'message-end');
  }
});

test('429: TooManyRequestsError with the server message', async (fake) => {
  const message = 'You are past the per minute request limit, please wait and try again later.';
  await fake.enqueue({ kind: 'error', status: 429, message, retryAfter: '1' });
  await assert.rejects(client(fake).chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }), (err) => {
    assert.ok(err instanceof Cohere.TooManyRequestsError, err.constructor.name);
    assert.equal(err.statusCode, 429);
    assert.equal(err.body.message, message);
    assert.match(err.body.id, /^[0-9a-f-]{36}$/);
    return true;
  });
});

test('429 then 200: the SDK honours the fake\'s Retry-After', async (fake) => {
  await fake.enqueue({ kind: 'error', status: 429, message: 'limit', retryAfter: '1' }, { kind: 'chat', text: 'ok' });
  const started = Date.now();
  const res = await client(fake, { maxRetries: 1 }).chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(res.message.content[0].text, 'ok');
  assert.ok(Date.now() - started >= 900, `retried after ${Date.now() - started} ms`);
  assert.equal((await fake.requests()).length, 2);
});

test('429 on a stream: the same typed error', async (fake) => {
  await fake.enqueue({ kind: 'error', status: 429, message: 'limit' });
  await assert.rejects(
    (async () => { for await (const _ of await client(fake).chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })); })(),
    (err) => err instanceof Cohere.TooManyRequestsError && err.statusCode === 429);
});

test('401: UnauthorizedError for a wrong key, from the fake\'s key check', async (fake) => {
  await assert.rejects(
    client(fake, { token: 'wrong-key-0000000000' }).chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
    (err) => {
      assert.ok(err instanceof Cohere.UnauthorizedError, err.constructor.name);
      assert.equal(err.statusCode, 401);
      assert.equal(err.body.message, 'invalid api token');
      return true;
    });
});

test('other statuses map to the SDK\'s error classes', async (fake) => {
  const cases = [[400, Cohere.BadRequestError], [404, Cohere.NotFoundError], [498, Cohere.InvalidTokenError],
                 [499, Cohere.ClientClosedRequestError], [500, Cohere.InternalServerError],
                 [503, Cohere.ServiceUnavailableError]];
  for (const [status, cls] of cases) {
    await fake.enqueue({ kind: 'error', status, message: `status ${status}` });
    await assert.rejects(client(fake).chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }), (err) => {
      assert.ok(err instanceof cls, `${status}: ${err.constructor.name}`);
      assert.equal(err.body.message, `status ${status}`);
      return true;
    });
  }
});

// The key check is a v1 endpoint: the SDK's v1 client sends it (its V2
// client's checkApiKey() is broken in this SDK version).
function v1Client(fake, options = {}) {
  return new CohereClient({ token: KEY, baseUrl: fake.baseUrl, maxRetries: 0, timeoutInSeconds: 10, ...options });
}

test('the free key check: checkApiKey() reads the fake\'s answer, and a wrong key is a 401', async (fake) => {
  const answer = await v1Client(fake).checkApiKey();
  assert.equal(answer.valid, true);
  assert.equal(typeof answer.organizationId === 'string' || typeof answer.organization_id === 'string', true);
  const seen = await fake.requests();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].method, 'POST');
  assert.equal(seen[0].path, '/v1/check-api-key');
  assert.equal(seen[0].headers.authorization, `Bearer ${KEY}`);
  await assert.rejects(v1Client(fake, { token: 'wrong-key-0000000000' }).checkApiKey(),
    (err) => err instanceof Cohere.UnauthorizedError && err.statusCode === 401);
});

async function main() {
  const binary = process.argv[2];
  if (!binary) throw new Error('usage: node conformance.js <fake_cohere_server>');
  const fake = await startFake(binary, { FAKE_COHERE_KEY: KEY });
  let failed = 0;
  try {
    for (const { name, fn } of tests) {
      await fake.reset();
      try {
        await fn(fake);
        console.log(`ok   ${name}`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${name}\n${err && err.stack || err}`);
      }
    }
  } finally {
    fake.stop();
  }
  console.log(`${tests.length - failed}/${tests.length} passed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
