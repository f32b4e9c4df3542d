package awsconfig

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"
)

// Config is the pair of shared files as one view.
type Config struct {
	ConfigFile      string
	CredentialsFile string

	files    [2]*parsed // config, credentials; nil for a missing file
	index    map[string]int32
	profiles []profileRef
	ssoIdx   map[string]*chainRef
	svcIdx   map[string]*chainRef
	warnings []Warning

	mu          sync.Mutex // guards the maps built on demand below
	built       map[string]*Profile
	ssoSessions map[string]*Section
	services    map[string]*Section
}

const (
	inConfig      = 0
	inCredentials = 1
)

// chainRef is the first and last section of a name in one file, linked
// through rawSection.next.
type chainRef struct{ head, tail int32 }

func (r *chainRef) add(secs []rawSection, i int32) {
	if r.head < 0 {
		r.head, r.tail = i, i
		return
	}
	secs[r.tail].next = i
	r.tail = i
}

// profileRef is a profile's sections in each file.
type profileRef struct {
	name  string
	files [2]chainRef
}

// Profile is a profile's keys merged from both files. Keys from the
// credentials file win, as in the CLI and SDKs.
type Profile struct {
	Name string
	Keys map[string]Value
	// Sections are the headers that define the profile, config file first.
	Sections []*Section

	credentialsFile string // to tell the files apart in kindOf
}

// Get returns the value of key, or "".
func (p *Profile) Get(key string) string { return p.Keys[key].Value }

// Load reads both shared files (SharedFiles). A missing file is an empty
// one, as for the CLI; an unreadable or malformed one is an error that
// names it.
func Load() (*Config, error) {
	cf, crf, err := SharedFiles()
	if err != nil {
		return nil, err
	}
	return LoadFiles(cf, crf)
}

// LoadFiles reads the given config and credentials files.
func LoadFiles(configFile, credentialsFile string) (*Config, error) {
	var texts [2]*string
	for i, path := range []string{configFile, credentialsFile} {
		text, err := readFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		texts[i] = &text
	}
	return fromTexts(configFile, credentialsFile, texts)
}

// fromTexts is LoadFiles on the files' contents; nil is a missing file.
func fromTexts(configFile, credentialsFile string, texts [2]*string) (*Config, error) {
	c := &Config{ConfigFile: configFile, CredentialsFile: credentialsFile}
	for i, path := range []string{configFile, credentialsFile} {
		if texts[i] == nil {
			continue
		}
		var err error
		if c.files[i], err = parse(path, *texts[i]); err != nil {
			return nil, err
		}
	}
	c.buildIndex()
	return c, nil
}

// buildIndex files every section under the rules of its file (README.md):
// in the config file a profile is [default] or [profile NAME], with
// [profile default] shadowing [default]; in the credentials file a profile
// is [NAME] and [profile NAME] is ignored.
func (c *Config) buildIndex() {
	n := 0
	for _, f := range c.files {
		if f != nil {
			n += len(f.sections)
			c.warnings = append(c.warnings, f.warnings...)
		}
	}
	c.index = make(map[string]int32, n)
	c.profiles = make([]profileRef, 0, n)
	ref := func(name string) *profileRef {
		i, ok := c.index[name]
		if !ok {
			i = int32(len(c.profiles))
			c.index[name] = i
			c.profiles = append(c.profiles, profileRef{name: name, files: [2]chainRef{{-1, -1}, {-1, -1}}})
		}
		return &c.profiles[i]
	}
	if f := c.files[inConfig]; f != nil {
		bare := chainRef{-1, -1} // [default] sections, used only without [profile default]
		prefixed := false
		for i := range f.sections {
			s := &f.sections[i]
			header := f.str(s.header)
			typ, name := splitHeader(header)
			switch {
			case header == "default":
				bare.add(f.sections, int32(i))
			case typ == "profile" && name != "":
				if !validName(name) {
					c.warn(f, s, "the profile name has a space, quote, backslash or bracket, which the SDKs do not accept: the section is ignored")
					continue
				}
				prefixed = prefixed || name == "default"
				c.addSection(f, ref(name), inConfig, int32(i))
			case typ == "sso-session" && name != "":
				c.addNamed(&c.ssoIdx, f, name, int32(i))
			case typ == "services" && name != "":
				c.addNamed(&c.svcIdx, f, name, int32(i))
			case strings.EqualFold(header, "default"):
				c.warn(f, s, "["+header+"] is not [default]: the SDKs ignore it, and the AWS CLI applies its keys to every section of the file")
			}
		}
		if bare.head >= 0 {
			if prefixed {
				c.warn(f, &f.sections[bare.head], "[profile default] is in this file too and the SDKs use it instead of [default] (the AWS CLI uses the one written last): merge them into one")
			} else {
				ref("default").files[inConfig] = bare
			}
		}
	}
	if f := c.files[inCredentials]; f != nil {
		for i := range f.sections {
			s := &f.sections[i]
			header := f.str(s.header)
			typ, name := splitHeader(header)
			switch {
			case typ == "profile" && name != "":
				c.warn(f, s, "[profile NAME] in the credentials file is ignored by the SDKs (the AWS CLI reads it as a profile named \"profile NAME\"): write ["+name+"]")
			case !validName(header):
				c.warn(f, s, "the profile name has a space, quote, backslash or bracket, which the SDKs do not accept: the section is ignored")
			default:
				c.addSection(f, ref(header), inCredentials, int32(i))
			}
		}
	}
}

func (c *Config) addSection(f *parsed, r *profileRef, file int, i int32) {
	if r.files[file].head >= 0 {
		c.warn(f, &f.sections[i], "this profile's section is repeated in the same file: the SDKs merge the two, the AWS CLI refuses the file")
	}
	r.files[file].add(f.sections, i)
}

func (c *Config) addNamed(idx *map[string]*chainRef, f *parsed, name string, i int32) {
	if *idx == nil {
		*idx = map[string]*chainRef{}
	}
	r := (*idx)[name]
	if r == nil {
		r = &chainRef{-1, -1}
		(*idx)[name] = r
	} else {
		c.warn(f, &f.sections[i], "this section is repeated in the same file: the SDKs merge the two, the AWS CLI refuses the file")
	}
	r.add(f.sections, i)
}

func (c *Config) warn(f *parsed, s *rawSection, why string) {
	c.warnings = append(c.warnings, Warning{File: f.path, Line: int(s.line), Why: why})
}

// splitHeader splits "profile  name" at its first run of spaces or tabs.
// "profilename" has no type.
func splitHeader(h string) (typ, name string) {
	i := strings.IndexAny(h, " \t")
	if i < 0 {
		return "", h
	}
	return h[:i], strings.TrimLeft(h[i:], " \t")
}

// validName reports whether name can be a profile, SSO session or
// services name. The cross-SDK rules allow letters, digits and
// -/.%@_:+; the CLI and the Go SDK take more (ø, !, emoji), so only what
// one of them reads differently is refused: whitespace (the CLI splits
// the header with shlex), quotes and backslashes (shlex removes them, the
// Go SDK keeps them) and brackets.
func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, " \t\"'\\[]")
}

// Profile returns the named profile.
func (c *Config) Profile(name string) (*Profile, bool) {
	i, ok := c.index[name]
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.built[name]; ok {
		return p, true
	}
	r := &c.profiles[i]
	p := &Profile{Name: name, credentialsFile: c.CredentialsFile}
	size := 0
	for file, ch := range r.files {
		for j := ch.head; j >= 0; j = c.files[file].sections[j].next {
			rs := &c.files[file].sections[j]
			size += int(rs.end - rs.first)
		}
	}
	p.Keys = make(map[string]Value, size)
	for file, ch := range r.files {
		f := c.files[file]
		for j := ch.head; j >= 0; j = f.sections[j].next {
			s := f.section(int(j))
			p.Sections = append(p.Sections, s)
			for k, v := range s.Keys {
				p.Keys[k] = v
			}
		}
	}
	if c.built == nil {
		c.built = map[string]*Profile{}
	}
	c.built[name] = p
	return p, true
}

// Profiles returns every profile name, sorted.
func (c *Config) Profiles() []string {
	names := make([]string, len(c.profiles))
	for i := range c.profiles {
		names[i] = c.profiles[i].name
	}
	slices.Sort(names)
	return names
}

// Warnings are the places where awsenv reads the files as the SDKs do but
// the AWS CLI reads them differently, or the other way round, in file
// order.
func (c *Config) Warnings() []Warning { return slices.Clone(c.warnings) }

// SSOSession returns an [sso-session NAME] section, repeated sections
// merged.
func (c *Config) SSOSession(name string) (*Section, bool) {
	return c.named(c.ssoIdx, &c.ssoSessions, name)
}

// Services returns a [services NAME] section, repeated sections merged.
func (c *Config) Services(name string) (*Section, bool) {
	return c.named(c.svcIdx, &c.services, name)
}

func (c *Config) named(idx map[string]*chainRef, built *map[string]*Section, name string) (*Section, bool) {
	r, ok := idx[name]
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := (*built)[name]; ok {
		return s, true
	}
	f := c.files[inConfig]
	s := f.section(int(r.head))
	for j := f.sections[r.head].next; j >= 0; j = f.sections[j].next {
		f.fill(s.Keys, &f.sections[j])
	}
	if *built == nil {
		*built = map[string]*Section{}
	}
	(*built)[name] = s
	return s, true
}
