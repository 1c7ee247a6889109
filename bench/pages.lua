-- wrk script of bench/pages.py: walks a request list (lines "lang<TAB>path", written by
-- bench/workload.py), each thread from its own place in it, and counts the page cache's answers.
-- Usage: wrk -t2 -c16 -d15s -s bench/pages.lua http://host:port -- LIST THREADS
-- At the end it prints one line "BENCH-JSON {...}" that bench/pages.py reads.

local threads = {}

function setup(thread)
   thread:set("thread_no", #threads)
   table.insert(threads, thread)
end

function init(args)
   requests_list = {}
   for line in io.lines(args[1]) do
      local lang, path = line:match("^(%a*)\t(.+)$")
      if path then
         local headers = {}
         if lang ~= "" then
            headers["Cookie"] = "lang=" .. lang
         end
         table.insert(requests_list, wrk.format("GET", path, headers))
      end
   end
   -- Threads start spread over the list, so they do not send the same requests at once.
   position = math.floor(#requests_list * thread_no / tonumber(args[2]))
   hits, misses = 0, 0
end

function request()
   position = position % #requests_list + 1
   return requests_list[position]
end

function response(status, headers, body)
   local cache = headers["X-Cache"] or headers["x-cache"]
   if cache == "HIT" then
      hits = hits + 1
   elseif cache == "MISS" then
      misses = misses + 1
   end
end

function done(summary, latency, requests)
   local hit, miss = 0, 0
   for _, thread in ipairs(threads) do
      hit = hit + thread:get("hits")
      miss = miss + thread:get("misses")
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
      '"max_us": %d, "status_errors": %d, "connect_errors": %d, "read_errors": %d, ' ..
      '"write_errors": %d, "timeouts": %d, "cache_hits": %d, "cache_misses": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout, hit, miss))
end
