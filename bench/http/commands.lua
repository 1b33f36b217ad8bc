-- A mix of commands on existing cases for wrk (bench/http/run, the "commands" run): each case
-- the notify runs opened is taken through the first steps of its rapid review, one command a
-- request, by the business manager and two agencies (issue 15, goal 1).
--
-- The cases come from a file the runner writes (one id a line); this run uses MIX_COUNT of them
-- from line MIX_FIRST + 1, each wrk thread every n-th of those. A thread works through a window
-- of WINDOW cases one step at a time: request n goes to case n % WINDOW of the window, step
-- n / WINDOW; after the last step the next window begins. So a case's next command is sent
-- WINDOW requests after its previous one, long after that was answered (a thread has at most its
-- share of the connections in flight), and every step is an equal share of the mix.
--
-- A thread uses whole windows only (a smaller one would send a case's next command too soon).
-- Once out of them it sends NotifyIncident instead (a new case), counted and reported as
-- "notified_instead"; the runner gives each run more cases than it can reach.

local manager = "Bearer " .. os.getenv("MIX_MANAGER")
local police = "Bearer " .. os.getenv("MIX_POLICE")
local hospital = "Bearer " .. os.getenv("MIX_HOSPITAL")
local notifier = "Bearer " .. os.getenv("MIX_NOTIFIER")
local work = os.getenv("MIX_WORK")
local first = tonumber(os.getenv("MIX_FIRST"))
local count = tonumber(os.getenv("MIX_COUNT"))

local WINDOW = 512

local function read_file(path)
    local file = assert(io.open(path, "r"))
    local text = file:read("*a")
    file:close()
    return text
end

-- path under the case, token, body: one command each, in the order the process allows.
local steps = {
    { "/rapid-review", manager, "{}" },
    { "/rapid-review/partners-notified", manager, "{}" },
    { "/rapid-review/partner-leads", manager, '{"partner":"police","lead_name":"DI Sam Jones"}' },
    { "/rapid-review/partner-leads", manager, '{"partner":"health","lead_name":"Dr Ann Lee"}' },
    { "/rapid-review/partner-leads", manager,
        '{"partner":"local_authority","lead_name":"Kim Ward"}' },
    { "/agency-report-requests", manager, '{"organisation":"essex-police"}' },
    { "/agency-report-requests", manager, '{"organisation":"suhft"}' },
    { "/rapid-review/review-lead", manager,
        '{"lead_name":"Jo Patel","organisation":"southend-council"}' },
    { "/agency-reports", police, '{"organisation":"essex-police",'
        .. '"involvement":"Attended the address on 18 December after a call from a neighbour.",'
        .. '"summary":"Officers spoke to the mother; no referral was made.",'
        .. '"learning":"Children present were not spoken to."}' },
    { "/agency-reports", hospital, '{"organisation":"suhft",'
        .. '"involvement":"Emergency department attendance on 18 December.",'
        .. '"summary":"Injuries recorded; safeguarding referral made the same day.",'
        .. '"learning":"Body map not completed at triage."}' },
    { "/rapid-review/reports-circulated", manager, "{}" },
}

local threads = {}
local next_id = 0

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local cases = {}
local window_start = 0 -- the index in `cases` of the window's first case, less one
local sent_in_window = 0
local verified
notified_instead = 0

function init(args)
    local all = {}
    for line in read_file(work .. "/mix-case-ids.txt"):gmatch("[^\n]+") do
        all[#all + 1] = line
    end
    local thread_count = tonumber(os.getenv("MIX_THREADS"))
    local i = first + 1 + id
    while i <= first + count and i <= #all do
        cases[#cases + 1] = all[i]
        i = i + thread_count
    end
    notification = read_file(work .. "/notify.json")
    -- wrk calls the first thread's request() once to check what it returns, and sends nothing
    -- (wrk.c, script_verify_request): that call must not take a case's step.
    verified = id ~= 0
end

local function command(advance)
    if sent_in_window == WINDOW * #steps then
        window_start = window_start + WINDOW
        sent_in_window = 0
    end
    if window_start + WINDOW > #cases then
        if advance then
            notified_instead = notified_instead + 1
        end
        return wrk.format("POST", "/v1/cases/notifications", {
            ["Authorization"] = notifier,
            ["Content-Type"] = "application/json",
        }, notification)
    end
    local step = steps[math.floor(sent_in_window / WINDOW) + 1]
    local case = cases[window_start + sent_in_window % WINDOW + 1]
    if advance then
        sent_in_window = sent_in_window + 1
    end
    return wrk.format("POST", "/v1/cases/" .. case .. step[1], {
        ["Authorization"] = step[2],
        ["Content-Type"] = "application/json",
    }, step[3])
end

function request()
    if not verified then
        verified = true
        return command(false)
    end
    return command(true)
end

-- One JSON object for the runner: wrk counts answers other than 2xx and 3xx as status errors.
function done(summary, latency, requests)
    local instead = 0
    for _, thread in ipairs(threads) do
        instead = instead + thread:get("notified_instead")
    end
    local errors = summary.errors
    local file = assert(io.open(os.getenv("MIX_OUT"), "w"))
    file:write(string.format(
        '{"requests":%d,"seconds":%.3f,"non_2xx":%d,"socket_errors":%d,'
            .. '"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"notified_instead":%d}\n',
        summary.requests, summary.duration / 1e6, errors.status,
        errors.connect + errors.read + errors.write + errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        instead))
    file:close()
end

-- MIX_DEBUG=1: print each answer other than 2xx (wrk reads every body then, which costs).
if os.getenv("MIX_DEBUG") then
    function response(status, headers, body)
        if status >= 300 then
            io.stderr:write(status .. " " .. body .. "\n")
        end
    end
end
