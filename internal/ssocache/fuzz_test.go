package ssocache

import (
	"encoding/json"
	"os"
	"testing"
)

// Whatever a token file holds, reading it never panics, and a token that
// reads writes back to one that reads the same.
func FuzzToken(f *testing.F) {
	for _, name := range []string{"cli-v2-token.json", "cli-v1-legacy-token.json", "cli-v2-registration.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"accessToken": "a", "expiresAt": "2026-12-01T10:00:00+01:00", "x": null}`))
	f.Add([]byte(`{"accessToken": "a", "expiresAt": "2026-12-01T10:00:00.123Z", "registrationExpiresAt": "2026-12-01 10:00:00.5+0130"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tok Token
		if err := json.Unmarshal(data, &tok); err != nil {
			return
		}
		out, err := json.Marshal(&tok)
		if err != nil {
			t.Fatalf("a token that read does not write: %v", err)
		}
		var again Token
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("a written token does not read: %v\n%s", err, out)
		}
		if !equalTokens(tok, again) {
			t.Fatalf("round trip changed the token:\n%+v\n%+v", tok, again)
		}
		var reg Registration
		if json.Unmarshal(data, &reg) == nil {
			if _, err := json.Marshal(&reg); err != nil {
				t.Fatal(err)
			}
		}
	})
}
