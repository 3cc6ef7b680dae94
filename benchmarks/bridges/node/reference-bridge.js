// A reference Twilio Media Streams <-> ElevenLabs agent bridge, written from the protocol (api-reference.md §11, §12)
// the way a careful Node.js team would: `ws`, JSON.parse / JSON.stringify per frame, the agent socket opened at Twilio's
// `connected`, initiation data sent at `start` (customParameters -> dynamic_variables) with caller audio held until then,
// ulaw_8000 checked both ways, a mark after each agent chunk, `clear` and a drop of the interrupted turn's late audio on
// an interruption, pongs answered at once, and either side's end closing the other.
// Env: BRIDGE_PORT, AGENT_URL, TWILIO_AUTH_TOKEN (verifies the voice webhook and the stream handshake).
'use strict';
const http = require('http');
const WebSocket = require('ws');
const { port, agentUrl, verify, escapeXml, readForm, stats } = require('./common');

let live = 0;
const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && (req.url === '/stats' || req.url === '/stats?gc=1')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(stats(() => live, req.url.endsWith('?gc=1')));
    return;
  }
  if (req.method === 'POST' && req.url === '/twilio/voice') {
    const form = await readForm(req);
    const url = `http://${req.headers.host}${req.url}`;
    if (!verify(url, form, req.headers['x-twilio-signature'])) {
      res.writeHead(403);
      res.end();
      return;
    }
    const streamUrl = `ws://${req.headers.host}/twilio/media`;
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${escapeXml(streamUrl)}">`
      + `<Parameter name="caller" value="${escapeXml(form.From || '')}"/><Parameter name="call_sid" value="${escapeXml(form.CallSid || '')}"/>`
      + `</Stream></Connect><Hangup/></Response>`);
    return;
  }
  res.writeHead(404);
  res.end();
});

const wss = new WebSocket.Server({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
server.on('upgrade', (req, socket, head) => {
  const url = `ws://${req.headers.host}${req.url}`;
  if (req.url !== '/twilio/media' || !verify(url, {}, req.headers['x-twilio-signature'])) {
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => bridge(ws));
});

function bridge(twilio) {
  live++;
  let agent = null;
  let streamSid = null;
  let ready = false; // initiation metadata received and formats checked
  const held = [];   // caller audio before the agent is ready
  let interruptedId = -1;
  let marks = 0;
  let closed = false;

  function close() {
    if (closed) return;
    closed = true;
    live--;
    if (agent && agent.readyState <= WebSocket.OPEN) agent.close();
    if (twilio.readyState <= WebSocket.OPEN) twilio.close();
  }

  function openAgent() {
    agent = new WebSocket(agentUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 });
    agent.on('message', (data) => {
      let message;
      try { message = JSON.parse(data); } catch { return close(); }
      switch (message.type) {
        case 'conversation_initiation_metadata': {
          const meta = message.conversation_initiation_metadata_event || {};
          if (meta.agent_output_audio_format !== 'ulaw_8000' || meta.user_input_audio_format !== 'ulaw_8000') {
            console.error('the agent must use ulaw_8000 both ways');
            return close();
          }
          ready = true;
          for (const payload of held) agent.send(JSON.stringify({ user_audio_chunk: payload }));
          held.length = 0;
          break;
        }
        case 'audio': {
          const event = message.audio_event;
          if (!event || event.event_id <= interruptedId || !streamSid) break;
          twilio.send(JSON.stringify({ event: 'media', streamSid, media: { payload: event.audio_base_64 } }));
          twilio.send(JSON.stringify({ event: 'mark', streamSid, mark: { name: `agent-${event.event_id}` } }));
          marks++;
          break;
        }
        case 'interruption':
          interruptedId = (message.interruption_event || {}).event_id ?? interruptedId;
          if (streamSid) twilio.send(JSON.stringify({ event: 'clear', streamSid }));
          break;
        case 'ping': {
          const ping = message.ping_event || {};
          agent.send(JSON.stringify({ type: 'pong', event_id: ping.event_id }));
          break;
        }
        default:
          break; // transcripts, agent responses, tool calls: not part of the audio path
      }
    });
    agent.on('close', close);
    agent.on('error', close);
  }

  twilio.on('message', (data) => {
    let message;
    try { message = JSON.parse(data); } catch { return close(); }
    switch (message.event) {
      case 'connected':
        openAgent();
        break;
      case 'start': {
        streamSid = message.start.streamSid;
        const initiation = JSON.stringify({ type: 'conversation_initiation_client_data', dynamic_variables: message.start.customParameters || {} });
        if (agent.readyState === WebSocket.OPEN) agent.send(initiation);
        else agent.once('open', () => agent.send(initiation));
        break;
      }
      case 'media':
        if (ready) agent.send(JSON.stringify({ user_audio_chunk: message.media.payload }));
        else held.push(message.media.payload);
        break;
      case 'mark':
        marks--;
        break;
      case 'stop':
        close();
        break;
      default:
        break;
    }
  });
  twilio.on('close', close);
  twilio.on('error', close);
}

server.listen(port, '127.0.0.1', () => console.log(`reference bridge on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => process.exit(0));
