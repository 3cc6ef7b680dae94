// The floor of benchmarks/bridges: a relay that forwards each WebSocket message's bytes unchanged both ways between the
// caller's socket and the agent socket, parsing nothing (what any bridge costs here: two sockets and a copy). It is not
// a bridge (the agent gets Twilio's frames as they are); the emulator's benchmark echo understands both shapes.
// Env: BRIDGE_PORT, AGENT_URL.
'use strict';
const http = require('http');
const WebSocket = require('ws');
const { port, agentUrl, stats } = require('./common');

let live = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && (req.url === '/stats' || req.url === '/stats?gc=1')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(stats(() => live, req.url.endsWith('?gc=1')));
    return;
  }
  if (req.method === 'POST' && req.url === '/twilio/voice') {
    // The same TwiML shape as the bridges, unverified and static: the relay's floor is the audio path.
    req.resume();
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="ws://${req.headers.host}/twilio/media"/></Connect><Hangup/></Response>`);
    return;
  }
  res.writeHead(404);
  res.end();
});

const wss = new WebSocket.Server({ server, path: '/twilio/media', perMessageDeflate: false, maxPayload: 64 * 1024 });
wss.on('connection', (caller) => {
  live++;
  const agent = new WebSocket(agentUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 });
  const held = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    live--;
    if (agent.readyState <= WebSocket.OPEN) agent.close();
    if (caller.readyState <= WebSocket.OPEN) caller.close();
  };
  agent.on('open', () => { for (const [data, binary] of held) agent.send(data, { binary }); held.length = 0; });
  caller.on('message', (data, binary) => {
    if (agent.readyState === WebSocket.OPEN) agent.send(data, { binary });
    else held.push([data, binary]);
  });
  agent.on('message', (data, binary) => caller.send(data, { binary }));
  caller.on('close', close);
  agent.on('close', close);
  caller.on('error', close);
  agent.on('error', close);
});

server.listen(port, '127.0.0.1', () => console.log(`bare relay on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => process.exit(0));
