-- SPDX-License-Identifier: BSD-3-Clause
-- Pktgen-DPDK script for benchmarking sluice (docs/pktgen.md).
-- Sets frame size and rate on one port, sends for N seconds, prints the
-- tx/rx packet rates measured from the port counters, stops and quits.
-- Settings come from environment variables so one file serves every run:
--   SL_PORT     pktgen port number            (default 0)
--   SL_SIZE     frame size incl. FCS, 64..1518 (default 64)
--   SL_RATE     percent of the port's link speed, 1..100 (default 100)
--   SL_SECONDS  measurement time after a 1 s warm-up (default 10)
--   SL_DST_MAC  destination MAC (default: leave pktgen's)
--   SL_QUIT     "0" to stay in pktgen's prompt afterwards (default quit)
-- Run: pktgen <EAL args> -- -P -m "[1].0" -f tools/bench/pktgen/sluice.lua

local function printf(...) io.write(string.format(...)); io.flush() end

local function env(name, default)
	local v = os.getenv(name)
	if v == nil or v == "" then return default end
	return v
end

local port    = tonumber(env("SL_PORT", "0"))
local size    = tonumber(env("SL_SIZE", "64"))
local rate    = tonumber(env("SL_RATE", "100"))
local seconds = tonumber(env("SL_SECONDS", "10"))
local dstmac  = env("SL_DST_MAC", nil)
local pstr    = tostring(port)

-- pktgen counts the 4-byte FCS in "size" (64 is its minimum), like sluice-gen.
pktgen.set(pstr, "size", size)
pktgen.set(pstr, "rate", rate)
pktgen.set(pstr, "count", 0)
pktgen.set(pstr, "burst", 32)
pktgen.set_proto(pstr, "udp")
if dstmac then pktgen.set_mac(pstr, "dst", dstmac) end

local function counters()
	local s = pktgen.portStats(pstr, "port")[port]
	return s.opackets, s.ipackets
end

pktgen.clr()
pktgen.start(pstr)
pktgen.delay(1000) -- warm-up: let the DUT's rings fill and settle
local tx0, rx0 = counters()
pktgen.delay(seconds * 1000)
local tx1, rx1 = counters()
pktgen.stop(pstr)
pktgen.delay(500)
local txall, rxall = counters()

local txpps = (tx1 - tx0) / seconds
local rxpps = (rx1 - rx0) / seconds
printf("\nsluice.lua: port %d size %d B rate %d%% over %d s\n", port, size, rate, seconds)
printf("sluice.lua: tx %.3f Mpps  rx %.3f Mpps  (rx/tx %.4f)\n", txpps / 1e6, rxpps / 1e6,
	txpps > 0 and rxpps / txpps or 0)
printf("sluice.lua: totals tx %d rx %d (after stop, incl. warm-up)\n", txall, rxall)
if env("SL_QUIT", "1") ~= "0" then
	pktgen.quit()
end
