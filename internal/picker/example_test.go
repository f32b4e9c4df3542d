package picker_test

import (
	"fmt"

	"github.com/awsenv/awsenv/internal/picker"
)

func ExampleMatch() {
	// What the picker searches: profile, account ID, SSO account, role.
	s := "prod-admin 123456789012 Production arn:aws:iam::123456789012:role/Admin"
	for _, pattern := range []string{"prod", "pa", "9012", "rl/adm"} {
		r, ok := picker.Match(pattern, s)
		fmt.Printf("%s: %v, %v at %v\n", pattern, ok, r.Rank, r.Positions)
	}
	// Output:
	// prod: true, prefix at [0 1 2 3]
	// pa: true, word boundary at [0 5]
	// 9012: true, contiguous at [19 20 21 22]
	// rl/adm: true, scattered at [61 63 65 66 67 68]
}
