package cache

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
)

// SSOTokenKey names the SSO login cache file (~/.aws/sso/cache/KEY.json)
// shared by the AWS CLI v2, botocore and the SDKs: the SHA-1, in hex, of the
// sso-session name, or of the start URL for a legacy profile without one
// (botocore's SSOTokenLoader._generate_cache_key, the Go SDK's
// ssocreds.StandardCachedTokenFilepath).
func SSOTokenKey(sessionName, startURL string) string {
	in := startURL
	if sessionName != "" {
		in = sessionName
	}
	sum := sha1.Sum([]byte(in))
	return hex.EncodeToString(sum[:])
}

// SSORegistrationKey names the file in which the AWS CLI v2 keeps its SSO
// OIDC client registration: the SHA-1 of Python's json.dumps(args,
// sort_keys=True) of {"tool": "botocore", "startUrl", "region", "scopes",
// "session_name"} (BaseSSOTokenFetcher._registration_cache_key in
// awscli/botocore/utils.py). scopes nil and sessionName "" are Python's
// None, which is how the CLI hashes a session without
// sso_registration_scopes and a legacy profile; the device and the
// authorization code flows share the key and tell their registrations apart
// by the file's grantTypes.
func SSORegistrationKey(startURL, region, sessionName string, scopes []string) string {
	args := map[string]any{
		"tool":         "botocore",
		"startUrl":     startURL,
		"region":       region,
		"scopes":       nil,
		"session_name": nil,
	}
	if scopes != nil {
		list := make([]any, len(scopes))
		for i, s := range scopes {
			list[i] = s
		}
		args["scopes"] = list
	}
	if sessionName != "" {
		args["session_name"] = sessionName
	}
	var b bytes.Buffer
	// Cannot fail: only strings, lists of strings and None.
	_ = pyDumps(&b, args)
	return hashHex(b.Bytes())
}
