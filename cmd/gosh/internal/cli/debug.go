package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/vt"
)

func init() { extraCommands = append(extraCommands, newDebugCmd) }

func newDebugCmd() *cobra.Command {
	debug := &cobra.Command{
		Use:   "debug",
		Short: "Tools for debugging gosh",
	}
	debug.AddCommand(newDebugVTCmd())
	return debug
}

const debugVTHelp = `Feed a byte stream (FILE, or standard input) through gosh's terminal emulator
and print the final screen: one line per row, trailing blanks trimmed. An
empty cell prints as a space; a wide character prints once.

--cursor adds a last line "cursor X Y" (0-based column and row).

--attrs adds, after the rows (and before the cursor line), one line per run
of styled cells:

    attr ROW FIRST-LAST STYLE

ROW and columns are 0-based, FIRST-LAST inclusive; a run ends where the style
changes or at the end of the row. STYLE is space-separated tokens in this
fixed order, each present only when not the default:

    fg=C bg=C bold dim italic blink inverse hidden strike overline
    ul=single|double|curly|dotted|dashed ulc=C link=URI linkid=ID

where a colour C is a palette index (0-255) or #rrggbb. This format is
stable: bug reports and comparisons with other terminals depend on it.
See docs/debug-vt.md.`

func newDebugVTCmd() *cobra.Command {
	var size string
	var cursor, attrs bool
	cmd := &cobra.Command{
		Use:   "vt [--size WxH] [--cursor] [--attrs] [FILE]",
		Short: "Show the screen a byte stream produces in gosh's emulator",
		Long:  debugVTHelp,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cols, rows, err := parseSize(size)
			if err != nil {
				return fmt.Errorf("--size: %w", err)
			}
			var in io.Reader = cmd.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			s := vt.NewScreen(cols, rows)
			if _, err := io.Copy(s, in); err != nil {
				return fmt.Errorf("reading input: %w", err)
			}
			w := bufio.NewWriter(cmd.OutOrStdout())
			for y := 0; y < rows; y++ {
				var b strings.Builder
				for x := 0; x < cols; x++ {
					c := s.Cell(x, y)
					switch {
					case c.Width == 0:
					case c.Text == "":
						b.WriteByte(' ')
					default:
						b.WriteString(c.Text)
					}
				}
				fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
			}
			if attrs {
				for y := 0; y < rows; y++ {
					for _, r := range s.StyleRuns(y) {
						fmt.Fprintf(w, "attr %d %d-%d %s\n", y, r.Start, r.End-1, r.Style)
					}
				}
			}
			if cursor {
				c := s.Cursor()
				fmt.Fprintf(w, "cursor %d %d\n", c.X, c.Y)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&size, "size", "80x24", "screen size as WIDTHxHEIGHT")
	cmd.Flags().BoolVar(&cursor, "cursor", false, "print the cursor position as a last line")
	cmd.Flags().BoolVar(&attrs, "attrs", false, "print the style of each run of styled cells")
	return cmd
}

// parseSize parses "WxH" with both in 1..vt.MaxSize.
func parseSize(s string) (cols, rows int, err error) {
	w, h, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, fmt.Errorf("%q is not WIDTHxHEIGHT (e.g. 80x24)", s)
	}
	cols, err1 := strconv.Atoi(w)
	rows, err2 := strconv.Atoi(h)
	if err1 != nil || err2 != nil || cols < 1 || rows < 1 || cols > vt.MaxSize || rows > vt.MaxSize {
		return 0, 0, fmt.Errorf("%q is not WIDTHxHEIGHT with each between 1 and %d", s, vt.MaxSize)
	}
	return cols, rows, nil
}
