package awsconfig_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// A resolver walks the chain from its last hop, which says where the
// first credentials come from, back to the first, assuming each role.
func ExampleConfig_Chain() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	config := filepath.Join(dir, "config")
	os.WriteFile(config, []byte(`[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = base
duration_seconds = 7200
Region = eu-west-1 # Ireland
`), 0o600)
	credentials := filepath.Join(dir, "credentials")
	os.WriteFile(credentials, []byte("[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"), 0o600)

	cfg, err := awsconfig.LoadFiles(config, credentials)
	if err != nil {
		fmt.Println(err)
		return
	}
	hops, err := cfg.Chain("app")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h := hops[i]
		fmt.Printf("%s: %s %s %v %q\n", h.Profile.Name, h.Kind, h.RoleARN.Value, h.Duration, h.Region.Value)
	}
	// Output:
	// base: static  0s ""
	// app: role arn:aws:iam::123456789012:role/app 2h0m0s "eu-west-1"
}
