// The official cohere-ai SDK doing bench_cohere's work, for comparison:
//   node bench_sdk.js <fake_cohere_server> <sse file> <requests>
// Prints one JSON object: chat and chatStream latencies (ms) against
// fake_cohere_server, and SSE parsing throughput over the same bytes the
// C++ parser reads, through the SDK's own Stream class and event parser.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const sdkDir = path.join(__dirname, '../../tests/conformance/cohere/node_modules/cohere-ai');
const { CohereClientV2 } = require(sdkDir);
const { Stream } = require(path.join(sdkDir, 'core/stream/Stream.js'));
const serializers = require(path.join(sdkDir, 'serialization/index.js'));
const { startFake } = require(path.join(__dirname, '../../tests/conformance/cohere/fakeServer.js'));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function timeCalls(n, call) {
  for (let i = 0; i < 20; ++i) await call(); // warm-up
  const ms = [];
  for (let i = 0; i < n; ++i) {
    const t0 = process.hrtime.bigint();
    await call();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

async function parseThroughput(bytes, chunkSize) {
  const parse = async (data) => serializers.V2ChatStreamResponse.parseOrThrow(data, {
    unrecognizedObjectKeys: 'passthrough', allowUnrecognizedUnionMembers: true,
    allowUnrecognizedEnumValues: true, skipValidation: true, breadcrumbsPrefix: ['response'],
  });
  const best = [];
  for (let round = 0; round < 3; ++round) {
    let offset = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) { controller.close(); return; }
        controller.enqueue(bytes.subarray(offset, offset + chunkSize));
        offset += chunkSize;
      },
    });
    const t0 = process.hrtime.bigint();
    let text = 0;
    for await (const ev of new Stream({ stream: body, parse, eventShape: { type: 'sse', streamTerminator: '[DONE]' } })) {
      if (ev.type === 'content-delta') text += ev.delta.message.content.text.length;
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best.push(bytes.length / 1e6 / s);
    if (text === 0) throw new Error('no text parsed');
  }
  return Math.max(...best);
}

async function main() {
  const [binary, sseFile, n] = [process.argv[2], process.argv[3], Number(process.argv[4] || 300)];
  const fake = await startFake(binary);
  const co = new CohereClientV2({ token: 'bench-key-0123456789', baseUrl: fake.baseUrl, maxRetries: 0 });
  const messages = [{ role: 'user', content: 'print(1)' }];
  try {
    const chat = await timeCalls(n, async () => {
      const r = await co.chat({ model: 'command-r7b-12-2024', messages });
      if (!r.message.content[0].text) throw new Error('empty reply');
    });
    const stream = await timeCalls(n, async () => {
      let text = '';
      for await (const ev of await co.chatStream({ model: 'command-r7b-12-2024', messages })) {
        if (ev.type === 'content-delta') text += ev.delta.message.content.text;
      }
      if (!text) throw new Error('empty stream');
    });
    const mbps = await parseThroughput(fs.readFileSync(sseFile), 16 * 1024);
    console.log(JSON.stringify({ chat, stream, parseMBps: mbps }));
  } finally {
    fake.stop();
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
