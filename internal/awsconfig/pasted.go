package awsconfig

import "strings"

// PastedSession reports whether profile p holds temporary credentials
// pasted into a file, the seed of "the security token included in the
// request is expired": an aws_session_token, or the access key id of a
// session (ASIA…, which never works without one). It returns the value
// that shows it, for its file and line.
func PastedSession(p *Profile) (Value, bool) {
	if v, ok := p.Keys["aws_session_token"]; ok && v.Value != "" {
		return v, true
	}
	if v, ok := p.Keys["aws_access_key_id"]; ok && strings.HasPrefix(v.Value, "ASIA") {
		return v, true
	}
	return Value{}, false
}
