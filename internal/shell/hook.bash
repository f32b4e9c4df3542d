# awsenv hook for bash: put  eval "$(awsenv hook bash)"  in ~/.bashrc.
#
# awsenv (the function) evaluates what `awsenv use`, `clear` and `refresh`
# print, so they change this shell; everything else, and --help, goes
# straight to the binary. _awsenv_hook runs before each prompt: it keeps
# AWSENV_PROMPT current, warns once before the credentials expire and once
# after, and with AWSENV_AUTO_REFRESH=1 renews AWSENV_PROFILE. While the
# credentials are fresh it starts no process (bash 4.2 or newer).
#
# The rules are awsenv's (internal/session): the messages, defaults and
# the variables read were filled in by `awsenv hook bash`. Every expansion
# is quoted or arithmetic, so no IFS the user sets splits a value.

awsenv() {
  case ${1-} in
  use | clear | refresh)
    local _awsenv_arg _awsenv_out
    for _awsenv_arg in "$@"; do
      case $_awsenv_arg in
      -h | --help)
        @BIN@ "$@"
        return
        ;;
      esac
    done
    # Inside $(...) or a pipe the statements are for the caller:
    # eval "$(awsenv use p)" works with the hook as without it.
    if [ ! -t 1 ]; then
      AWSENV_SHELL=bash @BIN@ "$@"
      return
    fi
    # The whole output first and eval only on success: a failed
    # `awsenv use` leaves the credentials already here as they were.
    _awsenv_out=$(AWSENV_SHELL=bash @BIN@ "$@") || return
    eval "$_awsenv_out"
    ;;
  *) @BIN@ "$@" ;;
  esac
}

# _awsenv_epoch sets _awsenv_epoch_secs to the Unix time of the timestamp
# $1 (session.ParseExpiry's grammar), or to "" when $1 is not one.
# Days-from-civil arithmetic: no date(1).
_awsenv_epoch() {
  _awsenv_epoch_secs=
  local re='^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|UTC|([+-])([0-9]{2}):?([0-9]{2}))?$'
  [[ $1 =~ $re ]] || return 1
  local y=$((10#${BASH_REMATCH[1]})) m=$((10#${BASH_REMATCH[2]})) d=$((10#${BASH_REMATCH[3]}))
  local H=$((10#${BASH_REMATCH[4]})) M=$((10#${BASH_REMATCH[5]})) S=$((10#${BASH_REMATCH[6]})) off=0
  if [[ -n ${BASH_REMATCH[9]} ]]; then
    off=$((10#${BASH_REMATCH[10]} * 3600 + 10#${BASH_REMATCH[11]} * 60))
    ((10#${BASH_REMATCH[10]} <= 23 && 10#${BASH_REMATCH[11]} <= 59)) || return 1
    [[ ${BASH_REMATCH[9]} == - ]] && off=$((-off))
  fi
  local dim=$((m == 2 ? 28 + (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) : 30 + (m + m / 8) % 2))
  ((m >= 1 && m <= 12 && d >= 1 && d <= dim && H <= 23 && M <= 59 && S <= 59)) || return 1
  ((y -= m <= 2))
  local era=$(((y >= 0 ? y : y - 399) / 400))
  local yoe=$((y - era * 400))
  local doe=$((yoe * 365 + yoe / 4 - yoe / 100 + (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1))
  _awsenv_epoch_secs=$(((era * 146097 + doe - 719468) * 86400 + H * 3600 + M * 60 + S - off))
}

# _awsenv_window sets _awsenv_window_secs to the seconds in $1 (600, 90s,
# 10m, 1h30m), or to $2 when $1 is empty or not one of those.
_awsenv_window() {
  _awsenv_window_secs=$2
  local secs='^[0-9]{1,9}$' hms='^(([0-9]{1,9})h)?(([0-9]{1,9})m)?(([0-9]{1,9})s)?$'
  if [[ $1 =~ $secs ]]; then
    _awsenv_window_secs=$((10#$1))
  elif [[ -n $1 && $1 =~ $hms ]]; then
    _awsenv_window_secs=$((10#${BASH_REMATCH[2]:-0} * 3600 + 10#${BASH_REMATCH[4]:-0} * 60 + 10#${BASH_REMATCH[6]:-0}))
  fi
}

# _awsenv_left sets _awsenv_left_text to the time left in $1 seconds, as
# session.FormatLeft writes it: 45s, 42m, 1h05m, 2d03h, or expired.
_awsenv_left() {
  if (($1 <= 0)); then
    _awsenv_left_text=expired
  elif (($1 < 60)); then
    _awsenv_left_text=$1s
  elif (($1 < 3600)); then
    _awsenv_left_text=$(($1 / 60))m
  elif (($1 < 86400)); then
    printf -v _awsenv_left_text '%dh%02dm' "$(($1 / 3600))" "$(($1 / 60 % 60))"
  else
    printf -v _awsenv_left_text '%dd%02dh' "$(($1 / 86400))" "$(($1 / 3600 % 24))"
  fi
}

# _awsenv_refresh_step is the auto-refresh part of session.Step, apart so
# that _awsenv_update stays small (bash copies a function's body at each
# call). It reads and sets the locals of _awsenv_update; it returns 1
# when it refreshed and took the next step itself.
_awsenv_refresh_step() {
  local _awsenv_key
  if [[ $1 == 1 ]]; then
    _awsenv_key="due $_awsenv_raw"
    ((_awsenv_secs_left <= 0)) && _awsenv_key="expired $_awsenv_raw"
    if ((_awsenv_secs_left <= _awsenv_refresh_window)) &&
      { [[ ${_awsenv_refresh_tried-} != "$_awsenv_key" ]] || ((_awsenv_retry_at > 0 && _awsenv_now >= _awsenv_retry_at)); }; then
      # Counted as failed until it succeeds, so that one given up with
      # Ctrl-C waits for the backoff too.
      _awsenv_refresh_tried=$_awsenv_key
      _awsenv_failures=$((_awsenv_failures + 1))
      _awsenv_window "${AWSENV_REFRESH_BACKOFF-}" @BACKOFF@
      local _awsenv_wait=$((_awsenv_window_secs < 1 ? 1 : _awsenv_window_secs)) _awsenv_i=1
      while ((_awsenv_i < _awsenv_failures && _awsenv_wait < @MAX_BACKOFF@)); do
        ((_awsenv_wait *= 2, _awsenv_i++))
      done
      _awsenv_retry_at=$((_awsenv_now + (_awsenv_wait > @MAX_BACKOFF@ ? @MAX_BACKOFF@ : _awsenv_wait)))
      # refresh says itself what happened, never asks for input, says
      # after a second that Ctrl-C gives up, and gives up by itself after
      # AWSENV_REFRESH_TIMEOUT.
      local _awsenv_out _awsenv_timeout=${AWSENV_REFRESH_TIMEOUT:-@REFRESH_TIMEOUT@}
      if _awsenv_out=$(AWSENV_SHELL=bash @BIN@ refresh --no-prompt --deadline "$_awsenv_timeout" </dev/null); then
        eval "$_awsenv_out"
        _awsenv_update 0
      else
        _awsenv_update f
      fi
      return 1
    fi
  elif [[ $1 == f ]]; then
    _awsenv_left "$((_awsenv_retry_at - _awsenv_now))"
    if ((_awsenv_secs_left > 0)); then
      printf @MSG_RETRY_BEFORE@'\n' "$_awsenv_name" "$_awsenv_left_text" >&2
    else
      printf @MSG_RETRY_AFTER@'\n' "$_awsenv_name" "$_awsenv_left_text" >&2
    fi
  else
    _awsenv_failures=0 _awsenv_retry_at=0 _awsenv_session=$_awsenv_secs_left
    _awsenv_refresh_window=$((_awsenv_refresh_secs >= _awsenv_secs_left ? _awsenv_secs_left / 2 : _awsenv_refresh_secs))
    if ((_awsenv_refresh_secs >= _awsenv_secs_left && _awsenv_capped != _awsenv_refresh_secs)); then
      _awsenv_capped=$_awsenv_refresh_secs
      local _awsenv_said_before _awsenv_said_session
      _awsenv_left "$_awsenv_refresh_secs"
      _awsenv_said_before=$_awsenv_left_text
      _awsenv_left "$_awsenv_secs_left"
      _awsenv_said_session=$_awsenv_left_text
      _awsenv_left "$_awsenv_refresh_window"
      printf @MSG_CAPPED@'\n' "$_awsenv_said_before" "$_awsenv_name" "$_awsenv_said_session" "$_awsenv_left_text" >&2
    fi
    # One attempt per window: credentials it brought that are still
    # within it wait for expiry.
    if ((_awsenv_secs_left <= _awsenv_refresh_window)); then
      _awsenv_refresh_tried="due $_awsenv_raw"
      ((_awsenv_secs_left <= 0)) && _awsenv_refresh_tried="expired $_awsenv_raw"
    fi
  fi
  return 0
}

# _awsenv_tool_name sets _awsenv_tool to what set credentials awsenv did
# not: a tool by the variable it leaves (session.Tools), else a script.
_awsenv_tool_name() {
  @TOOL@
}

# _awsenv_update does the work of the prompt hook (session.Step); $1 is 1
# at a prompt, when it may run `awsenv refresh`, 0 right after a refresh
# that succeeded, f after one that failed. Parsed values are kept next to the string they
# came from (_awsenv_expiry_raw and _awsenv_expires_at, and so on) and
# recomputed when it changes.
_awsenv_update() {
  _awsenv_next_change=$_awsenv_never
  if [[ -z ${@KEY_VAR@-} ]]; then
    export AWSENV_PROMPT=
    return
  fi
  local _awsenv_name=@NAME@ _awsenv_raw=@EXPIRY@
  if [[ -z ${_awsenv_expiry_raw+set} || $_awsenv_raw != "$_awsenv_expiry_raw" ]]; then
    _awsenv_expiry_raw=$_awsenv_raw
    _awsenv_epoch "$_awsenv_raw"
    _awsenv_expires_at=$_awsenv_epoch_secs
  fi
  if [[ -z $_awsenv_expires_at ]]; then
    export AWSENV_PROMPT="$_awsenv_name"
    return
  fi
  if [[ -z ${_awsenv_warn_before_raw+set} || ${AWSENV_WARN_BEFORE-} != "$_awsenv_warn_before_raw" ]]; then
    _awsenv_warn_before_raw=${AWSENV_WARN_BEFORE-}
    _awsenv_window "$_awsenv_warn_before_raw" @WARN_BEFORE@
    _awsenv_warn_secs=$_awsenv_window_secs
  fi
  if [[ -z ${_awsenv_refresh_before_raw+set} || ${AWSENV_REFRESH_BEFORE-} != "$_awsenv_refresh_before_raw" ]]; then
    _awsenv_refresh_before_raw=${AWSENV_REFRESH_BEFORE-}
    _awsenv_window "$_awsenv_refresh_before_raw" @REFRESH_BEFORE@
    _awsenv_refresh_secs=$_awsenv_window_secs
  fi
  local _awsenv_now=${EPOCHSECONDS-}
  [[ -n $_awsenv_now ]] || printf -v _awsenv_now '%(%s)T' -1 2>/dev/null || _awsenv_now=$(date +%s)
  local _awsenv_secs_left=$((_awsenv_expires_at - _awsenv_now)) _awsenv_auto=
  # session.RefreshWindow: a window not shorter than the last session
  # fetched is half that session.
  local _awsenv_refresh_window=$((_awsenv_session > 0 && _awsenv_refresh_secs >= _awsenv_session ? _awsenv_session / 2 : _awsenv_refresh_secs))
  [[ ${AWSENV_AUTO_REFRESH:-@AUTO@} == 1 && -n ${AWSENV_PROFILE-} ]] && _awsenv_auto=1
  # session.Step: an attempt within the window once per expiry value,
  # again after the backoff, and once more at expiry.
  if [[ -n $_awsenv_auto ]]; then
    _awsenv_refresh_step "$1" || return
  fi
  # session.NextChange: nothing shown or said changes before the figure
  # shown goes down, the warning or refresh window opens, the credentials
  # expire, or a failed refresh is due again.
  if ((_awsenv_secs_left > 0)); then
    local _awsenv_unit=$((_awsenv_secs_left < 60 ? 1 : _awsenv_secs_left < 86400 ? 60 : 3600))
    local _awsenv_next=$((_awsenv_secs_left % _awsenv_unit + 1))
    ((_awsenv_secs_left > _awsenv_warn_secs && _awsenv_secs_left - _awsenv_warn_secs < _awsenv_next)) && _awsenv_next=$((_awsenv_secs_left - _awsenv_warn_secs))
    ((_awsenv_secs_left > _awsenv_refresh_window && _awsenv_secs_left - _awsenv_refresh_window < _awsenv_next)) && _awsenv_next=$((_awsenv_secs_left - _awsenv_refresh_window))
    _awsenv_next_change=$((_awsenv_now + _awsenv_next))
  fi
  ((_awsenv_retry_at > _awsenv_now && _awsenv_retry_at < _awsenv_next_change)) && _awsenv_next_change=$_awsenv_retry_at
  _awsenv_left "$_awsenv_secs_left"
  export AWSENV_PROMPT="$_awsenv_name $_awsenv_left_text"
  if ((_awsenv_secs_left <= 0)); then
    [[ ${_awsenv_announced-} == "expired $_awsenv_raw" ]] && return
    _awsenv_announced="expired $_awsenv_raw"
    if [[ ${AWSENV_ON_EXPIRY-} == clear ]]; then
      local _awsenv_use=${AWSENV_PROFILE:-PROFILE}
      unset @CLEAR@
      export AWSENV_PROMPT=
      printf @MSG_EXPIRED_CLEAR@'\n' "$_awsenv_name" "$_awsenv_use" >&2
    elif [[ -n ${AWSENV_PROFILE-} ]]; then
      printf @MSG_EXPIRED_AWSENV@'\n' "$_awsenv_name" >&2
    else
      local _awsenv_tool
      _awsenv_tool_name
      printf @MSG_EXPIRED_OTHER@'\n' "$_awsenv_tool" >&2
    fi
  elif ((_awsenv_secs_left <= _awsenv_warn_secs)) && [[ -z $_awsenv_auto && ${_awsenv_announced-} != "soon $_awsenv_raw" ]]; then
    _awsenv_announced="soon $_awsenv_raw"
    if [[ -n ${AWSENV_PROFILE-} ]]; then
      printf @MSG_SOON_AWSENV@'\n' "$_awsenv_name" "$_awsenv_left_text" >&2
    else
      local _awsenv_tool
      _awsenv_tool_name
      printf @MSG_SOON_OTHER@'\n' "$_awsenv_tool" "$_awsenv_left_text" >&2
    fi
  fi
}

# _awsenv_hook keeps $? for the prompt and for the hooks that run after it.
# Its fast path, taken at nearly every prompt, is one comparison of the
# variables the hook reads with their values at the last update
# (_awsenv_seen_vars), and one of the clock with the time when what it
# shows next changes (_awsenv_next_change; bash 5: older bash always takes
# the slow path).
_awsenv_never=9223372036854775807
# What the auto-refresh remembers (session.Memory), numbers from the start.
_awsenv_failures=0 _awsenv_retry_at=0 _awsenv_session=0 _awsenv_capped=0
_awsenv_hook() {
  local _awsenv_status=$? _awsenv_vars="@WATCHED@"
  if [[ $_awsenv_vars != "${_awsenv_seen_vars-}" ]] || ((${EPOCHSECONDS:-$_awsenv_next_change} >= _awsenv_next_change)); then
    _awsenv_update 1
    _awsenv_seen_vars="@WATCHED@"
  fi
  return "$_awsenv_status"
}

# Install once, first, so that later hooks (starship, direnv) still see the
# status of the last command. PROMPT_COMMAND may be a string or, since
# bash 5.1, an array.
case " ${PROMPT_COMMAND[*]-} " in
*_awsenv_hook*) ;;
*)
  if [[ -n ${PROMPT_COMMAND[1]+set} ]]; then
    PROMPT_COMMAND=(_awsenv_hook "${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="_awsenv_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
  ;;
esac
