-- wrk script: a different valid bearer token on every request, cycling through the file of
-- tokens examples/load_server.rs writes (LOAD_SERVER_TOKEN_FILE), one per line.
--   wrk ... -s benches/unique_tokens.lua http://host/verify/ours -- /path/to/tokens
local tokens = {}
local next_index = 0

function init(args)
    for line in io.lines(args[1]) do
        tokens[#tokens + 1] = "Bearer " .. line
    end
end

function request()
    next_index = next_index % #tokens + 1
    return wrk.format(nil, nil, { ["Authorization"] = tokens[next_index] })
end
