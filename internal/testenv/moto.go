package testenv

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Moto is a moto_server child process serving the AWS APIs on 127.0.0.1.
//
// Calls are counted from moto's request recorder. moto 5.2 keeps no request
// log otherwise: /moto-api/data.json dumps model instances, and STS leaves
// none for GetCallerIdentity, and the same Token model for GetSessionToken and
// GetFederationToken. Started with MOTO_ENABLE_RECORDING=true, the server
// appends every request it receives (except /moto-api/recorder/*), before
// handling it, as one JSON line to the file MOTO_RECORDER_FILEPATH; the body
// is base64-encoded when it was bytes. STS speaks the AWS query protocol, so
// the action is the form field Action, next to Version=2011-06-15.
type Moto struct {
	url       string
	recording string // the file moto appends recorded requests to
}

// stsVersion is the Version form field of every STS request, which tells STS
// calls from those of other query-protocol services.
const stsVersion = "2011-06-15"

// StartMoto starts moto_server on a free port and stops it when the test ends.
func StartMoto(t testing.TB) *Moto {
	t.Helper()
	path := LookPath(t, "moto_server")
	dir := t.TempDir()
	port := FreePort(t)
	m := &Moto{
		url:       "http://127.0.0.1:" + strconv.Itoa(port),
		recording: filepath.Join(dir, "recording.jsonl"),
	}

	logPath := filepath.Join(dir, "moto.log")
	log, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(),
		"MOTO_ENABLE_RECORDING=true",
		"MOTO_RECORDER_FILEPATH="+m.recording,
	)
	cmd.Stdout = log
	cmd.Stderr = log
	// moto_server is often a shim (pyenv) that may leave python as a child:
	// its own process group lets the cleanup kill them all.
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		killGroup(cmd)
		<-exited
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("moto_server log:\n%s", out)
		}
	})

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get(m.url + "/moto-api/config")
		if err == nil {
			resp.Body.Close()
			return m
		}
		select {
		case err := <-exited:
			out, _ := os.ReadFile(logPath)
			t.Fatalf("moto_server exited: %v\n%s", err, out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("moto_server not answering on %s after 20s: %v\n%s", m.url, err, out)
		}
	}
}

// URL returns the endpoint URL, such as "http://127.0.0.1:54321".
func (m *Moto) URL() string { return m.url }

// Reset clears moto's state and its request recording.
func (m *Moto) Reset(t testing.TB) {
	t.Helper()
	for _, path := range []string{"/moto-api/reset", "/moto-api/recorder/reset-recording"} {
		resp, err := http.Post(m.url+path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
	}
}

// Calls returns how many STS calls with the given action, such as
// "AssumeRole", moto has received since it started or was last Reset.
// Failed calls count too: a test usually wants to know what was attempted.
// An SDK's retries of one call share an amz-sdk-invocation-id header and
// count once: moto's development server now and then drops a connection
// after a 200, and the SDK sends the call again.
func (m *Moto) Calls(t testing.TB, action string) int {
	t.Helper()
	f, err := os.Open(m.recording)
	if os.IsNotExist(err) {
		return 0 // moto creates the file on the first request
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	n := 0
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20) // a line holds a whole request body
	for sc.Scan() {
		var req struct {
			URL         string            `json:"url"`
			Body        string            `json:"body"`
			BodyEncoded bool              `json:"body_encoded"`
			Headers     map[string]string `json:"headers"`
		}
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			t.Fatalf("moto recording %s: %v", m.recording, err)
		}
		if stsAction(req.URL, req.Body, req.BodyEncoded) != action {
			continue
		}
		if id := invocationID(req.Headers); id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func invocationID(headers map[string]string) string {
	for k, v := range headers {
		if strings.EqualFold(k, "amz-sdk-invocation-id") {
			return v
		}
	}
	return ""
}

// stsAction returns the STS action of a recorded request, or "" if it is not
// an STS request. The parameters are in the body of a POST and in the query
// string of a GET.
func stsAction(rawURL, body string, encoded bool) string {
	if encoded {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return ""
		}
		body = string(b)
	}
	form, _ := url.ParseQuery(body)
	if form.Get("Action") == "" {
		if u, err := url.Parse(rawURL); err == nil {
			form = u.Query()
		}
	}
	if form.Get("Version") != stsVersion {
		return ""
	}
	return form.Get("Action")
}
