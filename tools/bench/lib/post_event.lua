-- wrk script: POST {"id": N, "amount": X} with keep-alive; N counts up per thread, half the
-- amounts route "high" (total > 100), half "low".
local counter = 0
request = function()
  counter = counter + 1
  local amount = (counter % 2 == 0) and 150 or 50
  local body = string.format('{"id": %d, "amount": %d}', counter, amount)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

local codes = {}
response = function(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("SUMMARY requests=%d duration_s=%.3f non2xx=%d errors_connect=%d errors_read=%d errors_timeout=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
