# awsenv hook for fish: put  awsenv hook fish | source  in config.fish.
#
# awsenv (the function) sources what `awsenv use`, `clear` and `refresh`
# print, so they change this shell; everything else, and --help, goes
# straight to the binary. Before each prompt __awsenv_update keeps
# AWSENV_PROMPT current, warns once before the credentials expire and once
# after, and with AWSENV_AUTO_REFRESH=1 renews AWSENV_PROFILE.
# fish has no clock of its own, so when something may have changed, and
# credentials with an expiry are set, the binary works out what to do
# (`awsenv prompt-hook`, which starts about as fast as an empty Go
# program). In between, and without such credentials, no process starts.
# The variables read were filled in by `awsenv hook fish`.

function awsenv --description 'awsenv: use, clear and refresh change this shell'
    switch "$argv[1]"
        case use clear refresh
            if contains -- --help $argv; or contains -- -h $argv
                @BIN@ $argv
                return
            end
            # In a pipe the statements are for the caller: `awsenv use p
            # | source` works with the hook as without it.
            if not isatty stdout
                AWSENV_SHELL=fish @BIN@ $argv
                return
            end
            # The whole output first and source only on success: a failed
            # `awsenv use` leaves the credentials already here as they were.
            set -l out (AWSENV_SHELL=fish @BIN@ $argv); or return
            string join \n -- $out | source
        case '*'
            @BIN@ $argv
    end
end

# __awsenv_update does the work of the prompt hook; $argv[1] is 1 at a
# prompt, when it may run `awsenv refresh`, 0 right after a refresh that
# succeeded, f after one that failed.
function __awsenv_update
    set -g __awsenv_next_change ''
    if test -z "$@KEY_VAR@"
        set -gx AWSENV_PROMPT ''
        return
    end
    if test -z @EXPIRY_VARS@
        for name in @NAMES@
            if test -n "$name"
                set -gx AWSENV_PROMPT $name
                break
            end
        end
        return
    end
    for v in __awsenv_announced __awsenv_refresh_tried __awsenv_failures __awsenv_retry_at __awsenv_session __awsenv_capped
        set -q $v; or set -g $v ''
    end
    @BIN@ prompt-hook fish "$argv[1]" @AUTO@ "$__awsenv_announced" "$__awsenv_refresh_tried" \
        "$__awsenv_failures" "$__awsenv_retry_at" "$__awsenv_session" "$__awsenv_capped" | source
    return 0
end

# __awsenv_refresh runs when prompt-hook says so: once per expiry value,
# again after a backoff when it failed, and once more at expiry. refresh
# says itself what happened, never asks for input and gives up after
# AWSENV_REFRESH_TIMEOUT; after a second it says it is refreshing and
# that Ctrl-C gives up.
function __awsenv_refresh
    set -l timeout @REFRESH_TIMEOUT@
    test -n "$AWSENV_REFRESH_TIMEOUT"; and set timeout $AWSENV_REFRESH_TIMEOUT
    set -l out (AWSENV_SHELL=fish @BIN@ refresh --no-prompt --deadline $timeout </dev/null)
    if test $status -eq 0
        string join \n -- $out | source
        __awsenv_update 0
    else
        __awsenv_update f
    end
end

# __awsenv_vars is what the hook reads from the environment, in one
# string: whether credentials are set, and the values it watches.
function __awsenv_vars
    set -l has 0
    test -n "$@KEY_VAR@"; and set has 1
    echo "$has@WATCHED@"
end

# An event handler, not a wrapped fish_prompt: it leaves the user's prompt,
# and every other fish_prompt handler, alone (fish gives each the status of
# the last command). Defining it again replaces it.
#
# The fast path, taken at nearly every prompt on Linux, starts no process:
# the variables are as they were, and the clock (/proc/uptime, read by a
# builtin, plus __awsenv_clock_offset, which prompt-hook measured) says
# nothing shown has changed before __awsenv_next_change.
function __awsenv_on_prompt --on-event fish_prompt
    set -l vars (__awsenv_vars)
    if test "$vars" = "$__awsenv_seen_vars"; and test -n "$__awsenv_clock_offset"; and read -l up rest </proc/uptime 2>/dev/null
        and test (math -s0 "floor($up + $__awsenv_clock_offset)") -lt "$__awsenv_next_change"
        return
    end
    __awsenv_update 1
    set -g __awsenv_seen_vars (__awsenv_vars)
end
