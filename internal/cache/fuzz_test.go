package cache

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzUnmarshal: whatever a cache file holds, reading it never panics, and
// what it accepts is complete and survives a write and a read.
func FuzzUnmarshal(f *testing.F) {
	good, _ := testEntry(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)).Marshal()
	for _, s := range []string{
		string(good), "", "{}", "null", `{"Credentials":{}}`,
		`{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-11-25T20:44:02UTC"}}`,
		`{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-11-25 20:44:02+00:00"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Unmarshal(data)
		if err != nil {
			return
		}
		c := e.Credentials
		if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration.IsZero() {
			t.Fatalf("accepted an incomplete entry: %+v", e)
		}
		out, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unmarshal(out)
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, out)
		}
		if back.Credentials.AccessKeyID != c.AccessKeyID || !back.Credentials.Expiration.Equal(c.Expiration.Truncate(time.Second)) {
			t.Fatalf("round trip changed %+v into %+v", c, back.Credentials)
		}
	})
}

// FuzzPyString: the key's JSON strings read back as the string they
// encode, in printable ASCII only, as Python's ensure_ascii writes them.
func FuzzPyString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\s/<>&\n\r\t\b\f\x01\x7f", "ü\u2028😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // config values are text; Python would not hold these either
		}
		var b bytes.Buffer
		pyString(&b, s)
		for _, c := range b.Bytes() {
			if c < ' ' || c > '~' {
				t.Fatalf("byte %#x in %q", c, b.String())
			}
		}
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil || back != s {
			t.Fatalf("%q encoded as %s reads back as %q (%v)", s, b.String(), back, err)
		}
	})
}

// FuzzDescribe: whatever a file in a cache folder holds, describing it
// never panics, and what it says of a file it cannot read is one of its
// own fixed reasons, never a part of the content (which may be a secret).
func FuzzDescribe(f *testing.F) {
	good, _ := testEntry(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)).Marshal()
	for _, s := range []string{
		string(good), "", "{", "null", "[]", `{"Credentials":[]}`, `{"expires": 1795611600}`, `{"expiresAt": 1e400}`,
		`{"accessToken": "x", "expiresAt": "2026-11-25T13:00:00UTC"}`, `{"Expiration": "secret-looking"}`, "\x00\xff",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	reasons := map[string]bool{"not valid JSON": true, "no expiry in the entry": true}
	for _, k := range []string{"Expiration", "expiration", "Expires", "expires", "expiresAt", "ExpiresAt"} {
		reasons[k+" is not a time"] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		d := Describe(NameCLI, path)
		if d.Err != nil && !reasons[d.Err.Error()] {
			t.Fatalf("unexpected reason %q", d.Err)
		}
		if d.Entry {
			if _, err := Unmarshal(data); err != nil {
				t.Fatalf("an entry Unmarshal refuses: %v", err)
			}
		}
	})
}
