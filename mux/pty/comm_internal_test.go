package pty

import "testing"

// On macOS a pane's program name (tmux's pane_current_command) comes from
// kinfo_proc's p_comm, a fixed NUL-padded array: the name is what precedes
// the NUL, so "vim" is not shown as "vim" followed by 14 NULs, and a name
// filling all of the array (no NUL) is kept whole.
func TestCommBytes(t *testing.T) {
	full := [17]byte{}
	copy(full[:], "abcdefghijklmnopq")
	vim := [17]byte{}
	copy(vim[:], "vim")
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{vim[:], "vim"},
		{full[:], "abcdefghijklmnopq"},
		{make([]byte, 17), ""},
		{[]byte("bash\x00junk\x00"), "bash"},
		{nil, ""},
	} {
		if got := string(commBytes(c.in)); got != c.want {
			t.Errorf("commBytes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
