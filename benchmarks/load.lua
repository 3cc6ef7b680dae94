-- wrk script for load.sh: POSTs pre-signed 7.5 KB post_call_transcription webhooks, each delivery once.
-- LOAD_BODIES: the file written by `ConvAi.Telephony.Benchmarks --make-load-bodies` (B and H lines).
-- LOAD_THREADS: wrk's -t value. Thread i sends deliveries i, i+T, i+2T, ... and stops when its share is sent,
-- unless LOAD_WRAP=1 (for the bare endpoint, which does not de-duplicate): then it starts its share again.
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local threads = tonumber(os.getenv("LOAD_THREADS"))
  bodies = {}
  headers = {}
  body_of = {}
  local j = 0
  for line in io.lines(os.getenv("LOAD_BODIES")) do
    local kind = line:sub(1, 1)
    if kind == "B" then
      bodies[#bodies + 1] = line:sub(3)
    elseif kind == "H" then
      if j % threads == id then
        local tab = line:find("\t", 3, true)
        body_of[#body_of + 1] = tonumber(line:sub(3, tab - 1)) + 1
        headers[#headers + 1] = line:sub(tab + 1)
      end
      j = j + 1
    end
  end
  wrap = os.getenv("LOAD_WRAP") == "1"
  sent = 0
  answered = 0
end

function request()
  sent = sent + 1
  local k = sent
  if k > #headers then
    if wrap then
      k = ((k - 1) % #headers) + 1
    else
      -- Only reached by connections still open after this thread's share is used up: repeat the last delivery.
      k = #headers
    end
  end
  return wrk.format("POST", wrk.path,
    { ["Content-Type"] = "application/json", ["ElevenLabs-Signature"] = headers[k] },
    bodies[body_of[k]])
end

function response(status, headers_, body)
  answered = answered + 1
  if not wrap and answered >= #headers then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
