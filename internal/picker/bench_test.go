package picker

import (
	"fmt"
	"testing"
)

// ssoItems is what an SSO-generated config of n profiles looks like: one
// profile per account and permission set.
func ssoItems(n int) []Item {
	roles := []string{"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "Billing"}
	envs := []string{"prod", "staging", "dev", "sandbox", "shared"}
	items := make([]Item, n)
	for i := range items {
		acct := fmt.Sprintf("%012d", 100000000000+i/len(roles)*7919)
		team := fmt.Sprintf("team%03d", i/len(roles)/len(envs))
		env := envs[i/len(roles)%len(envs)]
		role := roles[i%len(roles)]
		items[i] = Item{
			Profile:    fmt.Sprintf("%s-%s-%s", team, env, role),
			Account:    acct,
			SSOAccount: team + " " + env,
			Role:       role,
			Region:     "eu-west-1",
			Kind:       "sso",
		}
	}
	return items
}

// BenchmarkFilterTyping types a query into 10,000 profiles a key at a
// time, as the picker filters: each keystroke is one iteration's share.
func BenchmarkFilterTyping(b *testing.B) {
	items := ssoItems(10000)
	for _, query := range []string{"team042prodadmin", "7919", "readonly"} {
		b.Run(query, func(b *testing.B) {
			f := newFilter(items)
			for b.Loop() {
				f.levels = f.levels[:1]
				for i := 1; i <= len(query); i++ {
					f.set(query[:i])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(query)), "µs/key")
		})
	}
}

// BenchmarkFilterKey is one keystroke from scratch: every one of 10,000
// profiles is matched (a pasted query, or the first key).
func BenchmarkFilterKey(b *testing.B) {
	f := newFilter(ssoItems(10000))
	for b.Loop() {
		f.levels = f.levels[:1]
		f.set("adm")
	}
}

// BenchmarkFrame draws the picker over 10,000 profiles.
func BenchmarkFrame(b *testing.B) {
	m := newModel(ssoItems(10000), Options{})
	press(m, "prod")
	for b.Loop() {
		m.frame(200, 50, true)
	}
}

// BenchmarkNewFilter is the start-up cost of preparing 10,000 profiles.
func BenchmarkNewFilter(b *testing.B) {
	items := ssoItems(10000)
	for b.Loop() {
		newFilter(items)
	}
}
