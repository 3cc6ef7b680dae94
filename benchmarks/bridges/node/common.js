// Shared by both bridges: the HTTP side (Twilio's voice webhook answering TwiML, a /stats endpoint for the load driver)
// and Twilio's request signature (HMAC-SHA1 over the URL and the sorted form fields, base64).
'use strict';
const crypto = require('crypto');

const port = Number(process.env.BRIDGE_PORT || 5100);
const agentUrl = process.env.AGENT_URL;
const authToken = process.env.TWILIO_AUTH_TOKEN || '';
if (!agentUrl) {
  console.error('AGENT_URL is required (the agent socket, e.g. ws://127.0.0.1:5200/v1/convai/conversation?agent_id=agent_bench)');
  process.exit(2);
}

function twilioSignature(url, fields) {
  let text = url;
  for (const name of Object.keys(fields).sort()) text += name + fields[name];
  return crypto.createHmac('sha1', authToken).update(Buffer.from(text, 'utf8')).digest('base64');
}

function verify(url, fields, signature) {
  if (!authToken) return true;
  const expected = Buffer.from(twilioSignature(url, fields));
  const actual = Buffer.from(signature || '');
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function readForm(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
  });
}

// The per-process numbers the driver reads between runs (never per frame). With collect (GET /stats?gc=1, node --expose-gc)
// a full collection runs first and liveHeap is what survives it: the V8 heap plus memory outside it (Buffers, ws frames),
// which a .NET bridge keeps in its managed heap. Node gives no count of bytes allocated, so there is no allocatedBytes.
function stats(live, collect) {
  if (collect && global.gc) global.gc();
  const memory = process.memoryUsage();
  const result = { heapUsed: memory.heapUsed, rss: memory.rss, live: live() };
  if (collect && global.gc) result.liveHeap = memory.heapUsed + memory.external;
  return JSON.stringify(result);
}

module.exports = { port, agentUrl, authToken, verify, escapeXml, readForm, stats };
