package cli

import (
	"slices"
	"testing"
)

// TestCutPrivate: --private is an option of gosh mosh-server wherever the
// mosh wrapper puts it, but a word of the COMMAND after -- is the
// command's own.
func TestCutPrivate(t *testing.T) {
	for _, c := range []struct {
		in, want []string
		private  bool
	}{
		{[]string{"new", "-s"}, []string{"new", "-s"}, false},
		{[]string{"--private", "new", "-s"}, []string{"new", "-s"}, true},
		{[]string{"new", "-s", "--private", "--", "sh"}, []string{"new", "-s", "--", "sh"}, true},
		{[]string{"new", "--", "prog", "--private"}, []string{"new", "--", "prog", "--private"}, false},
		{[]string{"--private", "new", "--private"}, []string{"new"}, true},
	} {
		got, private := cutPrivate(slices.Clone(c.in))
		if !slices.Equal(got, c.want) || private != c.private {
			t.Errorf("cutPrivate(%q) = %q, %v; want %q, %v", c.in, got, private, c.want, c.private)
		}
	}
}
