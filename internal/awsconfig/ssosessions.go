package awsconfig

import "sort"

// SSOSessions returns the names of the [sso-session NAME] sections,
// sorted: what `awsenv login` picks from when it is told none.
func (c *Config) SSOSessions() []string {
	names := make([]string, 0, len(c.ssoSessions))
	for n := range c.ssoSessions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
