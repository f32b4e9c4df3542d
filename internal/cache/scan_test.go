package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	exp := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)
	for name, tt := range map[string]struct {
		body  string
		ok    bool
		entry bool
	}{
		"cli.json":     {`{"Credentials": {"Expiration": "2026-11-25T13:00:00+00:00"}}`, true, false},
		"cliZ.json":    {`{"Credentials": {"Expiration": "2026-11-25T13:00:00Z"}}`, true, false},
		"full.json":    {`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-11-25T13:00:00Z"}}`, true, true},
		"sso.json":     {`{"accessToken": "x", "expiresAt": "2026-11-25T13:00:00UTC"}`, true, false},
		"process.json": {`{"Version": 1, "Expiration": "2026-11-25T13:00:00Z"}`, true, false},
		"epoch.json":   {`{"expires": 1795611600}`, true, false},
		"bad.json":     {`{`, false, false},
		"none.json":    {`{"a": 1}`, false, false},
		"notime.json":  {`{"Expiration": "soon"}`, false, false},
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(tt.body), 0o600)
		f := Describe(NameCLI, path)
		if (f.Err == nil) != tt.ok || f.Entry != tt.entry {
			t.Errorf("%s: err %v, entry %v", name, f.Err, f.Entry)
		}
		if tt.ok && !f.Expires.Equal(exp) {
			t.Errorf("%s: expires %v, want %v", name, f.Expires, exp)
		}
	}
}

// TestScan: the files at the top of the folder, nothing below it.
func TestScan(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.json", "b.json", ".a.json.123.tmp", "tmpabc.tmp", "sub/c.json"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700)
		os.WriteFile(filepath.Join(dir, name), []byte(`{"Expiration": "2026-11-25T13:00:00Z"}`), 0o600)
	}
	files, err := Scan(NameCLI, dir)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f.Path))
	}
	if err != nil || strings.Join(names, " ") != "a.json b.json" {
		t.Errorf("Scan = %v, %v; want a.json b.json", names, err)
	}
	if f, err := Scan(NameCLI, filepath.Join(dir, "missing")); err != nil || len(f) != 0 {
		t.Errorf("missing folder: %v %v", f, err)
	}
	if runtime.GOOS != "windows" {
		os.Chmod(dir, 0o777)
		if _, err := Scan(NameCLI, dir); err == nil {
			t.Error("Scan read a folder anyone can write to")
		}
	}
}

func entryJSON(exp time.Time) string {
	return fmt.Sprintf(`{"Credentials": {"AccessKeyId": "ASIAX", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": %q}}`, exp.UTC().Format(time.RFC3339))
}

// TestDeleteExpiredOnlyCLIEntries: doctor --fix deletes an expired AWS CLI
// credentials entry at the top of the folder, and nothing else: no file
// of another name or content, nothing in a subfolder, nothing through a
// link (neither the link nor its target), nothing that changed since the
// scan.
func TestDeleteExpiredOnlyCLIEntries(t *testing.T) {
	now := time.Now()
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	key := func(c byte) string { return strings.Repeat(string(c), 40) + ".json" }
	dir := filepath.Join(t.TempDir(), "cache")
	elsewhere := t.TempDir()
	files := map[string]string{
		key('1'):                          entryJSON(past),   // deleted
		key('2'):                          entryJSON(future), // valid
		"notakey.json":                    entryJSON(past),
		strings.Repeat("A", 40) + ".json": entryJSON(past), // not botocore's lowercase hex
		"sub/" + key('3'):                 entryJSON(past),
		key('5'):                          `{"Credentials": {"Expiration": "2020-01-01T00:00:00Z"}}`, // no credentials
		key('6'):                          `{"startUrl": "https://x", "accessToken": "t", "expiresAt": "2020-01-01T00:00:00Z"}`,
		key('7'):                          entryJSON(past), // renewed after the scan
		key('8'):                          "{not json",
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(elsewhere, key('4'))
	os.WriteFile(target, []byte(entryJSON(past)), 0o600)
	link := filepath.Join(dir, key('4'))
	if err := os.Symlink(target, link); err != nil && runtime.GOOS != "windows" {
		t.Fatal(err)
	}

	scanned, err := Scan(NameCLI, dir)
	if err != nil {
		t.Fatal(err)
	}
	// Everything expired, as a careless scan would see it, is offered.
	var expired []File
	for _, f := range scanned {
		if f.Expired(now) {
			expired = append(expired, f)
		}
	}
	expired = append(expired, File{Cache: NameCLI, Path: filepath.Join(dir, "sub", key('3')), Expires: past, Entry: true})
	os.WriteFile(filepath.Join(dir, key('7')), []byte(entryJSON(future)), 0o600)

	deleted, err := DeleteExpired(expired, now)
	if err != nil {
		t.Error(err)
	}
	if want := []string{filepath.Join(dir, key('1'))}; fmt.Sprint(deleted) != fmt.Sprint(want) {
		t.Errorf("deleted %v, want %v", deleted, want)
	}
	var left []string
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			left = append(left, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(left)
	want := []string{}
	for name := range files {
		if name != key('1') {
			want = append(want, name)
		}
	}
	if runtime.GOOS != "windows" {
		want = append(want, key('4'))
	}
	sort.Strings(want)
	if fmt.Sprint(left) != fmt.Sprint(want) {
		t.Errorf("left %v\nwant %v", left, want)
	}
	if _, err := os.Stat(target); err != nil {
		t.Errorf("the link's target was deleted: %v", err)
	}
}

// TestCorruptNeverQuoted: what Describe says about a corrupt file never
// holds the file's content, which may be a secret.
func TestCorruptNeverQuoted(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	dir := t.TempDir()
	for name, body := range map[string]string{
		"truncated":      `{"Credentials": {"SecretAccessKey": "` + secret,
		"wrong types":    `{"Credentials": {"AccessKeyId": 1, "SecretAccessKey": "` + secret + `", "SessionToken": ["x"], "Expiration": "` + secret + `"}}`,
		"secret expiry":  `{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "` + secret + `"}}`,
		"binary":         "\x00\xff" + secret + "\x00",
		"huge":           `{"Credentials": {"SecretAccessKey": "` + secret + `"}}` + strings.Repeat(" ", maxFileSize),
		"bare secret":    secret,
		"number expiry":  `{"Expiration": 1e400, "x": "` + secret + `"}`,
		"credentials []": `{"Credentials": ["` + secret + `"]}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		os.WriteFile(path, []byte(body), 0o600)
		f := Describe(NameCLI, path)
		if f.Err == nil {
			t.Errorf("%s: no error, expires %v", name, f.Expires)
			continue
		}
		if strings.Contains(f.Err.Error(), secret[:8]) {
			t.Errorf("%s: the error quotes the content: %v", name, f.Err)
		}
		if _, err := Unmarshal([]byte(body)); err != nil && strings.Contains(err.Error(), secret[:8]) {
			t.Errorf("%s: Unmarshal's error quotes the content: %v", name, err)
		}
	}
}
