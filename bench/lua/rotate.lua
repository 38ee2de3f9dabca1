-- Requests taken in turn from a file made by the harness (argument 1), one per line:
--   METHOD <tab> PATH <tab> AUTHORIZATION or "-" <tab> JSON BODY or "-"
-- Every thread starts at its own offset so that threads do not send the same requests together.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local prepared = {}
local position = 1

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  for line in io.lines(args[1]) do
    local f = split(line)
    local headers = {}
    if f[3] ~= "-" then headers["Authorization"] = f[3] end
    local body = nil
    if f[4] ~= "-" then
      body = f[4]
      headers["Content-Type"] = "application/json"
    end
    table.insert(prepared, wrk.format(f[1], f[2], headers, body))
  end
  local index = thread_index or 0  -- set by setup() in report.lua
  position = (index * 7919) % #prepared + 1
end

function request()
  local r = prepared[position]
  position = position % #prepared + 1
  return r
end
