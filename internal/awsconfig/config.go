package awsconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Config is the pair of shared files as one view.
type Config struct {
	ConfigFile      string
	CredentialsFile string

	profiles    map[string]*Profile
	ssoSessions map[string]*Section
	services    map[string]*Section
}

// Profile is a profile's keys merged from both files. Keys from the
// credentials file win, as in the CLI and SDKs.
type Profile struct {
	Name string
	Keys map[string]Value
	// Sections are the headers that define the profile, config file first.
	Sections []*Section
}

// Get returns the value of key, or "".
func (p *Profile) Get(key string) string { return p.Keys[key].Value }

// Paths returns the config and credentials file paths, honouring
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.
func Paths() (configFile, credentialsFile string) {
	home, _ := os.UserHomeDir()
	configFile = expand(os.Getenv("AWS_CONFIG_FILE"), home)
	if configFile == "" {
		configFile = filepath.Join(home, ".aws", "config")
	}
	credentialsFile = expand(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), home)
	if credentialsFile == "" {
		credentialsFile = filepath.Join(home, ".aws", "credentials")
	}
	return configFile, credentialsFile
}

func expand(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}

// Load reads both shared files. A missing file is an empty one, as for the
// CLI; an unreadable or malformed one is an error that names it.
func Load() (*Config, error) {
	cf, crf := Paths()
	return LoadFiles(cf, crf)
}

// LoadFiles reads the given config and credentials files.
func LoadFiles(configFile, credentialsFile string) (*Config, error) {
	c := &Config{
		ConfigFile:      configFile,
		CredentialsFile: credentialsFile,
		profiles:        map[string]*Profile{},
		ssoSessions:     map[string]*Section{},
		services:        map[string]*Section{},
	}
	for _, f := range []struct {
		path   string
		config bool
	}{{configFile, true}, {credentialsFile, false}} {
		data, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.path, err)
		}
		sections, err := parseINI(f.path, data)
		if err != nil {
			return nil, err
		}
		for _, s := range sections {
			c.add(s, f.config)
		}
	}
	return c, nil
}

// add files a section under the rules of its file: in the config file a
// profile is [default] or [profile NAME] (a bare [NAME] is ignored by the
// CLI, and so here), in the credentials file every [NAME] is a profile.
func (c *Config) add(s *Section, inConfig bool) {
	name := s.Header
	if inConfig {
		kind, rest, _ := strings.Cut(s.Header, " ")
		rest = strings.TrimSpace(rest)
		switch {
		case s.Header == "default":
		case kind == "profile" && rest != "":
			name = rest
		case kind == "sso-session" && rest != "":
			c.ssoSessions[rest] = merge(c.ssoSessions[rest], s)
			return
		case kind == "services" && rest != "":
			c.services[rest] = merge(c.services[rest], s)
			return
		default:
			return
		}
	}
	p := c.profiles[name]
	if p == nil {
		p = &Profile{Name: name, Keys: map[string]Value{}}
		c.profiles[name] = p
	}
	p.Sections = append(p.Sections, s)
	for k, v := range s.Keys {
		p.Keys[k] = v
	}
}

// merge joins a repeated section into the first, later keys winning, as
// the CLI's parser does with duplicate sections.
func merge(into, s *Section) *Section {
	if into == nil {
		return s
	}
	for k, v := range s.Keys {
		into.Keys[k] = v
	}
	return into
}

// Profile returns the named profile.
func (c *Config) Profile(name string) (*Profile, bool) {
	p, ok := c.profiles[name]
	return p, ok
}

// Profiles returns every profile name, sorted.
func (c *Config) Profiles() []string {
	names := make([]string, 0, len(c.profiles))
	for n := range c.profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SSOSession returns an [sso-session NAME] section.
func (c *Config) SSOSession(name string) (*Section, bool) {
	s, ok := c.ssoSessions[name]
	return s, ok
}

// Services returns a [services NAME] section.
func (c *Config) Services(name string) (*Section, bool) {
	s, ok := c.services[name]
	return s, ok
}
