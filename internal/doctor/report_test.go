package doctor

import (
	"bytes"
	"encoding/json"
	"github.com/awsenv/awsenv/internal/testenv"
	"reflect"
	"strings"
	"testing"
)

func TestSettingsShowNoSecrets(t *testing.T) {
	cfg := testenv.LoadShared(t, testenv.SampleConfig, testenv.SampleCredentials+"[tok]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = "+secret+"\naws_session_token = "+token+"\n")
	env := map[string]string{}
	for _, name := range []string{"base", "tok", "proc", "app"} {
		rows := Settings(cfg, name, "--profile", true, func(k string) string { return env[k] })
		var b bytes.Buffer
		WriteSettings(&b, rows)
		out := b.String()
		for _, s := range []string{secret, token, "AKIAIOSFODNN7EXAMPLE", "hunter2"} {
			if strings.Contains(out, s) {
				t.Errorf("%s: table shows %q:\n%s", name, s, out)
			}
		}
	}
	rows := Settings(cfg, "base", "AWS_PROFILE", false, func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "ASIAXXXXXXXXXXXXTGN7", "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-west-2"}[k]
	})
	want := []Setting{
		{"profile", "base", "env", "AWS_PROFILE"},
		{"access_key", "****TGN7", "env", "AWS_ACCESS_KEY_ID"},
		{"secret_key", "****(hidden, 40 characters)", "env", "AWS_SECRET_ACCESS_KEY"},
		{"region", "us-west-2", "env", "AWS_REGION"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Settings =\n%v\nwant\n%v", rows, want)
	}
}

func TestReportText(t *testing.T) {
	r := Report{Version: ReportVersion, Profile: "app", ProfileSource: "from AWS_PROFILE"}
	r.Add(Finding{Check: "env", Status: OK, Title: "Credential variables", Found: "none"},
		Finding{Check: "clock", Status: Error, Title: "Clock skew", Found: "10m", Why: "because", Fix: "sync"},
		Finding{Check: "tooling", Status: Warning, Title: "AWS CLI v1", Found: "1.x"})
	var plain, term bytes.Buffer
	r.WriteText(&plain, Style{})
	r.WriteText(&term, Style{Terminal: true})
	if strings.Contains(plain.String(), "\x1b[") || !strings.Contains(plain.String(), "[error]") {
		t.Errorf("piped output:\n%s", plain.String())
	}
	if !strings.Contains(term.String(), "\x1b[31m✗") {
		t.Errorf("terminal output:\n%q", term.String())
	}
	if !r.Failed() || r.Summary != (Summary{OK: 1, Warning: 1, Error: 1}) {
		t.Errorf("summary %+v", r.Summary)
	}
	var j bytes.Buffer
	r.WriteJSON(&j)
	var back map[string]any
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "profile", "profile_source", "settings", "findings", "summary"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
}
