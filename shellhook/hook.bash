# awsenv hook for bash: put  eval "$(awsenv hook bash)"  in ~/.bashrc.
#
# awsenv (the function) evaluates what `awsenv use`, `clear` and `refresh`
# print, so they change this shell; everything else, and --help, goes
# straight to the binary. _awsenv_hook runs before each prompt: it keeps
# AWSENV_PROMPT current, warns once before AWS_CREDENTIAL_EXPIRATION and
# once after it, and with AWSENV_AUTO_REFRESH=1 renews AWSENV_PROFILE. While
# the credentials are fresh it starts no process (bash 4.2 or newer).

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
    # The whole output first and eval only on success: a failed
    # `awsenv use` leaves the credentials already here as they were.
    _awsenv_out=$(AWSENV_SHELL=bash @BIN@ "$@") || return
    eval "$_awsenv_out"
    ;;
  *) @BIN@ "$@" ;;
  esac
}

# _awsenv_epoch sets _awsenv_t to the Unix time of the RFC 3339 timestamp
# $1, or to "" when $1 is not one. Days-from-civil arithmetic: no date(1).
_awsenv_epoch() {
  _awsenv_t=
  local re='^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):?([0-9]{2}))?$'
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
  _awsenv_t=$(((era * 146097 + doe - 719468) * 86400 + H * 3600 + M * 60 + S - off))
}

# _awsenv_window sets _awsenv_w to the seconds in $1 (600, 90s, 10m,
# 1h30m), or to $2 when $1 is empty or not one of those.
_awsenv_window() {
  _awsenv_w=$2
  local secs='^[0-9]{1,9}$' hms='^(([0-9]{1,9})h)?(([0-9]{1,9})m)?(([0-9]{1,9})s)?$'
  if [[ $1 =~ $secs ]]; then
    _awsenv_w=$((10#$1))
  elif [[ -n $1 && $1 =~ $hms ]]; then
    _awsenv_w=$((10#${BASH_REMATCH[2]:-0} * 3600 + 10#${BASH_REMATCH[4]:-0} * 60 + 10#${BASH_REMATCH[6]:-0}))
  fi
}

# _awsenv_left sets _awsenv_l to the time left in $1 seconds: 45s, 42m,
# 1h05m, or expired.
_awsenv_left() {
  if (($1 <= 0)); then
    _awsenv_l=expired
  elif (($1 < 60)); then
    _awsenv_l=$1s
  elif (($1 < 3600)); then
    _awsenv_l=$(($1 / 60))m
  else
    printf -v _awsenv_l '%dh%02dm' $(($1 / 3600)) $(($1 / 60 % 60))
  fi
}

# _awsenv_update does the work of the prompt hook; $1 is 1 when it may
# run `awsenv refresh`. Parsed values are cached next to the string they
# came from and recomputed when it changes.
_awsenv_update() {
  _awsenv_until=$_awsenv_never
  if [[ -z ${AWS_ACCESS_KEY_ID-} ]]; then
    export AWSENV_PROMPT=
    return
  fi
  local _awsenv_p=${AWSENV_PROFILE:-${AWS_VAULT:-${AWS_PROFILE:-aws}}} _awsenv_x=${AWS_CREDENTIAL_EXPIRATION-}
  if [[ -z ${_awsenv_cx+set} || $_awsenv_x != "$_awsenv_cx" ]]; then
    _awsenv_cx=$_awsenv_x
    _awsenv_epoch "$_awsenv_x"
    _awsenv_ce=$_awsenv_t
  fi
  if [[ -z $_awsenv_ce ]]; then
    export AWSENV_PROMPT=$_awsenv_p
    return
  fi
  if [[ -z ${_awsenv_cwb+set} || ${AWSENV_WARN_BEFORE-} != "$_awsenv_cwb" ]]; then
    _awsenv_cwb=${AWSENV_WARN_BEFORE-}
    _awsenv_window "$_awsenv_cwb" @WARN@
    _awsenv_warn=$_awsenv_w
  fi
  if [[ -z ${_awsenv_crb+set} || ${AWSENV_REFRESH_BEFORE-} != "$_awsenv_crb" ]]; then
    _awsenv_crb=${AWSENV_REFRESH_BEFORE-}
    _awsenv_window "$_awsenv_crb" @REFRESH@
    _awsenv_refresh=$_awsenv_w
  fi
  local _awsenv_now=${EPOCHSECONDS-}
  [[ -n $_awsenv_now ]] || printf -v _awsenv_now '%(%s)T' -1 2>/dev/null || _awsenv_now=$(date +%s)
  local _awsenv_n=$((_awsenv_ce - _awsenv_now)) _awsenv_auto=
  # Nothing shown or said changes before the minute shown goes down, the
  # warning or refresh window opens, or the credentials expire.
  if ((_awsenv_n > 0)); then
    local _awsenv_next=$((_awsenv_n < 60 ? 1 : _awsenv_n % 60 + 1))
    ((_awsenv_n > _awsenv_warn && _awsenv_n - _awsenv_warn < _awsenv_next)) && _awsenv_next=$((_awsenv_n - _awsenv_warn))
    ((_awsenv_n > _awsenv_refresh && _awsenv_n - _awsenv_refresh < _awsenv_next)) && _awsenv_next=$((_awsenv_n - _awsenv_refresh))
    _awsenv_until=$((_awsenv_now + _awsenv_next))
  fi
  [[ ${AWSENV_AUTO_REFRESH:-@AUTO@} == 1 && -n ${AWSENV_PROFILE-} ]] && _awsenv_auto=1
  if [[ $1 == 1 && -n $_awsenv_auto ]] && ((_awsenv_n <= _awsenv_refresh)); then
    local _awsenv_key="due $_awsenv_x"
    ((_awsenv_n <= 0)) && _awsenv_key="expired $_awsenv_x"
    if [[ ${_awsenv_tried-} != "$_awsenv_key" ]]; then
      # Once per expiry value and phase; refresh says itself what happened,
      # never asks for input and gives up after AWSENV_REFRESH_TIMEOUT.
      _awsenv_tried=$_awsenv_key
      local _awsenv_out
      if _awsenv_out=$(AWSENV_SHELL=bash @BIN@ refresh --no-prompt --deadline "${AWSENV_REFRESH_TIMEOUT:-@TIMEOUT@}" </dev/null); then
        eval "$_awsenv_out"
      fi
      _awsenv_update 0
      return
    fi
  fi
  _awsenv_left $_awsenv_n
  export AWSENV_PROMPT="$_awsenv_p $_awsenv_l"
  if ((_awsenv_n <= 0)); then
    [[ ${_awsenv_said-} == "expired $_awsenv_x" ]] && return
    _awsenv_said="expired $_awsenv_x"
    if [[ ${AWSENV_ON_EXPIRY-} == clear ]]; then
      local _awsenv_u=${AWSENV_PROFILE:-PROFILE}
      unset @CLEAR@
      export AWSENV_PROMPT=
      printf 'awsenv: the credentials of profile %s expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use %s` for new ones\n' "$_awsenv_p" "$_awsenv_u" >&2
    elif [[ -n ${AWSENV_PROFILE-} ]]; then
      printf 'awsenv: the credentials of profile %s have expired: run `awsenv refresh` to renew them\n' "$_awsenv_p" >&2
    else
      printf 'awsenv: the credentials of profile %s have expired: renew them with the tool that set them, or run `awsenv use PROFILE`\n' "$_awsenv_p" >&2
    fi
  elif ((_awsenv_n <= _awsenv_warn)) && [[ -z $_awsenv_auto && ${_awsenv_said-} != "soon $_awsenv_x" ]]; then
    _awsenv_said="soon $_awsenv_x"
    if [[ -n ${AWSENV_PROFILE-} ]]; then
      printf 'awsenv: the credentials of profile %s expire in %s: run `awsenv refresh` to renew them\n' "$_awsenv_p" "$_awsenv_l" >&2
    else
      printf 'awsenv: the credentials of profile %s expire in %s: renew them with the tool that set them, or run `awsenv use PROFILE`\n' "$_awsenv_p" "$_awsenv_l" >&2
    fi
  fi
}

# _awsenv_hook keeps $? for the prompt and for the hooks that run after it.
# Its fast path, taken at nearly every prompt, is one comparison of the
# variables the hook reads with their values last time, and one of the
# clock with the time when what it shows next changes (bash 5; older bash
# always takes the slow path).
_awsenv_never=9223372036854775807
_awsenv_hook() {
  local _awsenv_status=$? _awsenv_k="${AWS_ACCESS_KEY_ID:+1}|${AWS_CREDENTIAL_EXPIRATION-}|${AWSENV_PROFILE-}|${AWS_VAULT-}|${AWS_PROFILE-}|${AWSENV_WARN_BEFORE-}|${AWSENV_REFRESH_BEFORE-}|${AWSENV_AUTO_REFRESH-}|${AWSENV_ON_EXPIRY-}|${AWSENV_PROMPT-}"
  if [[ $_awsenv_k != "${_awsenv_key-}" ]] || ((${EPOCHSECONDS:-$_awsenv_until} >= _awsenv_until)); then
    _awsenv_update 1
    _awsenv_key="${AWS_ACCESS_KEY_ID:+1}|${AWS_CREDENTIAL_EXPIRATION-}|${AWSENV_PROFILE-}|${AWS_VAULT-}|${AWS_PROFILE-}|${AWSENV_WARN_BEFORE-}|${AWSENV_REFRESH_BEFORE-}|${AWSENV_AUTO_REFRESH-}|${AWSENV_ON_EXPIRY-}|${AWSENV_PROMPT-}"
  fi
  return $_awsenv_status
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
