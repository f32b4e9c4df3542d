package cache

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// AssumeRoleArgs are the AssumeRole parameters the AWS CLI hashes into the
// name of a cache file. A nil field was not configured and is left out of
// the hash, exactly as botocore leaves it out of its request arguments.
type AssumeRoleArgs struct {
	RoleArn         string
	RoleSessionName *string
	ExternalID      *string
	SerialNumber    *string
	DurationSeconds *int64
	// Policy is a JSON document. botocore parses it and hashes it re-encoded
	// with sorted keys, so that key order does not change the file name.
	Policy *string
}

// Key is the AWS CLI's cache key for a: the SHA-1, in hex, of Python's
// json.dumps(args, sort_keys=True) (botocore's
// BaseAssumeRoleCredentialFetcher._create_cache_key), passed through its
// _make_file_safe, which cannot change a hex digest.
func (a AssumeRoleArgs) Key() (string, error) {
	m := map[string]any{"RoleArn": a.RoleArn}
	if a.RoleSessionName != nil && *a.RoleSessionName != "" {
		// An empty name makes botocore generate one, and a generated
		// name is never hashed.
		m["RoleSessionName"] = *a.RoleSessionName
	}
	if a.ExternalID != nil {
		m["ExternalId"] = *a.ExternalID
	}
	if a.SerialNumber != nil {
		m["SerialNumber"] = *a.SerialNumber
	}
	if a.DurationSeconds != nil {
		m["DurationSeconds"] = json.Number(strconv.FormatInt(*a.DurationSeconds, 10))
	}
	if a.Policy != nil {
		d := json.NewDecoder(strings.NewReader(*a.Policy))
		d.UseNumber()
		var p any
		if err := d.Decode(&p); err != nil {
			return "", fmt.Errorf("policy is not JSON: %w", err)
		}
		m["Policy"] = p
	}
	var b bytes.Buffer
	if err := pyDumps(&b, m); err != nil {
		return "", err
	}
	return hashHex(b.Bytes()), nil
}

func hashHex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// DefaultDuration is the session length STS gives when AssumeRole names
// none, which is what the AWS CLI sends for a profile without
// duration_seconds.
const DefaultDuration = time.Hour

// ProfileArgs returns the arguments the AWS CLI hashes for profile p, a
// role assumed from a source_profile, when awsenv asks for a session of
// length requested (0: none asked for). ok is false for any other kind of
// profile, whose credentials awsenv does not cache.
//
// The CLI hashes DurationSeconds only when the profile sets
// duration_seconds. awsenv hashes the duration it actually requests, as if
// the profile said so, except that a request for STS's default hour from
// a profile without duration_seconds hashes like the CLI's request without
// DurationSeconds: both give the same one-hour credentials. So `awsenv
// use P` and `aws --profile P` share one file in every common case, and a
// `--duration 8h` session is never handed out for a one-hour request.
func ProfileArgs(p *awsconfig.Profile, requested time.Duration) (args AssumeRoleArgs, ok bool) {
	if p == nil {
		return args, false
	}
	roleArn := p.Get("role_arn")
	if roleArn == "" || p.Get("source_profile") == "" || has(p, "credential_source") || has(p, "web_identity_token_file") {
		return args, false
	}
	args.RoleArn = roleArn
	// botocore includes a key that is present, even when its value is
	// empty; only the session name is dropped when empty (see Key).
	args.RoleSessionName = optional(p, "role_session_name")
	args.ExternalID = optional(p, "external_id")
	args.SerialNumber = optional(p, "mfa_serial")
	configured, hasConfigured := pyInt(p.Get("duration_seconds"))
	switch {
	case requested > 0 && (hasConfigured || requested != DefaultDuration):
		s := int64(requested / time.Second)
		args.DurationSeconds = &s
	case requested <= 0 && hasConfigured:
		args.DurationSeconds = &configured
	}
	return args, true
}

func has(p *awsconfig.Profile, key string) bool {
	_, ok := p.Keys[key]
	return ok
}

func optional(p *awsconfig.Profile, key string) *string {
	v, ok := p.Keys[key]
	if !ok {
		return nil
	}
	s := v.Value
	return &s
}

// pyInt parses s as Python's int() does for the values a config file can
// hold; botocore ignores duration_seconds when int() fails.
func pyInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || strings.HasPrefix(digits, "_") || strings.HasSuffix(digits, "_") || strings.Contains(digits, "__") {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	return n, err == nil
}

// pyDumps writes v as Python's json.dumps(v, sort_keys=True) does with its
// defaults: separators ", " and ": ", ensure_ascii (every character outside
// printable ASCII as \uXXXX, astral ones as surrogate pairs).
func pyDumps(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		pyString(b, v)
	case json.Number:
		s, err := pyNumber(v)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := pyDumps(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		// Python compares str by code point; UTF-8 byte order is the same.
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			pyString(b, k)
			b.WriteString(": ")
			if err := pyDumps(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("cannot hash a %T", v)
	}
	return nil
}

func pyString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	u4 := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hexDigits[(r>>shift)&0xf])
		}
	}
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			u4(0xd800 + (r>>10)&0x3ff)
			u4(0xdc00 + r&0x3ff)
		default:
			u4(r)
		}
	}
	b.WriteByte('"')
}

// pyNumber writes a JSON number as Python's json.loads then json.dumps
// do: integers exactly, other numbers as float's repr.
func pyNumber(n json.Number) (string, error) {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		i, ok := normInt(s)
		if !ok {
			return "", fmt.Errorf("bad number %q", s)
		}
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return "", fmt.Errorf("bad number %q", s)
	}
	return pyFloatRepr(f), nil
}

// normInt normalises an integer literal ("-0" is "0") without a size
// limit, as Python's int does.
func normInt(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return "", false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", true
	}
	if neg {
		return "-" + digits, true
	}
	return digits, true
}

// pyFloatRepr is Python's repr(float): the shortest digits that round
// trip, positional for exponents -4 to 15, else d.ddde±XX.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // e.g. -1.2345e+06
	sign := ""
	if strings.HasPrefix(e, "-") {
		sign, e = "-", e[1:]
	}
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	if -4 <= exp && exp < 16 {
		var out string
		switch {
		case exp < 0:
			out = "0." + strings.Repeat("0", -exp-1) + digits
		case exp+1 >= len(digits):
			out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		default:
			out = digits[:exp+1] + "." + digits[exp+1:]
		}
		return sign + out
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := "+"
	if exp < 0 {
		es, exp = "-", -exp
	}
	return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
}

// SSOKey is the AWS CLI's cache key for the role credentials of SSO
// profile p (botocore's SSOCredentialFetcher._create_cache_key: compact
// JSON with sorted keys, the session name or, for the legacy form, the
// start URL).
func SSOKey(p *awsconfig.Profile) string {
	var b bytes.Buffer
	field := func(sep, name, value string) {
		b.WriteString(sep + `"` + name + `":`)
		pyString(&b, value)
	}
	field("{", "accountId", p.Get("sso_account_id"))
	field(",", "roleName", p.Get("sso_role_name"))
	if sess := p.Get("sso_session"); sess != "" {
		field(",", "sessionName", sess)
	} else {
		field(",", "startUrl", p.Get("sso_start_url"))
	}
	b.WriteByte('}')
	return hashHex(b.Bytes())
}

// MFASessionKey names awsenv's cached MFA session for a source profile,
// its access key and an MFA device. The access key is part of it so that
// a profile pointed at another IAM user never gets the old user's session.
func MFASessionKey(sourceProfile, accessKeyID, serial string) string {
	var b bytes.Buffer
	// Cannot fail: only strings.
	_ = pyDumps(&b, map[string]any{"Profile": sourceProfile, "AccessKeyId": accessKeyID, "SerialNumber": serial})
	return hashHex(b.Bytes())
}

// fileSafe is botocore's _make_file_safe, for keys that are not hex.
func fileSafe(key string) string {
	return strings.NewReplacer(":", "_", string(os.PathSeparator), "_", "/", "_").Replace(key)
}
