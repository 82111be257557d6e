package plugins

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/goshterm/gosh/sdk"
)

// Spec says how to start one plugin.
type Spec struct {
	// Name identifies the plugin in logs, `gosh plugin list` and the status
	// line marker. It defaults to the file name without "gosh-plugin-".
	Name string
	// Path is the executable.
	Path string
	// Kind is what the config expects. KindUnknown accepts whatever kind the
	// plugin says it is in the handshake; anything else must match.
	Kind sdk.Kind
	// Args are passed to the executable.
	Args []string
	// Env holds extra "KEY=value" entries on top of the host's environment.
	Env []string
}

// PluginPrefix is the conventional file name prefix of a plugin executable.
const PluginPrefix = "gosh-plugin-"

// DefaultConfigPath returns ~/.config/gosh/config.yaml, honouring
// XDG_CONFIG_HOME as os.UserConfigDir does.
func DefaultConfigPath() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gosh", "config.yaml")
}

// DefaultDir returns ~/.config/gosh/plugins.
func DefaultDir() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gosh", "plugins")
}

// fileConfig is the part of gosh's config file that plugins read:
//
//	plugins:
//	  - name: sysinfo
//	    path: ~/bin/gosh-plugin-sysinfo   # relative paths are relative to the file
//	    kind: status                      # optional: predictor, status, authorizer
//	    args: ["--no-git"]
//	    env: ["TZ=UTC"]
//	    disabled: false
type fileConfig struct {
	Plugins []struct {
		Name     string   `yaml:"name"`
		Path     string   `yaml:"path"`
		Kind     string   `yaml:"kind"`
		Args     []string `yaml:"args"`
		Env      []string `yaml:"env"`
		Disabled bool     `yaml:"disabled"`
	} `yaml:"plugins"`
}

// LoadConfig reads the plugin list from the config file at path. A missing
// file is no error: it holds no plugins.
func LoadConfig(path string) ([]Spec, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("plugins: %w", err)
	}
	return parseConfig(path, b)
}

func parseConfig(path string, b []byte) ([]Spec, error) {
	var fc fileConfig
	if err := yaml.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("plugins: %s: %w", path, err)
	}
	var specs []Spec
	for i, p := range fc.Plugins {
		if p.Disabled {
			continue
		}
		if p.Path == "" {
			return nil, fmt.Errorf("plugins: %s: plugins[%d]: path is required", path, i)
		}
		s := Spec{Name: p.Name, Path: expandPath(filepath.Dir(path), p.Path), Args: p.Args, Env: p.Env}
		if p.Kind != "" {
			k, err := sdk.ParseKind(p.Kind)
			if err != nil {
				return nil, fmt.Errorf("plugins: %s: plugins[%d]: %w", path, i, err)
			}
			s.Kind = k
		}
		if s.Name == "" {
			s.Name = nameFromPath(s.Path)
		}
		specs = append(specs, s)
	}
	return specs, nil
}

func expandPath(base, p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(base, p)
	}
	return p
}

func nameFromPath(p string) string {
	return strings.TrimPrefix(filepath.Base(p), PluginPrefix)
}

// Discover lists the executables in dir, sorted by name. Files that are not
// executable (a README) are skipped; an executable that is not a gosh plugin
// is listed, and fails its handshake visibly. A missing dir holds no plugins.
func Discover(dir string) ([]Spec, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("plugins: %w", err)
	}
	var specs []Spec
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Stat(p) // follow symlinks
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			continue
		}
		specs = append(specs, Spec{Name: nameFromPath(p), Path: p})
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Name < specs[j].Name })
	return specs, nil
}

// Load returns the plugins named in the config file followed by those in
// dir that the file does not already name (by path). Errors from either
// source are joined; the specs found are returned regardless.
func Load(configPath, dir string) ([]Spec, error) {
	cfg, errCfg := LoadConfig(configPath)
	found, errDir := Discover(dir)
	seen := make(map[string]bool)
	for _, s := range cfg {
		seen[filepath.Clean(s.Path)] = true
	}
	specs := cfg
	for _, s := range found {
		if !seen[filepath.Clean(s.Path)] {
			specs = append(specs, s)
		}
	}
	return uniqueNames(specs), errors.Join(errCfg, errDir)
}

// uniqueNames suffixes repeated names ("clock", "clock#2") so that every
// plugin is addressable.
func uniqueNames(specs []Spec) []Spec {
	count := make(map[string]int)
	for i := range specs {
		count[specs[i].Name]++
		if n := count[specs[i].Name]; n > 1 {
			specs[i].Name = fmt.Sprintf("%s#%d", specs[i].Name, n)
		}
	}
	return specs
}
