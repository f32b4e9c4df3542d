# awsenv hook for PowerShell: put
#     Invoke-Expression (& awsenv hook pwsh | Out-String)
# in $PROFILE, after the lines that set up starship or oh-my-posh.
#
# awsenv (the function) runs what `awsenv use`, `clear` and `refresh`
# print, so they change this session; everything else, and --help, goes
# straight to the binary. The prompt function is wrapped: before the
# prompt is drawn, __awsenv_update keeps $Env:AWSENV_PROMPT current, warns
# once before the credentials expire and once after, and with
# AWSENV_AUTO_REFRESH=1 renews AWSENV_PROFILE. While the credentials are
# fresh it starts no process. The rules are awsenv's (internal/session):
# the messages, defaults and the variables read were filled in by
# `awsenv hook pwsh`.

$global:__awsenvBin = @BIN@

function global:awsenv {
    $sub = ''
    if ($args.Count -gt 0) { $sub = [string]$args[0] }
    if (@('use', 'clear', 'refresh') -cnotcontains $sub -or $args -ccontains '--help' -or $args -ccontains '-h') {
        & $global:__awsenvBin @args
        return
    }
    # The whole output first and run only on success: a failed
    # `awsenv use` leaves the credentials already here as they were.
    $saved = $Env:AWSENV_SHELL
    $Env:AWSENV_SHELL = 'pwsh'
    try {
        $out = & $global:__awsenvBin @args
        $code = $LASTEXITCODE
    } finally {
        $Env:AWSENV_SHELL = $saved
    }
    if ($code -ne 0) {
        $global:LASTEXITCODE = $code
        return
    }
    if ($out) { Invoke-Expression (@($out) -join "`n") }
}

# __awsenv_epoch returns the Unix time of a timestamp in the grammar of
# session.ParseExpiry, which the other shells read too, or $null.
function global:__awsenv_epoch([string]$raw) {
    $m = [regex]::Match($raw, '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|UTC|([+-])([0-9]{2}):?([0-9]{2}))?$')
    if (-not $m.Success) { return $null }
    $g = $m.Groups
    try {
        $t = [DateTimeOffset]::new([int]$g[1].Value, [int]$g[2].Value, [int]$g[3].Value, [int]$g[4].Value, [int]$g[5].Value, [int]$g[6].Value, [TimeSpan]::Zero).ToUnixTimeSeconds()
    } catch {
        return $null
    }
    if ($g[9].Success) {
        $oh = [int]$g[10].Value
        $om = [int]$g[11].Value
        if ($oh -gt 23 -or $om -gt 59) { return $null }
        $off = $oh * 3600 + $om * 60
        if ($g[9].Value -eq '-') { $off = -$off }
        $t -= $off
    }
    return [long]$t
}

# __awsenv_window returns the seconds in $s (600, 90s, 10m, 1h30m), or
# $def when $s is empty or not one of those.
function global:__awsenv_window([string]$s, [long]$def) {
    if ($s -cmatch '^[0-9]{1,9}$') { return [long]$s }
    $m = [regex]::Match($s, '^(([0-9]{1,9})h)?(([0-9]{1,9})m)?(([0-9]{1,9})s)?$')
    if (-not $s -or -not $m.Success) { return $def }
    $n = [long]0
    if ($m.Groups[2].Success) { $n += [long]$m.Groups[2].Value * 3600 }
    if ($m.Groups[4].Success) { $n += [long]$m.Groups[4].Value * 60 }
    if ($m.Groups[6].Success) { $n += [long]$m.Groups[6].Value }
    return $n
}

# __awsenv_left writes the time left as session.FormatLeft does: 45s, 42m,
# 1h05m, 2d03h, or expired.
function global:__awsenv_left([long]$n) {
    if ($n -le 0) { return 'expired' }
    if ($n -lt 60) { return '{0}s' -f $n }
    if ($n -lt 3600) { return '{0}m' -f [Math]::Floor($n / 60) }
    if ($n -lt 86400) { return '{0}h{1:00}m' -f [Math]::Floor($n / 3600), [Math]::Floor(($n % 3600) / 60) }
    return '{0}d{1:00}h' -f [Math]::Floor($n / 86400), [Math]::Floor(($n % 86400) / 3600)
}

# __awsenv_tool names what set credentials awsenv did not.
function global:__awsenv_tool {
    foreach ($t in @(@TOOLS@)) {
        if ([Environment]::GetEnvironmentVariable($t[0])) { return $t[1] }
    }
    return @OTHER_TOOL@
}

# __awsenv_update does the work of the prompt hook (session.Step); $turn
# is '1' at a prompt, when it may refresh, '0' right after a refresh that
# succeeded, 'f' after one that failed. Parsed values are kept
# next to the string they came from ($global:__awsenvExpiryRaw and
# $global:__awsenvExpiresAt, and so on) and recomputed when it changes.
function global:__awsenv_update([string]$turn) {
    $global:__awsenvNextChange = [long]::MaxValue
    if (-not $Env:@KEY_VAR@) {
        $Env:AWSENV_PROMPT = $null
        return
    }
    $p = @DEFAULT_NAME@
    foreach ($name in @(@PROFILE_VARS@)) {
        $v = [Environment]::GetEnvironmentVariable($name)
        if ($v) { $p = $v; break }
    }
    $x = ''
    foreach ($name in @(@EXPIRY_VARS@)) {
        $v = [Environment]::GetEnvironmentVariable($name)
        if ($v) { $x = $v; break }
    }
    if ($null -eq $global:__awsenvExpiryRaw -or $x -cne $global:__awsenvExpiryRaw) {
        $global:__awsenvExpiryRaw = $x
        $global:__awsenvExpiresAt = __awsenv_epoch $x
    }
    if ($null -eq $global:__awsenvExpiresAt) {
        $Env:AWSENV_PROMPT = $p
        return
    }
    $wb = [string]$Env:AWSENV_WARN_BEFORE
    if ($null -eq $global:__awsenvWarnBeforeRaw -or $wb -cne $global:__awsenvWarnBeforeRaw) {
        $global:__awsenvWarnBeforeRaw = $wb
        $global:__awsenvWarnSecs = __awsenv_window $wb @WARN_BEFORE@
    }
    $rb = [string]$Env:AWSENV_REFRESH_BEFORE
    if ($null -eq $global:__awsenvRefreshBeforeRaw -or $rb -cne $global:__awsenvRefreshBeforeRaw) {
        $global:__awsenvRefreshBeforeRaw = $rb
        $global:__awsenvRefreshSecs = __awsenv_window $rb @REFRESH_BEFORE@
    }
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $n = $global:__awsenvExpiresAt - $now
    $key = "due $x"
    if ($n -le 0) { $key = "expired $x" }
    $before = [long]$global:__awsenvRefreshSecs
    $session = [long]$global:__awsenvSession
    $retryAt = [long]$global:__awsenvRetryAt
    # session.RefreshWindow: a window not shorter than the last session
    # fetched is half that session.
    $window = $before
    if ($session -gt 0 -and $before -ge $session) { $window = [long][Math]::Floor($session / 2) }
    $autoSetting = '@AUTO@'
    if ($Env:AWSENV_AUTO_REFRESH) { $autoSetting = $Env:AWSENV_AUTO_REFRESH }
    $auto = $autoSetting -eq '1' -and [bool]$Env:AWSENV_PROFILE
    # session.Step: an attempt within the window once per expiry value,
    # again after the backoff, and once more at expiry.
    if (-not $auto) {
    } elseif ($turn -ceq '1') {
        if ($n -le $window -and ($global:__awsenvRefreshTried -cne $key -or ($retryAt -gt 0 -and $now -ge $retryAt))) {
            # Counted as failed until it succeeds, so that one given up
            # with Ctrl-C waits for the backoff too.
            $global:__awsenvRefreshTried = $key
            $global:__awsenvFailures = [long]$global:__awsenvFailures + 1
            $wait = [Math]::Max([long](__awsenv_window ([string]$Env:AWSENV_REFRESH_BACKOFF) @BACKOFF@), [long]1)
            for ($i = 1; $i -lt $global:__awsenvFailures -and $wait -lt @MAX_BACKOFF@; $i++) { $wait *= 2 }
            $global:__awsenvRetryAt = $now + [Math]::Min($wait, @MAX_BACKOFF@)
            # refresh says itself what happened, never asks for input,
            # says after a second that Ctrl-C gives up, and gives up by
            # itself after AWSENV_REFRESH_TIMEOUT.
            $timeout = @REFRESH_TIMEOUT@
            if ($Env:AWSENV_REFRESH_TIMEOUT) { $timeout = $Env:AWSENV_REFRESH_TIMEOUT }
            $saved = $Env:AWSENV_SHELL
            $Env:AWSENV_SHELL = 'pwsh'
            try {
                $out = $null | & $global:__awsenvBin refresh --no-prompt --deadline $timeout
                $code = $LASTEXITCODE
            } finally {
                $Env:AWSENV_SHELL = $saved
            }
            if ($code -ne 0) {
                __awsenv_update 'f'
                return
            }
            if ($out) { Invoke-Expression (@($out) -join "`n") }
            __awsenv_update '0'
            return
        }
    } elseif ($turn -ceq 'f') {
        $w = __awsenv_left ($retryAt - $now)
        if ($n -gt 0) {
            [Console]::Error.WriteLine((@MSG_RETRY_BEFORE@ -f $p, $w))
        } else {
            [Console]::Error.WriteLine((@MSG_RETRY_AFTER@ -f $p, $w))
        }
    } else {
        $global:__awsenvFailures = 0
        $global:__awsenvRetryAt = 0
        $global:__awsenvSession = $n
        $retryAt = 0
        $window = $before
        if ($before -ge $n) { $window = [long][Math]::Floor($n / 2) }
        if ($before -ge $n -and [long]$global:__awsenvCapped -ne $before) {
            $global:__awsenvCapped = $before
            [Console]::Error.WriteLine((@MSG_CAPPED@ -f (__awsenv_left $before), $p, (__awsenv_left $n), (__awsenv_left $window)))
        }
        # One attempt per window: credentials it brought that are still
        # within it wait for expiry.
        if ($n -le $window) { $global:__awsenvRefreshTried = $key }
    }
    # session.NextChange: nothing shown or said changes before the figure
    # shown goes down, the warning or refresh window opens, the
    # credentials expire, or a failed refresh is due again.
    if ($n -gt 0) {
        $unit = 3600
        if ($n -lt 86400) { $unit = 60 }
        if ($n -lt 60) { $unit = 1 }
        $next = $n % $unit + 1
        if ($n -gt $global:__awsenvWarnSecs -and $n - $global:__awsenvWarnSecs -lt $next) { $next = $n - $global:__awsenvWarnSecs }
        if ($n -gt $window -and $n - $window -lt $next) { $next = $n - $window }
        $global:__awsenvNextChange = $now + $next
    }
    if ($retryAt -gt $now -and $retryAt -lt $global:__awsenvNextChange) { $global:__awsenvNextChange = $retryAt }
    $l = __awsenv_left $n
    $Env:AWSENV_PROMPT = "$p $l"
    if ($n -le 0) {
        if ($global:__awsenvAnnounced -ceq "expired $x") { return }
        $global:__awsenvAnnounced = "expired $x"
        if ($Env:AWSENV_ON_EXPIRY -ceq 'clear') {
            $u = 'PROFILE'
            if ($Env:AWSENV_PROFILE) { $u = $Env:AWSENV_PROFILE }
            foreach ($name in @(@CLEAR@)) { Remove-Item "Env:$name" -ErrorAction Ignore }
            [Console]::Error.WriteLine((@MSG_EXPIRED_CLEAR@ -f $p, $u))
        } elseif ($Env:AWSENV_PROFILE) {
            [Console]::Error.WriteLine((@MSG_EXPIRED_AWSENV@ -f $p))
        } else {
            [Console]::Error.WriteLine((@MSG_EXPIRED_OTHER@ -f (__awsenv_tool)))
        }
    } elseif ($n -le $global:__awsenvWarnSecs -and -not $auto -and $global:__awsenvAnnounced -cne "soon $x") {
        $global:__awsenvAnnounced = "soon $x"
        if ($Env:AWSENV_PROFILE) {
            [Console]::Error.WriteLine((@MSG_SOON_AWSENV@ -f $p, $l))
        } else {
            [Console]::Error.WriteLine((@MSG_SOON_OTHER@ -f (__awsenv_tool), $l))
        }
    }
}

# Wrap the prompt function once (starship, oh-my-posh or your own), keeping
# $? and $LASTEXITCODE for it.
if ("$function:prompt" -cnotmatch '__awsenv_update') {
    $global:__awsenvInnerPrompt = $function:prompt
    function global:prompt {
        $ok = $?
        $code = $global:LASTEXITCODE
        # The fast path, taken at nearly every prompt: the variables the
        # hook reads are as they were at the last update, and what it
        # shows is still right.
        $vars = @(@WATCHED@) -join '|'
        if ($vars -cne $global:__awsenvSeenVars -or [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -ge $global:__awsenvNextChange) {
            try { __awsenv_update '1' } catch { [Console]::Error.WriteLine("awsenv: prompt hook: $_") }
            $global:__awsenvSeenVars = @(@WATCHED@) -join '|'
        }
        $global:LASTEXITCODE = $code
        # $? cannot be assigned; a silenced error sets it to false again.
        if (-not $ok) { Write-Error '' -ErrorAction Ignore }
        & $global:__awsenvInnerPrompt
    }
}
