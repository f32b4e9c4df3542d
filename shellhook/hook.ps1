# awsenv hook for PowerShell: put
#     Invoke-Expression (& awsenv hook pwsh | Out-String)
# in $PROFILE, after the lines that set up starship or oh-my-posh.
#
# awsenv (the function) runs what `awsenv use`, `clear` and `refresh`
# print, so they change this session; everything else, and --help, goes
# straight to the binary. The prompt function is wrapped: before the
# prompt is drawn, __awsenv_update keeps $Env:AWSENV_PROMPT current, warns
# once before AWS_CREDENTIAL_EXPIRATION and once after it, and with
# AWSENV_AUTO_REFRESH=1 renews AWSENV_PROFILE. While the credentials are
# fresh it starts no process.

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

# __awsenv_epoch returns the Unix time of an RFC 3339 timestamp, in the
# grammar the other shells and awsenv itself read, or $null.
function global:__awsenv_epoch([string]$raw) {
    $m = [regex]::Match($raw, '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):?([0-9]{2}))?$')
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

# __awsenv_left writes the time left: 45s, 42m, 1h05m, or expired.
function global:__awsenv_left([long]$n) {
    if ($n -le 0) { return 'expired' }
    if ($n -lt 60) { return '{0}s' -f $n }
    if ($n -lt 3600) { return '{0}m' -f [Math]::Floor($n / 60) }
    return '{0}h{1:00}m' -f [Math]::Floor($n / 3600), [Math]::Floor(($n % 3600) / 60)
}

# __awsenv_update does the work of the prompt hook. Parsed values are
# cached next to the string they came from and recomputed when it changes.
function global:__awsenv_update([bool]$mayRefresh) {
    $global:__awsenvUntil = [long]::MaxValue
    if (-not $Env:AWS_ACCESS_KEY_ID) {
        $Env:AWSENV_PROMPT = $null
        return
    }
    $p = 'aws'
    if ($Env:AWSENV_PROFILE) { $p = $Env:AWSENV_PROFILE }
    elseif ($Env:AWS_VAULT) { $p = $Env:AWS_VAULT }
    elseif ($Env:AWS_PROFILE) { $p = $Env:AWS_PROFILE }
    $x = [string]$Env:AWS_CREDENTIAL_EXPIRATION
    if ($null -eq $global:__awsenvCx -or $x -cne $global:__awsenvCx) {
        $global:__awsenvCx = $x
        $global:__awsenvCe = __awsenv_epoch $x
    }
    if ($null -eq $global:__awsenvCe) {
        $Env:AWSENV_PROMPT = $p
        return
    }
    $wb = [string]$Env:AWSENV_WARN_BEFORE
    if ($null -eq $global:__awsenvCwb -or $wb -cne $global:__awsenvCwb) {
        $global:__awsenvCwb = $wb
        $global:__awsenvWarn = __awsenv_window $wb @WARN@
    }
    $rb = [string]$Env:AWSENV_REFRESH_BEFORE
    if ($null -eq $global:__awsenvCrb -or $rb -cne $global:__awsenvCrb) {
        $global:__awsenvCrb = $rb
        $global:__awsenvRefresh = __awsenv_window $rb @REFRESH@
    }
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $n = $global:__awsenvCe - $now
    # Nothing shown or said changes before the minute shown goes down, the
    # warning or refresh window opens, or the credentials expire.
    if ($n -gt 0) {
        $next = $n % 60 + 1
        if ($n -lt 60) { $next = 1 }
        if ($n -gt $global:__awsenvWarn -and $n - $global:__awsenvWarn -lt $next) { $next = $n - $global:__awsenvWarn }
        if ($n -gt $global:__awsenvRefresh -and $n - $global:__awsenvRefresh -lt $next) { $next = $n - $global:__awsenvRefresh }
        $global:__awsenvUntil = $now + $next
    }
    $autoSetting = '@AUTO@'
    if ($Env:AWSENV_AUTO_REFRESH) { $autoSetting = $Env:AWSENV_AUTO_REFRESH }
    $auto = $autoSetting -eq '1' -and [bool]$Env:AWSENV_PROFILE
    if ($mayRefresh -and $auto -and $n -le $global:__awsenvRefresh) {
        $key = "due $x"
        if ($n -le 0) { $key = "expired $x" }
        if ($global:__awsenvTried -cne $key) {
            # Once per expiry value and phase; refresh says itself what
            # happened, never asks for input and gives up after
            # AWSENV_REFRESH_TIMEOUT.
            $global:__awsenvTried = $key
            $timeout = '@TIMEOUT@'
            if ($Env:AWSENV_REFRESH_TIMEOUT) { $timeout = $Env:AWSENV_REFRESH_TIMEOUT }
            $saved = $Env:AWSENV_SHELL
            $Env:AWSENV_SHELL = 'pwsh'
            try {
                $out = $null | & $global:__awsenvBin refresh --no-prompt --deadline $timeout
                $code = $LASTEXITCODE
            } finally {
                $Env:AWSENV_SHELL = $saved
            }
            if ($code -eq 0 -and $out) { Invoke-Expression (@($out) -join "`n") }
            __awsenv_update $false
            return
        }
    }
    $l = __awsenv_left $n
    $Env:AWSENV_PROMPT = "$p $l"
    if ($n -le 0) {
        if ($global:__awsenvSaid -ceq "expired $x") { return }
        $global:__awsenvSaid = "expired $x"
        if ($Env:AWSENV_ON_EXPIRY -ceq 'clear') {
            $u = 'PROFILE'
            if ($Env:AWSENV_PROFILE) { $u = $Env:AWSENV_PROFILE }
            foreach ($name in @(@CLEAR@)) { Remove-Item "Env:$name" -ErrorAction Ignore }
            [Console]::Error.WriteLine(('awsenv: the credentials of profile {0} expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use {1}` for new ones' -f $p, $u))
        } elseif ($Env:AWSENV_PROFILE) {
            [Console]::Error.WriteLine(('awsenv: the credentials of profile {0} have expired: run `awsenv refresh` to renew them' -f $p))
        } else {
            [Console]::Error.WriteLine(('awsenv: the credentials of profile {0} have expired: renew them with the tool that set them, or run `awsenv use PROFILE`' -f $p))
        }
    } elseif ($n -le $global:__awsenvWarn -and -not $auto -and $global:__awsenvSaid -cne "soon $x") {
        $global:__awsenvSaid = "soon $x"
        if ($Env:AWSENV_PROFILE) {
            [Console]::Error.WriteLine(('awsenv: the credentials of profile {0} expire in {1}: run `awsenv refresh` to renew them' -f $p, $l))
        } else {
            [Console]::Error.WriteLine(('awsenv: the credentials of profile {0} expire in {1}: renew them with the tool that set them, or run `awsenv use PROFILE`' -f $p, $l))
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
        # hook reads are as they were, and what it shows is still right.
        $key = @([bool]$Env:AWS_ACCESS_KEY_ID, $Env:AWS_CREDENTIAL_EXPIRATION, $Env:AWSENV_PROFILE, $Env:AWS_VAULT, $Env:AWS_PROFILE, $Env:AWSENV_WARN_BEFORE, $Env:AWSENV_REFRESH_BEFORE, $Env:AWSENV_AUTO_REFRESH, $Env:AWSENV_ON_EXPIRY, $Env:AWSENV_PROMPT) -join '|'
        if ($key -cne $global:__awsenvKey -or [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -ge $global:__awsenvUntil) {
            try { __awsenv_update $true } catch { [Console]::Error.WriteLine("awsenv: prompt hook: $_") }
            $global:__awsenvKey = @([bool]$Env:AWS_ACCESS_KEY_ID, $Env:AWS_CREDENTIAL_EXPIRATION, $Env:AWSENV_PROFILE, $Env:AWS_VAULT, $Env:AWS_PROFILE, $Env:AWSENV_WARN_BEFORE, $Env:AWSENV_REFRESH_BEFORE, $Env:AWSENV_AUTO_REFRESH, $Env:AWSENV_ON_EXPIRY, $Env:AWSENV_PROMPT) -join '|'
        }
        $global:LASTEXITCODE = $code
        # $? cannot be assigned; a silenced error sets it to false again.
        if (-not $ok) { Write-Error '' -ErrorAction Ignore }
        & $global:__awsenvInnerPrompt
    }
}
