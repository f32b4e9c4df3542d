package awsconfig

import (
	"errors"
	"io/fs"
	"maps"
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
		c.warnings = append(c.warnings, c.files[i].warnings...)
	}
	return c, nil
}

// class is what a section is under the rules of its file (README.md).
type class uint8

const (
	ignored     class = iota
	profile           // [profile NAME] in config, [NAME] in credentials
	bareDefault       // [default] in config, used only without [profile default]
	ssoSession        // [sso-session NAME]
	services          // [services NAME]
)

const badName = "the profile name has a space, quote, backslash or bracket, which the SDKs do not accept: the section is ignored"

// classify files a section header: in the config file a profile is
// [default] or [profile NAME]; in the credentials file it is [NAME], and
// [profile NAME] is ignored. why is a warning for an ignored section
// that the CLI or the Go SDK would read.
func classify(file int, header string) (cl class, name, why string) {
	typ, rest := splitHeader(header)
	if file == inCredentials {
		switch {
		case typ == "profile" && rest != "":
			return ignored, "", "[profile NAME] in the credentials file is ignored by the SDKs (the AWS CLI reads it as a profile named \"profile NAME\"): write [" + rest + "]"
		case !validName(header):
			return ignored, "", badName
		}
		return profile, header, ""
	}
	switch {
	case header == "default":
		return bareDefault, "default", ""
	case typ == "profile" && rest != "":
		if !validName(rest) {
			return ignored, "", badName
		}
		return profile, rest, ""
	case typ == "sso-session" && rest != "":
		return ssoSession, rest, ""
	case typ == "services" && rest != "":
		return services, rest, ""
	case strings.EqualFold(header, "default"):
		return ignored, "", "[" + header + "] is not [default]: the SDKs ignore it, and the AWS CLI applies its keys to every section of the file"
	}
	return ignored, "", ""
}

// lookup finds the sections of a profile (cl profile), SSO session or
// services section called name. Before the index is built, which only
// listing every profile needs, it scans the headers: `awsenv use` looks
// up a few profiles of thousands, and a scan costs less than an index.
func (c *Config) lookup(cl class, name string) (refs [2][]int32) {
	if c.index != nil {
		var ch [2]chainRef
		switch cl {
		case profile:
			i, ok := c.index[name]
			if !ok {
				return refs
			}
			ch = c.profiles[i].files
		case ssoSession, services:
			idx := c.ssoIdx
			if cl == services {
				idx = c.svcIdx
			}
			r, ok := idx[name]
			if !ok {
				return refs
			}
			ch[inConfig], ch[inCredentials] = *r, chainRef{-1, -1}
		}
		for file, r := range ch {
			for j := r.head; j >= 0; j = c.files[file].sections[j].next {
				refs[file] = append(refs[file], j)
			}
		}
		return refs
	}
	var bare []int32
	prefixed := false
	for file, f := range c.files {
		if f == nil || (file == inCredentials && cl != profile) {
			continue
		}
		for i := range f.sections {
			header := f.str(f.sections[i].header)
			if !strings.HasSuffix(header, name) {
				continue // cheaper than classify, and every match ends so
			}
			got, n, _ := classify(file, header)
			switch {
			case n != name:
			case got == cl:
				refs[file] = append(refs[file], int32(i))
				prefixed = prefixed || (file == inConfig && cl == profile && name == "default")
			case got == bareDefault && cl == profile:
				bare = append(bare, int32(i))
			}
		}
	}
	if !prefixed {
		refs[inConfig] = append(bare, refs[inConfig]...)
	}
	return refs
}

// buildIndex files every section by classify, for Profiles and Warnings.
// Called with c.mu held.
func (c *Config) buildIndex() {
	if c.index != nil {
		return
	}
	n := 0
	for _, f := range c.files {
		if f != nil {
			n += len(f.sections)
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
	for file, f := range c.files {
		if f == nil {
			continue
		}
		bare := chainRef{-1, -1}
		prefixed := false
		for i := range f.sections {
			s := &f.sections[i]
			cl, name, why := classify(file, f.str(s.header))
			switch cl {
			case ignored:
				if why != "" {
					c.warn(f, s, why)
				}
			case bareDefault:
				bare.add(f.sections, int32(i))
			case profile:
				prefixed = prefixed || (file == inConfig && name == "default")
				c.addSection(f, ref(name), file, int32(i))
			case ssoSession:
				c.addNamed(&c.ssoIdx, f, name, int32(i))
			case services:
				c.addNamed(&c.svcIdx, f, name, int32(i))
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
	// In file order, then line order.
	slices.SortStableFunc(c.warnings, func(a, b Warning) int {
		if a.File != b.File {
			if a.File == c.ConfigFile {
				return -1
			}
			return 1
		}
		return a.Line - b.Line
	})
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
	for i := 0; i < len(h); i++ {
		if h[i] == ' ' || h[i] == '\t' {
			j := i + 1
			for j < len(h) && (h[j] == ' ' || h[j] == '\t') {
				j++
			}
			return h[:i], h[j:]
		}
	}
	return "", h
}

// validName reports whether name can be a profile, SSO session or
// services name. The cross-SDK rules allow letters, digits and
// -/.%@_:+; the CLI and the Go SDK take more (ø, !, emoji), so only what
// one of them reads differently is refused: whitespace (the CLI splits
// the header with shlex), quotes and backslashes (shlex removes them, the
// Go SDK keeps them) and brackets.
func validName(name string) bool {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case ' ', '\t', '"', '\'', '\\', '[', ']':
			return false
		}
	}
	return name != ""
}

// Profile returns the named profile.
func (c *Config) Profile(name string) (*Profile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.built[name]; ok {
		return p, true
	}
	refs := c.lookup(profile, name)
	if len(refs[inConfig])+len(refs[inCredentials]) == 0 {
		return nil, false
	}
	p := &Profile{Name: name, credentialsFile: c.CredentialsFile}
	size := 0
	for file, secs := range refs {
		for _, j := range secs {
			rs := &c.files[file].sections[j]
			size += int(rs.end - rs.first)
		}
	}
	for file, secs := range refs {
		for _, j := range secs {
			s := c.files[file].section(int(j))
			p.Sections = append(p.Sections, s)
		}
	}
	if len(p.Sections) == 1 {
		// Most profiles are one section: its keys are the profile's.
		p.Keys = p.Sections[0].Keys
	} else {
		p.Keys = make(map[string]Value, size)
		for _, s := range p.Sections {
			maps.Copy(p.Keys, s.Keys)
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
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buildIndex()
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
func (c *Config) Warnings() []Warning {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buildIndex()
	return slices.Clone(c.warnings)
}

// SSOSession returns an [sso-session NAME] section, repeated sections
// merged.
func (c *Config) SSOSession(name string) (*Section, bool) {
	return c.named(ssoSession, &c.ssoSessions, name)
}

// Services returns a [services NAME] section, repeated sections merged.
func (c *Config) Services(name string) (*Section, bool) {
	return c.named(services, &c.services, name)
}

func (c *Config) named(cl class, built *map[string]*Section, name string) (*Section, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := (*built)[name]; ok {
		return s, true
	}
	secs := c.lookup(cl, name)[inConfig]
	if len(secs) == 0 {
		return nil, false
	}
	f := c.files[inConfig]
	s := f.section(int(secs[0]))
	for _, j := range secs[1:] {
		f.fill(s.Keys, &f.sections[j])
	}
	if *built == nil {
		*built = map[string]*Section{}
	}
	(*built)[name] = s
	return s, true
}
