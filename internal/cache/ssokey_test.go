package cache

import "testing"

// The expected names were computed with CPython 3's json.dumps(args,
// sort_keys=True) and hashlib.sha1, as awscli/botocore/utils.py does.
func TestSSORegistrationKey(t *testing.T) {
	const url = "https://corp.awsapps.com/start"
	tests := []struct {
		name, startURL, region, session string
		scopes                          []string
		want                            string
	}{
		{"session without scopes", url, "eu-west-1", "corp", nil, "a5ef4a75f83137c047e4ff336d1dade82162017b"},
		{"session with scopes", url, "eu-west-1", "corp", []string{"sso:account:access"}, "787ef34d0a944c01385765faa28b5e67d1c08f33"},
		{"legacy profile", url, "us-east-1", "", nil, "ffb6eff0a547e7a6123046d5853a4c054139b507"},
		{"non-ASCII session, two scopes", "https://x/start", "us-east-1", "Zürich", []string{"a", "b"}, "1cfa5428e885f28c83f9c987f982287538ed54a3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SSORegistrationKey(tt.startURL, tt.region, tt.session, tt.scopes); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSSOTokenKey(t *testing.T) {
	if got, want := SSOTokenKey("corp", "https://corp.awsapps.com/start"), "ee0bfd2552fbd840c02cc48b6e823320543c450f"; got != want {
		t.Errorf("session: got %s, want %s", got, want)
	}
	if got, want := SSOTokenKey("", "https://corp.awsapps.com/start"), "a51746d4aa793ae07b25e90c3a5db96fc7832bd7"; got != want {
		t.Errorf("legacy: got %s, want %s", got, want)
	}
}
