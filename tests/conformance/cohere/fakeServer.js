// Starts fake_cohere_server and returns {baseUrl, enqueue, requests, reset, stop}.
'use strict';
const { spawn } = require('node:child_process');
const readline = require('node:readline');

async function startFake(binary, env = {}) {
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const port = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const m = /^port (\d+)$/.exec(line.trim());
      m ? resolve(Number(m[1])) : reject(new Error(`unexpected fake output: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`fake_cohere_server exited with ${code}`)));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const control = async (path, body) => {
    const res = await fetch(baseUrl + path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  };
  return {
    baseUrl,
    enqueue: (...specs) => control('/fake/enqueue', specs),
    requests: () => control('/fake/requests'),
    reset: () => control('/fake/reset', {}),
    stop: () => { child.stdin.end(); child.kill(); },
  };
}

module.exports = { startFake };
