-- A mixed load for wrk (bench/soak/run): commands, reads of cases and pages of the lists, in
-- fixed proportions, each request drawn at random. The tokens and the notification body come
-- from the environment and a file the runner writes; the cases read are those it listed.
--
-- Out of 100 requests: 10 NotifyIncident (a new case each), 50 GET /v1/cases/{id}, 20 pages of
-- the case list (four orders, some by cursor) and 20 pages of the deadline list (soonest due,
-- pending, breached, latest due first).

local work = os.getenv("SOAK_WORK")
local notifier = "Bearer " .. os.getenv("SOAK_NOTIFIER")
local reader = "Bearer " .. os.getenv("SOAK_READER")

local function read_file(path)
    local file = assert(io.open(path, "r"))
    local text = file:read("*a")
    file:close()
    return text
end

local notification = read_file(work .. "/notify.json")
local cases = {}
for id in read_file(work .. "/case-ids.txt"):gmatch("[^\n]+") do
    cases[#cases + 1] = id
end
assert(#cases > 0, "no case ids to read")

local lists = {
    "/v1/cases?limit=50",
    "/v1/cases?limit=50&sort=-opened_at",
    "/v1/cases?limit=50&sort=due_at",
    "/v1/cases?limit=50&has_overdue_deadlines=true",
    "/v1/deadlines?limit=50",
    "/v1/deadlines?limit=50&status=pending",
    "/v1/deadlines?limit=50&status=breached",
    "/v1/deadlines?limit=50&sort=-due_at",
}

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function request()
    local draw = math.random(100)
    if draw <= 10 then
        return wrk.format("POST", "/v1/cases/notifications", {
            ["Authorization"] = notifier,
            ["Content-Type"] = "application/json",
        }, notification)
    elseif draw <= 60 then
        local id = cases[math.random(#cases)]
        return wrk.format("GET", "/v1/cases/" .. id, { ["Authorization"] = reader })
    elseif draw <= 80 then
        return wrk.format("GET", lists[math.random(4)], { ["Authorization"] = reader })
    else
        return wrk.format("GET", lists[4 + math.random(4)], { ["Authorization"] = reader })
    end
end

-- wrk itself counts answers other than 2xx and 3xx ("Non-2xx or 3xx responses").
function done(summary, latency, requests)
    io.write(string.format("requests %d, errors (socket) %d, latency p50 %.1f ms, p99 %.1f ms\n",
        summary.requests,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
