package awsconfig

import (
	"maps"
	"slices"
)

// SSOSessions returns the names of the [sso-session NAME] sections of the
// config file, sorted: what `awsenv login` picks from when it is told none.
func (c *Config) SSOSessions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buildIndex()
	return slices.Sorted(maps.Keys(c.ssoIdx))
}
